import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { authorize } from "../../server/policy.js";
import { ActionMessages, SelectField, TextField, typedValues } from "~/components/admin-ui";
import { fieldErrorsOf } from "~/components/person";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Create user · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(async () => authorize(auth.actor, "user.create", null));
  const departments = await context.domain.org.listDepartments();
  const password = await context.domain.passwords.passwordStatus(auth.actor);
  return { departments: departments.map((d) => ({ value: d.id, label: d.name })), passwordLogin: password.enabled, canInvite: password.mailConfigured };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const input = {
    email: form.get("email") ?? "",
    name: form.get("name") ?? "",
    access: form.get("access") || (context.env.PASSWORD_LOGIN === "off" ? "none" : "invite"),
    password: form.get("password") ?? "",
    role: form.get("role") || "member",
    title: form.get("title") ?? "",
    departmentId: form.get("departmentId") || null,
  };
  // The password is never sent back to the page.
  const { password: _omit, ...echo } = input;
  return runAction(async () => {
    const user = await context.domain.accounts.createUser(auth.actor, input);
    if (user.access === "invite" && !user.invited) return redirect(`/admin/users?created=${encodeURIComponent(user.id)}&invite=failed`);
    return redirect(`/admin/users?created=${encodeURIComponent(user.id)}${user.invited ? "&invited=1" : ""}`);
  }, echo);
}

export default function CreateUser() {
  const { departments, passwordLogin, canInvite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fe = fieldErrorsOf(result)?.fieldErrors ?? {};
  const v = typedValues(result);
  const access = v.access || (canInvite ? "invite" : "password");
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <p><Link to="/admin/users">← All users</Link></p>
      <h1>Create user</h1>
      <ActionMessages result={result} />
      <Form method="post" className="card admin-form" noValidate>
        <TextField prefix="new-user" name="name" label="Name" errors={fe.name} defaultValue={v.name} maxLength={100} autoComplete="off" />
        <TextField prefix="new-user" name="email" label="Email" type="email" errors={fe.email} defaultValue={v.email} maxLength={254} autoComplete="off" />
        {passwordLogin ? (
          <fieldset className="field">
            <legend>How they get a password</legend>
            <label style={{ display: "block" }}>
              <input type="radio" name="access" value="invite" defaultChecked={access === "invite"} disabled={!canInvite} /> Send them an invitation link to set their own password (valid 3 days)
            </label>
            <label style={{ display: "block" }}>
              <input type="radio" name="access" value="password" defaultChecked={access === "password"} /> Choose a password for them now
            </label>
            {!canInvite && <p className="muted small">Email is not configured on this server (SMTP_URL), so invitations cannot be sent.</p>}
            {fe.access && <p className="field-error" role="alert">{fe.access.join(" ")}</p>}
            <TextField
              prefix="new-user"
              name="password"
              label="Initial password"
              type="password"
              errors={fe.password}
              maxLength={256}
              autoComplete="new-password"
              hint="Only when setting one now. At least 12 characters; common and breached passwords are refused. Give it to the person through a private channel."
            />
          </fieldset>
        ) : (
          <input type="hidden" name="access" value="none" />
        )}
        <SelectField
          prefix="new-user"
          name="role"
          label="Role"
          errors={fe.role}
          defaultValue={v.role || "member"}
          options={[{ value: "member", label: "Member" }, { value: "leader", label: "Leader (sees every department's dashboard)" }, { value: "admin", label: "Admin" }]}
        />
        <TextField prefix="new-user" name="title" label="Job title" errors={fe.title} defaultValue={v.title} maxLength={100} />
        <SelectField prefix="new-user" name="departmentId" label="Department" errors={fe.departmentId} defaultValue={v.departmentId} options={departments} empty="No department" />
        <div className="row">
          <button type="submit" disabled={busy}>{busy ? "Creating…" : "Create user"}</button>
          <Link to="/admin/users">Cancel</Link>
        </div>
      </Form>
    </>
  );
}
