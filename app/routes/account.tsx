import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { clearSessionCookie } from "../../server/http/cookies.js";
import { cookieSecure, requireAuth } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Your account · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const sessions = await context.domain.accounts.listSessions(auth.actor);
  return { user: auth.user, currentKey: auth.sessionId.slice(0, 8), sessions };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  await context.domain.accounts.signOutEverywhere(auth.actor, auth.actor.id);
  return redirect("/login?ended=1", { headers: { "Set-Cookie": clearSessionCookie(cookieSecure(context, request)) } });
}

export default function Account() {
  const { user, sessions, currentKey } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Your account</h1>
      <p>Signed in as <strong>{user.name}</strong> ({user.email}). <Link to={`/people/${user.id}/edit`}>Edit your profile</Link> · <Link to="/account/tokens">API tokens</Link></p>
      <h2>Where you are signed in</h2>
      <table>
        <thead><tr><th scope="col">Browser</th><th scope="col">Address</th><th scope="col">Signed in</th><th scope="col">Last active</th></tr></thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.key} data-testid="session-row">
              <td>{s.userAgent || "Unknown"}{s.key === currentKey && <strong> (this browser)</strong>}</td>
              <td>{s.ip}</td>
              <td>{new Date(s.createdAt).toLocaleString("en-GB")}</td>
              <td>{new Date(s.lastSeenAt).toLocaleString("en-GB")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Form method="post" style={{ marginTop: "1rem" }}>
        <button type="submit" className="danger">Sign out everywhere</button>
        <p className="muted">Ends every session, including this one, and closes live connections in all your tabs and devices.</p>
      </Form>
    </>
  );
}
