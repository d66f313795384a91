import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { readSessionToken, sessionCookie } from "../../server/http/cookies.js";
import { FieldError, fieldErrorsOf } from "~/components/person";
import { cookieSecure, getAuth, runAction, safeRedirect } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getAuth(request, context)) throw redirect("/");
  return context.domain.sso.ssoStatus();
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const redirectTo = safeRedirect(context, form.get("redirectTo"));
  return runAction(async () => {
    const session = await context.domain.accounts.signIn(
      { email: form.get("email"), password: form.get("password") },
      { ip: context.clientIp, userAgent: context.userAgent },
    );
    // Signing in always starts a new session id; one this browser presented before ends.
    await context.domain.accounts.signOut(readSessionToken(request.headers.get("cookie")));
    return redirect(redirectTo, {
      headers: { "Set-Cookie": sessionCookie(session.token, session.expiresAt, cookieSecure(context, request)) },
    });
  });
}

export default function Login() {
  const sso = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = fieldErrorsOf(result);
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card" style={{ maxWidth: 420, margin: "2rem auto" }}>
      <h1>Sign in to Atrium</h1>
      {params.get("ended") && <p className="flash" role="status">Your session ended. Please sign in again.</p>}
      {errors && (
        <p className="form-error" role="alert" data-testid="login-error">
          {errors.fieldErrors.form?.[0] ?? errors.message}
        </p>
      )}
      {sso.enabled && (
        <>
          {/* A plain link (full page load): the provider's pages are another site. */}
          <a
            className="button sso-button"
            href={`/auth/oidc?redirectTo=${encodeURIComponent(params.get("redirectTo") ?? "/")}`}
            data-testid="sso-button"
          >
            {`Sign in with ${sso.providerName}`}
          </a>
          {sso.passwordLogin && <p className="or-divider">or with your Atrium password</p>}
        </>
      )}
      {sso.passwordLogin && (
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required aria-invalid={!!errors?.fieldErrors.email} aria-describedby="email-error" />
          <FieldError id="email-error" errors={errors?.fieldErrors.email} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required aria-invalid={!!errors?.fieldErrors.password} aria-describedby="password-error" />
          <FieldError id="password-error" errors={errors?.fieldErrors.password} />
        </div>
        <button type="submit" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
        <p><Link to="/forgot-password">Forgot your password?</Link></p>
      </Form>
      )}
    </section>
  );
}
