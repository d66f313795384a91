import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { authorize } from "../../server/policy.js";
import { ActionMessages, TextAreaField, TextField, typedValues } from "~/components/admin-ui";
import { fieldErrorsOf } from "~/components/person";
import { RowAction } from "~/components/row-action";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Departments · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(async () => authorize(auth.actor, "admin.view", null));
  const departments = await context.domain.org.listDepartments();
  const editId = new URL(request.url).searchParams.get("edit");
  const editing = editId ? departments.find((d) => d.id === editId) ?? null : null;
  return { departments, editing };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const org = context.domain.org;
  const form = await readForm(request, context);
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  const input = { name: form.get("name") ?? "", description: form.get("description") ?? "" };
  switch (intent) {
    case "create":
      return runAction(async () => {
        const d = await org.createDepartment(auth.actor, input);
        return { ok: true as const, message: `Department “${d.name}” created.` };
      }, { intent, ...input });
    case "update":
      return runAction(async () => {
        await org.updateDepartment(auth.actor, id, input);
        return redirect("/admin/departments");
      }, { intent, id, ...input });
    case "delete":
      return runAction(async () => {
        await org.deleteDepartment(auth.actor, id);
        return { ok: true as const, message: `Department “${String(form.get("departmentName") ?? "")}” deleted.` };
      }, { intent, id, departmentName: form.get("departmentName") ?? "" });
    default:
      return { ok: false as const, message: "Unknown action.", fieldErrors: { form: ["Unknown action."] } };
  }
}

export default function AdminDepartments() {
  const { departments, editing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const err = fieldErrorsOf(result);
  const v = typedValues(result);
  const busy = useNavigation().state === "submitting";
  const fe = (intent: string) => (err && v.intent === intent ? err.fieldErrors : {});
  // A refused "create" keeps what was typed; a successful one clears the form (new key).
  const createKey = err && v.intent === "create" ? "create-retry" : `create-${departments.length}`;

  return (
    <>
      <h1>Departments</h1>
      {err && v.intent === "delete" ? (
        <p className="form-error" role="alert" data-testid="form-error">
          Could not delete “{v.departmentName}”: {err.fieldErrors.form?.join(" ") ?? err.message}
        </p>
      ) : (
        <ActionMessages result={result} />
      )}

      {editing ? (
        <Form method="post" className="card admin-form" noValidate key={editing.id}>
          <h2 id="edit-dept-h">Edit department: {editing.name}</h2>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="id" value={editing.id} />
          <TextField prefix="edit-dept" name="name" label="Department name" errors={fe("update").name} defaultValue={v.intent === "update" ? v.name : editing.name} maxLength={80} />
          <TextAreaField prefix="edit-dept" name="description" label="Description" errors={fe("update").description} defaultValue={v.intent === "update" ? v.description : editing.description} maxLength={500} />
          <div className="row">
            <button type="submit" disabled={busy}>Save department</button>
            <Link to="/admin/departments">Cancel</Link>
          </div>
        </Form>
      ) : (
        <Form method="post" className="card admin-form" noValidate key={createKey}>
          <h2 id="new-dept-h">New department</h2>
          <input type="hidden" name="intent" value="create" />
          <TextField prefix="new-dept" name="name" label="Department name" errors={fe("create").name} defaultValue={v.intent === "create" ? v.name : ""} maxLength={80} />
          <TextAreaField prefix="new-dept" name="description" label="Description" errors={fe("create").description} defaultValue={v.intent === "create" ? v.description : ""} maxLength={500} />
          <button type="submit" disabled={busy}>Create department</button>
        </Form>
      )}

      <div className="table-scroll">
        <table data-testid="departments-table">
          <caption className="sr-only">Departments</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">People</th>
              <th scope="col">Teams</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {departments.length === 0 && (
              <tr><td colSpan={5} className="muted">No departments yet.</td></tr>
            )}
            {departments.map((d) => (
              <tr key={d.id} data-testid="department-row">
                <th scope="row"><Link to={`/people?department=${d.id}`}>{d.name}</Link></th>
                <td className="prewrap">{d.description || <span className="muted">—</span>}</td>
                <td>{d.people}</td>
                <td>{d.teams}</td>
                <td>
                  <div className="row compact">
                    <Link to={`/admin/departments?edit=${d.id}`}>Edit<span className="sr-only"> {d.name}</span></Link>
                    <RowAction intent="delete" fields={{ id: d.id, departmentName: d.name }} label="Delete" detail={d.name} buttonClassName="danger small" />
                  </div>
                  {err && v.intent === "delete" && v.id === d.id && <p className="field-error">{err.fieldErrors.form?.join(" ") ?? err.message}</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
