import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FieldError, fieldErrorsOf } from "~/components/person";
import { ActionMessages, typedValues } from "~/components/admin-ui";
import { RowAction } from "~/components/row-action";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Users · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  // listUsers authorizes "admin.view": a member gets the 403 page.
  const all = await load(() => context.domain.accounts.listUsers(auth.actor));
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().toLowerCase().slice(0, 100);
  const users = q
    ? all.filter((u) => [u.name, u.email, u.title, u.department?.name ?? "", u.role].some((s) => s.toLowerCase().includes(q)))
    : all;
  const byId = (id: string | null) => (id ? all.find((u) => u.id === id) ?? null : null);
  const created = byId(url.searchParams.get("created"));
  const confirming = byId(url.searchParams.get("confirm"));
  return {
    passwordLogin: context.env.PASSWORD_LOGIN === "on",
    invited: url.searchParams.get("invited") === "1",
    inviteFailed: url.searchParams.get("invite") === "failed",
    selfId: auth.actor.id,
    users,
    total: all.length,
    q,
    created: created && { name: created.name, email: created.email },
    confirming: confirming?.active && confirming.id !== auth.actor.id ? { id: confirming.id, name: confirming.name } : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const accounts = context.domain.accounts;
  const form = await readForm(request, context);
  const intent = String(form.get("intent") ?? "");
  const userId = String(form.get("userId") ?? "");
  const name = String(form.get("userName") ?? "This person").slice(0, 100);
  const values = { intent, userId, role: form.get("role") };
  switch (intent) {
    case "deactivate":
      return runAction(async () => {
        await accounts.deactivateUser(auth.actor, userId);
        return { ok: true as const, message: `${name} was deactivated. Their sessions and live connections have ended.` };
      }, values);
    case "reactivate":
      return runAction(async () => {
        await accounts.reactivateUser(auth.actor, userId);
        return { ok: true as const, message: `${name} was reactivated and can sign in again.` };
      }, values);
    case "role":
      return runAction(async () => {
        await accounts.changeRole(auth.actor, userId, form.get("role"));
        return { ok: true as const, message: `${name} is now ${form.get("role") === "admin" ? "an admin" : form.get("role") === "leader" ? "a leader" : "a member"}.` };
      }, values);
    case "send-password-link":
      return runAction(async () => {
        const r = await context.domain.passwords.sendPasswordLink(auth.actor, userId);
        return { ok: true as const, message: `${r.kind === "invite" ? "An invitation" : "A set-password link"} was sent to ${name} (${r.to}). It works once and expires in 3 days.` };
      }, values);
    case "sign-out-everywhere":
      return runAction(async () => {
        const n = await accounts.signOutEverywhere(auth.actor, userId);
        return { ok: true as const, message: `${name} was signed out everywhere (${n} session${n === 1 ? "" : "s"} ended).` };
      }, values);
    default:
      return { ok: false as const, message: "Unknown action.", fieldErrors: { form: ["Unknown action."] } };
  }
}

export default function AdminUsers() {
  const { users, total, q, selfId, created, confirming, passwordLogin, invited, inviteFailed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const typed = typedValues(result);
  const rowErrors = fieldErrorsOf(result)?.fieldErrors ?? {};
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const keep = params.get("q") ? `?q=${encodeURIComponent(params.get("q")!)}` : "";

  return (
    <>
      <div className="row admin-heading">
        <h1>Users</h1>
        <Link to="/admin/users/new" className="button">Create user</Link>
      </div>
      <ActionMessages
        result={result}
        flash={
          created
            ? invited
              ? `Created an account for ${created.name} (${created.email}) and emailed them an invitation to set their password.`
              : inviteFailed
              ? `Created an account for ${created.name} (${created.email}), but the invitation could not be sent. Use “Send set-password link” to try again.`
              : `Created an account for ${created.name} (${created.email}).`
            : null
        }
      />

      {confirming && (
        <section className="card admin-confirm" aria-labelledby="confirm-h" data-testid="confirm-deactivate">
          <h2 id="confirm-h">Deactivate {confirming.name}?</h2>
          <p>
            Deactivating ends all of {confirming.name}’s sessions and live connections <strong>at once</strong>: every open
            Atrium page they have goes back to the sign-in page. They cannot sign in again, and they leave the people
            directory, until an admin reactivates the account. Their profile, teams and skills are kept.
          </p>
          <RowAction intent="deactivate" fields={{ userId: confirming.id, userName: confirming.name }} label={`Deactivate ${confirming.name}`} className="row" buttonClassName="danger">
            <Link to={`/admin/users${keep}`}>Cancel</Link>
          </RowAction>
        </section>
      )}

      <Form method="get" action="/admin/users" className="filters" role="search" aria-label="Search users">
        <div className="field">
          <label htmlFor="users-q">Filter users</label>
          <input id="users-q" name="q" type="search" defaultValue={q} maxLength={100} placeholder="Name, email, department…" />
        </div>
        <button type="submit" className="secondary">Filter</button>
        {q && <Link to="/admin/users">Show all</Link>}
      </Form>
      <p className="muted">{q ? `${users.length} of ${total} users match “${q}”.` : `${total} users.`}</p>

      <div className="table-scroll">
        <table data-testid="users-table">
          <caption className="sr-only">User accounts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Department</th>
              <th scope="col">Active</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const self = u.id === selfId;
              const errs = typed.userId === u.id ? rowErrors : {};
              return (
                <tr key={u.id} data-testid="user-row" data-user-id={u.id} className={u.active ? undefined : "inactive"}>
                  <th scope="row">
                    <Link to={`/people/${u.id}`}>{u.name}</Link>
                    {self && <span className="muted"> (you)</span>}
                    {u.title && <div className="muted small">{u.title}</div>}
                  </th>
                  <td>{u.email}</td>
                  <td>
                    {self ? (
                      u.role
                    ) : (
                      <Form method="post" className="row compact">
                        <input type="hidden" name="intent" value="role" />
                        <input type="hidden" name="userId" value={u.id} />
                        <input type="hidden" name="userName" value={u.name} />
                        <label htmlFor={`role-${u.id}`} className="sr-only">Role for {u.name}</label>
                        <select id={`role-${u.id}`} name="role" defaultValue={u.role} aria-invalid={errs.role ? true : undefined}>
                          <option value="member">member</option>
                          <option value="leader">leader</option>
                          <option value="admin">admin</option>
                        </select>
                        <button type="submit" className="secondary small" disabled={busy}>
                          Change role<span className="sr-only"> for {u.name}</span>
                        </button>
                        <FieldError errors={errs.role} />
                      </Form>
                    )}
                  </td>
                  <td>{u.department?.name ?? <span className="muted">—</span>}</td>
                  <td>{u.active ? "Active" : <strong className="status-inactive">Deactivated</strong>}</td>
                  <td>
                    <div className="row compact">
                      <Link to={`/people/${u.id}/edit`}>Edit HR fields<span className="sr-only"> for {u.name}</span></Link>
                      {passwordLogin && u.active && (
                        <RowAction intent="send-password-link" fields={{ userId: u.id, userName: u.name }} label="Send set-password link" detail={`to ${u.name}`} buttonClassName="secondary small" />
                      )}
                      {!self && u.active && (
                        <>
                          <RowAction intent="sign-out-everywhere" fields={{ userId: u.id, userName: u.name }} label="Sign out everywhere" detail={`(${u.name})`} buttonClassName="secondary small" />
                          <Link to={`/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), confirm: u.id })}`} className="button danger small">
                            Deactivate…<span className="sr-only"> {u.name}</span>
                          </Link>
                        </>
                      )}
                      {!self && !u.active && (
                        <RowAction intent="reactivate" fields={{ userId: u.id, userName: u.name }} label="Reactivate" detail={u.name} buttonClassName="small" />
                      )}
                      {self && <Link to="/account">Your sessions</Link>}
                    </div>
                    {errs.form && <FieldError errors={errs.form} />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
