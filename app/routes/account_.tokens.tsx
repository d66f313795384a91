import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActionMessages } from "~/components/admin-ui";
import { CreateTokenForm, NewTokenSecret, TokenTable } from "~/components/api-tokens";
import { fieldErrorsOf } from "~/components/person";
import { requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "API tokens · Your account · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  return { tokens: await context.domain.apiTokens.listMyTokens(auth.actor) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  if (intent === "revoke") {
    return runAction(async () => {
      await context.domain.apiTokens.revokeApiToken(auth.actor, String(form.get("id") ?? ""));
      return { ok: true as const, message: "The token was revoked. Requests using it now get 401." };
    });
  }
  const input = { name: form.get("name"), kind: "personal", scope: form.get("scope"), expiresInDays: form.get("expiresInDays") };
  return runAction(async () => {
    const t = await context.domain.apiTokens.createApiToken(auth.actor, input);
    return { ok: true as const, message: `Created the token “${t.name}”.`, secret: t.secret, name: t.name };
  }, input);
}

export default function AccountTokens() {
  const { tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = fieldErrorsOf(result)?.fieldErrors ?? {};
  const created = result && "secret" in result ? (result as unknown as { secret: string; name: string }) : null;
  return (
    <>
      <p><Link to="/account">← Your account</Link></p>
      <h1>Personal API tokens</h1>
      <p className="muted">
        A personal token lets a script act as you through the <a href="/api/v1/openapi.json">Atrium API</a>, with read or
        read-and-write access. Revoke a token you no longer use.
      </p>
      {created ? <NewTokenSecret secret={created.secret} name={created.name} /> : <ActionMessages result={result} />}
      <CreateTokenForm kind="personal" errors={errors} />
      <h2>Your tokens</h2>
      <TokenTable tokens={tokens} />
    </>
  );
}
