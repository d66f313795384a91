import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { clearSessionCookie, sessionCookie } from "../../server/http/cookies.js";
import { cookieSecure, requireAuth, runAction, type ActionErrors } from "~/utils/http.server";
// ── feed ──
import { DIGEST_FREQUENCIES, DIGEST_LABEL } from "~/schemas/feed";
import { FollowButton } from "~/components/social";
import { FieldError } from "~/components/person";
import { When } from "~/components/when";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/schemas/people";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Your account · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const sessions = await context.domain.accounts.listSessions(auth.actor);
  // feed
  const [following, digest, password] = await Promise.all([
    context.domain.follows.listFollowing(auth.actor),
    context.domain.digest.getDigestSettings(auth.actor),
    context.domain.passwords.passwordStatus(auth.actor),
  ]);
  const changed = new URL(request.url).searchParams.get("passwordChanged");
  const ended = Math.max(0, Math.floor(Number(changed)) || 0);
  const passwordChanged = changed === null ? null : `Your password was changed.${ended ? ` ${ended} other session${ended === 1 ? " was" : "s were"} signed out.` : ""}`;
  return { user: auth.user, currentKey: auth.sessionId.slice(0, 8), sessions, following, digest, password, passwordChanged };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  // ── feed: the digest form and the preview button ──
  const form = await readForm(request, context);
  const intent = form.get("intent");
  if (intent === "digest") {
    return runAction(async () => ({ ok: true as const, intent, message: `Saved: ${DIGEST_LABEL[(await context.domain.digest.setDigestFrequency(auth.actor, { frequency: form.get("frequency") })).frequency]}.` }));
  }
  if (intent === "digest-preview") {
    return runAction(async () => {
      const r = await context.domain.digest.sendDigestPreview(auth.actor);
      return { ok: true as const, intent, message: `A preview with ${r.items} item${r.items === 1 ? "" : "s"} was sent to ${r.to}.` };
    });
  }
  if (intent === "password") {
    return runAction(async () => {
      const r = await context.domain.passwords.changePassword(auth.actor, auth.sessionId, { currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword") });
      // The session was rotated with the password: this browser continues under the new cookie.
      // A redirect, so the page's loaders run with that cookie (in the same request they would
      // still carry the old one, now ended).
      return redirect(`/account?passwordChanged=${r.sessionsEnded}`, {
        headers: { "Set-Cookie": sessionCookie(r.session.token, r.session.expiresAt, cookieSecure(context, request)) },
      });
    }, { intent }); // never the passwords themselves
  }
  if (intent === "sign-out-everywhere") {
    await context.domain.accounts.signOutEverywhere(auth.actor, auth.actor.id);
    return redirect("/login?ended=1", { headers: { "Set-Cookie": clearSessionCookie(cookieSecure(context, request)) } });
  }
  // Ending every session is never what a form without a known intent meant.
  throw new Response("Unknown action.", { status: 400 });
}

export default function Account() {
  const { user, sessions, currentKey, following, digest, password, passwordChanged } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ({ ok: true; intent: string; message: string } | (ActionErrors & { intent?: string })) | undefined;
  const busy = useNavigation().formData?.get("intent");
  return (
    <>
      <h1>Your account</h1>
      <p>Signed in as <strong>{user.name}</strong> ({user.email}). <Link to={`/people/${user.id}/edit`}>Edit your profile</Link> · <Link to="/account/tokens">API tokens</Link></p>
      {password.enabled && <PasswordSection email={user.email} hasPassword={password.hasPassword} result={result} changed={passwordChanged} busy={busy === "password"} />}
      {/* ── feed ── */}
      <section className="card" aria-labelledby="digest" style={{ marginBottom: "1rem" }}>
        <h2 id="digest" style={{ marginTop: 0 }}>Email digest</h2>
        <p className="muted">
          Unanswered questions in your tags and skills, open insights for your teams, and mentions of you — sent in the morning of your time zone. Nothing is sent when there is nothing new.
          {digest.lastSentAt && <> Last sent <When date={digest.lastSentAt} />.</>}
        </p>
        <Form method="post" noValidate data-testid="digest-form">
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend>How often</legend>
            {DIGEST_FREQUENCIES.map((f) => (
              <label key={f} style={{ display: "block" }}>
                <input type="radio" name="frequency" value={f} defaultChecked={digest.frequency === f} required /> {DIGEST_LABEL[f]}
              </label>
            ))}
          </fieldset>
          {result && !result.ok && intentOf(result) !== "password" && <FieldError errors={result.fieldErrors.frequency ?? result.fieldErrors.form} />}
          <button type="submit" name="intent" value="digest" disabled={busy === "digest"}>Save digest preference</button>{" "}
          <button type="submit" name="intent" value="digest-preview" className="secondary" disabled={!digest.mailConfigured || busy === "digest-preview"} formNoValidate>
            Send me a preview now
          </button>
          {result?.ok && intentOf(result) !== "password" && <p role="status" data-testid="digest-status">{result.message}</p>}
          {result && !result.ok && intentOf(result) !== "password" && !result.fieldErrors.frequency && !result.fieldErrors.form && <p className="form-error" role="alert">{result.message}</p>}
          {!digest.mailConfigured && <p className="muted">Email is not configured on this server.</p>}
        </Form>
      </section>
      <section className="card" aria-labelledby="following-h" style={{ marginBottom: "1rem" }} data-testid="following">
        <h2 id="following-h" style={{ marginTop: 0 }}>Following</h2>
        <p className="muted">What you follow fills your <Link to="/">home feed</Link>.</p>
        {following.people.length + following.spaces.length + following.tags.length + following.questions.length === 0 && <p>You follow nothing yet.</p>}
        {following.people.length > 0 && <><h3>People</h3><ul className="list-plain">{following.people.map((p) => <li key={p.id}><Link to={`/people/${p.id}`}>{p.name}</Link> <span className="muted">{p.title}</span> <FollowButton kind="person" id={p.id} following name={p.name} /></li>)}</ul></>}
        {following.spaces.length > 0 && <><h3>Document spaces</h3><ul className="list-plain">{following.spaces.map((s) => <li key={s.id}><Link to={`/docs/spaces/${s.id}`}>{s.name}</Link> <FollowButton kind="space" id={s.id} following name={s.name} /></li>)}</ul></>}
        {following.tags.length > 0 && <><h3>Tags</h3><ul className="list-plain">{following.tags.map((t) => <li key={t.name}><Link to={`/questions/tagged/${encodeURIComponent(t.name)}`}>{t.label}</Link> <FollowButton kind="tag" id={t.name} following name={t.label} /></li>)}</ul></>}
        {following.questions.length > 0 && <><h3>Questions</h3><ul className="list-plain">{following.questions.map((q) => <li key={q.id}><Link to={`/questions/${q.id}`}>{q.title}</Link> <FollowButton kind="question" id={q.id} following name={q.title} /></li>)}</ul></>}
      </section>
      <h2>Where you are signed in</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Where you are signed in">
      <table>
        <thead><tr><th scope="col">Browser</th><th scope="col">Address</th><th scope="col">Signed in</th><th scope="col">Last active</th></tr></thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.key} data-testid="session-row">
              <td>{s.userAgent || "Unknown"}{s.key === currentKey && <strong> (this browser)</strong>}</td>
              <td>{s.ip}</td>
              <td><When date={s.createdAt} format="datetime" /></td>
              <td><When date={s.lastSeenAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <Form method="post" style={{ marginTop: "1rem" }}>
        <button type="submit" name="intent" value="sign-out-everywhere" className="danger">Sign out everywhere</button>
        <p className="muted">Ends every session, including this one, and closes live connections in all your tabs and devices.</p>
      </Form>
    </>
  );
}

/** Which form a result belongs to: successes name it, errors carry it in their values. */
const intentOf = (r: AccountResult) => (r ? (r.ok ? r.intent : (r.values as { intent?: string } | undefined)?.intent) : undefined);

type AccountResult = { ok: true; intent: string; message: string } | (ActionErrors & { intent?: string }) | undefined;

function PasswordSection({ email, hasPassword, result, changed, busy }: { email: string; hasPassword: boolean; result: AccountResult; changed: string | null; busy: boolean }) {
  const mine = intentOf(result) === "password" ? result : undefined;
  const fe = mine && !mine.ok ? mine.fieldErrors : {};
  return (
    <section className="card" aria-labelledby="password-h" style={{ marginBottom: "1rem" }} data-testid="password-section">
      <h2 id="password-h" style={{ marginTop: 0 }}>Password</h2>
      {!hasPassword ? (
        <p className="muted">You have no Atrium password. To set one, sign out and use “Forgot your password?” on the sign-in page.</p>
      ) : (
        // key: a successful change empties the fields.
        <Form method="post" noValidate key={mine?.ok ? mine.message : "password-form"} data-testid="password-form">
          <input type="hidden" name="intent" value="password" />
          <input type="email" name="username" autoComplete="username" value={email} hidden readOnly />
          <div className="field">
            <label htmlFor="currentPassword">Current password</label>
            <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required maxLength={PASSWORD_MAX} aria-invalid={!!fe.currentPassword} aria-describedby="currentPassword-error" />
            <FieldError id="currentPassword-error" errors={fe.currentPassword} />
          </div>
          <div className="field">
            <label htmlFor="newPassword">New password</label>
            <input id="newPassword" name="newPassword" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN} maxLength={PASSWORD_MAX} aria-invalid={!!fe.newPassword} aria-describedby="newPassword-hint newPassword-error" />
            <p className="muted small" id="newPassword-hint">At least {PASSWORD_MIN} characters; common and breached passwords are refused. Your other sessions are signed out; this one stays.</p>
            <FieldError id="newPassword-error" errors={fe.newPassword} />
          </div>
          <button type="submit" disabled={busy}>Change password</button>
          {!mine && changed && <p role="status" data-testid="password-status">{changed}</p>}
          {mine && !mine.ok && !fe.currentPassword && !fe.newPassword && <p className="form-error" role="alert">{mine.message}</p>}
        </Form>
      )}
    </section>
  );
}
