import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { FieldError, fieldErrorsOf } from "~/components/person";
import { runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Forgot your password · Atrium" }];

export async function loader({ context }: LoaderFunctionArgs) {
  // With password sign-in off, this page does not exist.
  if (context.env.PASSWORD_LOGIN === "off") throw new Response("There is nothing at this address.", { status: 404 });
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const email = form.get("email");
  return runAction(async () => {
    await context.domain.passwords.requestPasswordReset({ email }, { ip: context.clientIp, userAgent: context.userAgent });
    // The same answer whether or not the address has an account.
    return { ok: true as const };
  }, { email: typeof email === "string" ? email.slice(0, 254) : "" });
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const errors = fieldErrorsOf(result);
  const busy = useNavigation().state === "submitting";
  if (result && "ok" in result && result.ok) {
    return (
      <section className="card" style={{ maxWidth: 460, margin: "2rem auto" }} data-testid="reset-requested">
        <h1>Check your email</h1>
        <p role="status">
          If an active Atrium account uses that address, we have sent it a link to set a new password. The link works once
          and expires in an hour. Nothing arrived after a few minutes? Check your spam folder, or ask an administrator.
        </p>
        <p><Link to="/login">Back to sign in</Link></p>
      </section>
    );
  }
  return (
    <section className="card" style={{ maxWidth: 460, margin: "2rem auto" }}>
      <h1>Forgot your password?</h1>
      <p>Enter the email address of your Atrium account and we will send you a link to set a new password.</p>
      {errors && !errors.fieldErrors.email && (
        <p className="form-error" role="alert">{errors.message}</p>
      )}
      <Form method="post" noValidate>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required maxLength={254} defaultValue={(errors?.values as { email?: string } | undefined)?.email} aria-invalid={!!errors?.fieldErrors.email} aria-describedby="email-error" />
          <FieldError id="email-error" errors={errors?.fieldErrors.email} />
        </div>
        <button type="submit" disabled={busy}>{busy ? "Sending…" : "Send me a link"}</button>{" "}
        <Link to="/login">Back to sign in</Link>
      </Form>
    </section>
  );
}
