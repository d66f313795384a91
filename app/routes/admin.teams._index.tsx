import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { authorize } from "../../server/policy.js";
import { ActionMessages, SelectField, TextAreaField, TextField, typedValues } from "~/components/admin-ui";
import { fieldErrorsOf } from "~/components/person";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Teams · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(async () => authorize(auth.actor, "admin.view", null));
  const [teams, departments, people] = await Promise.all([
    context.domain.org.listTeams(),
    context.domain.org.listDepartments(),
    context.domain.people.listPeopleOptions(),
  ]);
  return {
    teams,
    departments: departments.map((d) => ({ value: d.id, label: d.name })),
    people: people.map((p) => ({ value: p.id, label: p.name })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const input = {
    name: form.get("name") ?? "",
    description: form.get("description") ?? "",
    departmentId: form.get("departmentId") || null,
    leadId: form.get("leadId") || null,
  };
  return runAction(async () => {
    const team = await context.domain.org.createTeam(auth.actor, input);
    return redirect(`/admin/teams/${team.id}?created=1`);
  }, input);
}

export default function AdminTeams() {
  const { teams, departments, people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fe = fieldErrorsOf(result)?.fieldErrors ?? {};
  const v = typedValues(result);
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const deleted = params.get("deleted");

  return (
    <>
      <h1>Teams</h1>
      <ActionMessages result={result} flash={deleted ? `Team “${deleted.slice(0, 80)}” deleted.` : null} />

      <div className="table-scroll">
        <table data-testid="teams-table">
          <caption className="sr-only">Teams</caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Department</th>
              <th scope="col">Lead</th>
              <th scope="col">Members</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {teams.length === 0 && (
              <tr><td colSpan={5} className="muted">No teams yet.</td></tr>
            )}
            {teams.map((t) => (
              <tr key={t.id} data-testid="team-row">
                <th scope="row">
                  <Link to={`/admin/teams/${t.id}`}>{t.name}</Link>
                  {t.description && <div className="muted small prewrap">{t.description}</div>}
                </th>
                <td>{t.department?.name ?? <span className="muted">—</span>}</td>
                <td>{t.lead ? <Link to={`/people/${t.lead.id}`}>{t.lead.name}</Link> : <span className="muted">—</span>}</td>
                <td>{t.members}</td>
                <td>
                  <div className="row compact">
                    <Link to={`/admin/teams/${t.id}`}>Manage<span className="sr-only"> {t.name}</span></Link>
                    <Link to={`/people?team=${t.id}`}>In directory<span className="sr-only">: {t.name}</span></Link>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <Form method="post" className="card admin-form" noValidate style={{ marginTop: "1rem" }}>
        <h2 id="new-team-h">New team</h2>
        <TextField prefix="new-team" name="name" label="Team name" errors={fe.name} defaultValue={v.name} maxLength={80} />
        <TextAreaField prefix="new-team" name="description" label="Description" errors={fe.description} defaultValue={v.description} maxLength={500} />
        <div className="row">
          <SelectField prefix="new-team" name="departmentId" label="Department" errors={fe.departmentId} defaultValue={v.departmentId} options={departments} empty="No department" />
          <SelectField prefix="new-team" name="leadId" label="Team lead" errors={fe.leadId} defaultValue={v.leadId} options={people} empty="No lead" />
        </div>
        <p className="muted">The lead becomes a member of the team.</p>
        <button type="submit" disabled={busy}>Create team</button>
      </Form>
    </>
  );
}
