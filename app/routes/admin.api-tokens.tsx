import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ActionMessages } from "~/components/admin-ui";
import { CreateTokenForm, NewTokenSecret, TokenTable } from "~/components/api-tokens";
import { fieldErrorsOf } from "~/components/person";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "API tokens · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const tokens = await load(() => context.domain.apiTokens.listAllTokens(auth.actor));
  return { tokens };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  if (form.get("intent") === "revoke") {
    return runAction(async () => {
      await context.domain.apiTokens.revokeApiToken(auth.actor, String(form.get("id") ?? ""));
      return { ok: true as const, message: "The token was revoked. Requests using it now get 401." };
    });
  }
  const input = { name: form.get("name"), kind: "integration", scope: form.get("scope"), expiresInDays: form.get("expiresInDays") };
  return runAction(async () => {
    const t = await context.domain.apiTokens.createApiToken(auth.actor, input);
    return { ok: true as const, message: `Created the token “${t.name}”.`, secret: t.secret, name: t.name };
  }, input);
}

export default function AdminApiTokens() {
  const { tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = fieldErrorsOf(result)?.fieldErrors ?? {};
  const created = result && "secret" in result ? (result as unknown as { secret: string; name: string }) : null;
  return (
    <>
      <h1>API tokens</h1>
      <p className="muted">
        Integration tokens connect other systems (HR, a ticketing tool) to the <a href="/api/v1/openapi.json">Atrium API</a>.
        One acts with your permissions as an administrator, limited to its access; it stops working if your account is
        deactivated. Social-listening tools and mail forwarders get a token with “Send insights only” access: it can post
        to <code>POST /api/v1/insights</code> and nothing else. Below are also everyone’s personal
        tokens, so a leaked one can be revoked.
      </p>
      {created ? <NewTokenSecret secret={created.secret} name={created.name} /> : <ActionMessages result={result} />}
      <CreateTokenForm kind="integration" errors={errors} />
      <h2>All tokens</h2>
      <TokenTable tokens={tokens} showOwner />
    </>
  );
}
