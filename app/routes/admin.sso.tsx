import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { load, requireAuth } from "~/utils/http.server";
import { When } from "~/components/when";

export const meta: MetaFunction = () => [{ title: "Single sign-on · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  return load(() => context.domain.sso.ssoOverview(auth.actor));
}

export default function AdminSso() {
  const s = useLoaderData<typeof loader>();
  const row = (label: string, value: string | null) => (
    <tr><th scope="row">{label}</th><td>{value ? <code>{value}</code> : <span className="muted">not set</span>}</td></tr>
  );
  return (
    <>
      <h1>Single sign-on</h1>
      <p data-testid="sso-state">
        {s.enabled ? `Single sign-on with ${s.providerName} is on.` : "Single sign-on is off."}{" "}
        {s.passwordLogin ? "Password sign-in is on." : "Password sign-in is off: people sign in only through the identity provider."}
      </p>
      <p className="muted">
        Configured by the environment (<code>OIDC_ISSUER</code>, <code>OIDC_CLIENT_ID</code>, <code>OIDC_CLIENT_SECRET</code>,{" "}
        <code>OIDC_REDIRECT_URI</code>, <code>OIDC_PROVIDER_NAME</code>, <code>PASSWORD_LOGIN=on|off</code>) and applied at start.
        On a first sign-in a person is linked to the account with the same <em>verified</em> email, or an account is created;
        the department and title claims, when sent, update the profile. A person keeps one identity per provider: a
        different identity with the email of someone already linked there is refused (“identity changed”) until an admin
        unlinks the old one on the person’s edit page (<Link to="/admin/users">Users</Link> → Edit HR fields).
      </p>
      <div className="table-scroll"><table>
        <tbody>
          {row("Issuer", s.issuer)}
          {row("Client id", s.clientId)}
          {row("Redirect URI (register this at the provider)", s.redirectUri)}
          {row("Scopes", s.scopes)}
          {row("Department claim", s.claims.department)}
          {row("Title claim", s.claims.title)}
          <tr><th scope="row">Linked accounts</th><td>{s.linked}</td></tr>
        </tbody>
      </table></div>
      <h2>Recent single sign-on events</h2>
      {s.recent.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul>
          {s.recent.map((e) => (
            <li key={e.id}><When date={e.createdAt} format="datetime" /> — {e.summary} {e.ip && <span className="muted">from {e.ip}</span>}</li>
          ))}
        </ul>
      )}
      <p><Link to="/admin/audit?action=auth.sso_signin">All single sign-ons in the audit log</Link></p>
    </>
  );
}
