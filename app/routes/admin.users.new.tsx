import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { authorize } from "../../server/policy.js";
import { ActionMessages, SelectField, TextField, typedValues } from "~/components/admin-ui";
import { fieldErrorsOf } from "~/components/person";
import { load, requireAuth, runAction } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Create user · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(async () => authorize(auth.actor, "user.create", null));
  const departments = await context.domain.org.listDepartments();
  return { departments: departments.map((d) => ({ value: d.id, label: d.name })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await request.formData();
  const input = {
    email: form.get("email") ?? "",
    name: form.get("name") ?? "",
    password: form.get("password") ?? "",
    role: form.get("role") || "member",
    title: form.get("title") ?? "",
    departmentId: form.get("departmentId") || null,
  };
  // The password is never sent back to the page.
  const { password: _omit, ...echo } = input;
  return runAction(async () => {
    const user = await context.domain.accounts.createUser(auth.actor, input);
    return redirect(`/admin/users?created=${encodeURIComponent(user.id)}`);
  }, echo);
}

export default function CreateUser() {
  const { departments } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fe = fieldErrorsOf(result)?.fieldErrors ?? {};
  const v = typedValues(result);
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <p><Link to="/admin/users">← All users</Link></p>
      <h1>Create user</h1>
      <ActionMessages result={result} />
      <Form method="post" className="card admin-form" noValidate>
        <TextField prefix="new-user" name="name" label="Name" errors={fe.name} defaultValue={v.name} maxLength={100} autoComplete="off" />
        <TextField prefix="new-user" name="email" label="Email" type="email" errors={fe.email} defaultValue={v.email} maxLength={254} autoComplete="off" />
        <TextField
          prefix="new-user"
          name="password"
          label="Initial password"
          type="password"
          errors={fe.password}
          maxLength={200}
          autoComplete="new-password"
          hint="At least 10 characters. Give it to the person through a private channel."
        />
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
