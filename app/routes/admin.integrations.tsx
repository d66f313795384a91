import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { ErrorMessage } from "~/root";
import { load, requireAuth, runAction } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "API tokens · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  return { tokens: await load(() => context.domain.integrations.listIntegrationTokens(auth.actor)), origin: new URL(request.url).origin };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = Object.fromEntries(await request.formData());
  return runAction(async () => {
    if (form.intent === "revoke") {
      await context.domain.integrations.revokeIntegrationToken(auth.actor, String(form.id));
      return { ok: true as const, created: null };
    }
    return { ok: true as const, created: await context.domain.integrations.createIntegrationToken(auth.actor, form) };
  }, form);
}

export default function Integrations() {
  const { tokens, origin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const created = result && "created" in result ? result.created : null;
  return (
    <section>
      <h1>API tokens for integrations</h1>
      <p className="muted">
        Social-listening tools and email forwarders send customer insights to <code>POST {origin}/api/v1/insights</code> with one of these tokens. See <code>docs/api/insights.md</code> for the format. <Link to="/admin/insight-rules">Insight routing</Link>
      </p>
      {created && (
        <div className="card" role="status" data-testid="new-token">
          <p><strong>Token for “{created.name}”.</strong> Copy it now: it is shown only once, and Atrium keeps only a hash of it.</p>
          <p className="token-once" data-testid="token-value">{created.token}</p>
        </div>
      )}
      <section className="card" style={{ marginTop: "1rem" }}>
        <h2 style={{ marginTop: 0 }}>Create a token</h2>
        {result && "message" in result && <p className="form-error" role="alert">{result.message}</p>}
        <Form method="post" className="filters">
          <input type="hidden" name="intent" value="create" />
          <div className="field">
            <label htmlFor="token-name">Integration name</label>
            <input id="token-name" name="name" type="text" required maxLength={80} placeholder="Brandwatch listener" />
            {result && "fieldErrors" in result && result.fieldErrors.name?.map((m) => <p key={m} className="field-error">{m}</p>)}
          </div>
          <button type="submit" disabled={busy}>Create token</button>
        </Form>
      </section>
      <table style={{ marginTop: "1rem" }} data-testid="tokens">
        <thead><tr><th>Name</th><th>Token</th><th>Created</th><th>Last used</th><th>Insights</th><th>State</th></tr></thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-testid="token-row" data-revoked={t.revokedAt ? "true" : "false"}>
              <td>{t.name}</td>
              <td><code>{t.prefix}…</code></td>
              <td><time suppressHydrationWarning>{new Date(t.createdAt).toLocaleString("en-GB")}</time>{t.createdBy && ` by ${t.createdBy.name}`}</td>
              <td>{t.lastUsedAt ? <time suppressHydrationWarning>{new Date(t.lastUsedAt).toLocaleString("en-GB")}</time> : "never"}</td>
              <td>{t.insights}</td>
              <td>
                {t.revokedAt ? (
                  <span className="muted">revoked {new Date(t.revokedAt).toLocaleDateString("en-GB")}</span>
                ) : (
                  <Form method="post" onSubmit={(e) => { if (!confirm(`Revoke the token “${t.name}”? The integration will stop working.`)) e.preventDefault(); }}>
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="id" value={t.id} />
                    <button type="submit" className="danger" disabled={busy}>Revoke</button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
