import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { sessionCookie } from "../../server/http/cookies.js";
import { FieldError, fieldErrorsOf } from "~/components/person";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/schemas/people";
import { asResponse, cookieSecure, isDomainError, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Set your password · Atrium" }, { name: "referrer", content: "no-referrer" }];

type Invalid = { invalid: true; message: string };

/** A link that cannot be used is a page of its own (410), not an error: it says what to do next. */
async function inspect(context: LoaderFunctionArgs["context"], token: unknown) {
  try {
    return await context.domain.passwords.inspectPasswordLink(token);
  } catch (e) {
    if (isDomainError(e) && e.status === 410) return { invalid: true, message: e.message } satisfies Invalid;
    throw asResponse(e);
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  const link = await inspect(context, token);
  if ("invalid" in link) return data({ link, token: "" }, { status: 410 });
  return { link: { invalid: false as const, name: link.name, email: link.email, purpose: link.purpose, hasPassword: link.hasPassword }, token: token ?? "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const token = form.get("token");
  const meta = { ip: context.clientIp, userAgent: context.userAgent };
  try {
    return await runAction(async () => {
      const session = await context.domain.passwords.completePasswordReset({ token, password: form.get("password") }, meta);
      return redirect("/?password=set", {
        headers: { "Set-Cookie": sessionCookie(session.token, session.expiresAt, cookieSecure(context, request)) },
      });
    });
  } catch (e) {
    if (e instanceof Response && e.status === 410) return data({ invalid: true as const, message: await e.text() }, { status: 410 });
    throw e;
  }
}

export default function ResetPassword() {
  const { link, token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const invalid = link.invalid ? link : result && "invalid" in result ? result : null;
  if (invalid) {
    return (
      <section className="card" style={{ maxWidth: 460, margin: "2rem auto" }} data-testid="link-invalid">
        <h1>This link cannot be used</h1>
        <p role="alert">{invalid.message}</p>
        <p>
          <Link to="/forgot-password">Send me a new link</Link> · <Link to="/login">Sign in</Link>
        </p>
      </section>
    );
  }
  if (link.invalid) return null;
  const errors = fieldErrorsOf(result);
  return (
    <section className="card" style={{ maxWidth: 460, margin: "2rem auto" }}>
      <h1>{link.hasPassword ? "Set a new password" : "Choose your password"}</h1>
      <p>
        For <strong>{link.name}</strong> ({link.email}). Setting it signs you out of Atrium everywhere else and signs you in here.
      </p>
      {errors && !errors.fieldErrors.password && <p className="form-error" role="alert">{errors.message}</p>}
      <Form method="post" noValidate>
        <input type="hidden" name="token" value={token} />
        {/* For password managers: the account this password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={link.email} readOnly hidden />
        <div className="field">
          <label htmlFor="password">New password</label>
          <input id="password" name="password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN} maxLength={PASSWORD_MAX} aria-invalid={!!errors?.fieldErrors.password} aria-describedby="password-hint password-error" />
          <p className="muted small" id="password-hint">At least {PASSWORD_MIN} characters. A few unrelated words make a good one; common and breached passwords are refused.</p>
          <FieldError id="password-error" errors={errors?.fieldErrors.password} />
        </div>
        <button type="submit" disabled={busy}>{busy ? "Saving…" : "Set password and sign in"}</button>
      </Form>
    </section>
  );
}
