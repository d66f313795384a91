import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { FieldError } from "~/components/person";
import { RowAction } from "~/components/row-action";
import { useNow, When } from "~/components/when";
import { TOKEN_ACCESS, type TokenAccess } from "~/schemas/platform";

export interface TokenRow {
  id: string;
  name: string;
  kind: string;
  prefix: string;
  scopes: string;
  createdAt: string | Date;
  expiresAt: string | Date | null;
  lastUsedAt: string | Date | null;
  revokedAt: string | Date | null;
  owner?: { id: string; name: string; email: string };
  insights?: number;
}

/** "Read and write", "Send insights only"…: the form's wording for the scopes a token holds. */
function accessLabel(scopes: string) {
  const found = Object.values(TOKEN_ACCESS).find((a) => a.scopes.join(",") === scopes);
  return found?.label ?? scopes.replaceAll(",", ", ");
}

function stateOf(t: TokenRow, now: number): { label: ReactNode; live: boolean } {
  if (t.revokedAt) return { label: <>Revoked <When date={t.revokedAt} format="date" /></>, live: false };
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= now) return { label: <>Expired <When date={t.expiresAt} format="date" /></>, live: false };
  return { label: t.expiresAt ? <>Active, expires <When date={t.expiresAt} format="date" /></> : "Active, never expires", live: true };
}

/** The secret of a token just created: shown once, never again. */
export function NewTokenSecret({ secret, name }: { secret: string; name: string }) {
  return (
    <section className="card token-secret" role="status" aria-labelledby="secret-h" data-testid="token-secret">
      <h2 id="secret-h">Copy your new token “{name}” now</h2>
      <p>It is shown only this once: Atrium stores only a hash of it.</p>
      <label htmlFor="token-value" className="sr-only">Token</label>
      <input id="token-value" readOnly value={secret} className="token-value" onFocus={(e) => e.currentTarget.select()} />
      <p className="muted small">Send it as <code>Authorization: Bearer {secret.slice(0, 12)}…</code> to <code>/api/v1</code> (see <a href="/api/v1/openapi.json">the OpenAPI document</a>).</p>
    </section>
  );
}

export function CreateTokenForm({ kind, errors }: { kind: "personal" | "integration"; errors: Record<string, string[] | undefined> }) {
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" className="card admin-form" noValidate>
      <h2>{kind === "integration" ? "Create an integration token" : "Create a personal token"}</h2>
      <input type="hidden" name="intent" value="create" />
      <input type="hidden" name="kind" value={kind} />
      <div className="field">
        <label htmlFor="token-name">Name</label>
        <input id="token-name" name="name" maxLength={80} required aria-invalid={errors.name ? true : undefined} aria-describedby="token-name-error" />
        <FieldError id="token-name-error" errors={errors.name} />
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="token-scope">Access</label>
          <select id="token-scope" name="scope" defaultValue="read">
            {(Object.keys(TOKEN_ACCESS) as TokenAccess[])
              .filter((a) => kind === "integration" || a !== "insights")
              .map((a) => (
                <option key={a} value={a}>{TOKEN_ACCESS[a].label}</option>
              ))}
          </select>
          <FieldError errors={errors.scope} />
        </div>
        <div className="field">
          <label htmlFor="token-expiry">Expires</label>
          <select id="token-expiry" name="expiresInDays" defaultValue="90">
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="0">never</option>
          </select>
          <FieldError errors={errors.expiresInDays} />
        </div>
      </div>
      <button type="submit" disabled={busy}>Create token</button>
    </Form>
  );
}

export function TokenTable({ tokens, showOwner }: { tokens: TokenRow[]; showOwner?: boolean }) {
  const now = useNow(60_000);
  if (!tokens.length) return <p className="muted" data-testid="no-tokens">No tokens yet.</p>;
  return (
    <div className="table-scroll">
      <table data-testid="tokens-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            {showOwner && <th scope="col">Owner</th>}
            <th scope="col">Token</th>
            <th scope="col">Access</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            <th scope="col"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => {
            const s = stateOf(t, now);
            return (
              <tr key={t.id} data-testid="token-row" data-token-id={t.id} className={s.live ? undefined : "inactive"}>
                <th scope="row">{t.name}{showOwner && <div className="muted small">{t.kind}</div>}</th>
                {showOwner && <td>{t.owner?.name}<div className="muted small">{t.owner?.email}</div></td>}
                <td><code>{t.prefix}…</code></td>
                <td>
                  {accessLabel(t.scopes)}
                  {t.scopes.includes("insights:ingest") && <div className="muted small" data-testid="token-insights">{t.insights ?? 0} {t.insights === 1 ? "insight" : "insights"} received</div>}
                </td>
                <td><When date={t.createdAt} format="date" /></td>
                <td data-testid="token-last-used">{t.lastUsedAt ? <When date={t.lastUsedAt} /> : <span className="muted">never</span>}</td>
                <td>{s.label}</td>
                <td>
                  {!t.revokedAt && (
                    <RowAction intent="revoke" fields={{ id: t.id }} label="Revoke" detail={t.name} buttonClassName="danger small" />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
