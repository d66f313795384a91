import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { authorize } from "../../server/policy.js";
import { ActionMessages, SelectField, TextAreaField, TextField, typedValues } from "~/components/admin-ui";
import { fieldErrorsOf } from "~/components/person";
import { RowAction } from "~/components/row-action";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.team.name ?? "Team"} · Admin · Atrium` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(async () => authorize(auth.actor, "admin.view", null));
  const team = await load(() => context.domain.org.getTeam(params.id!));
  const [departments, people] = await Promise.all([context.domain.org.listDepartments(), context.domain.people.listPeopleOptions()]);
  const memberIds = new Set(team.members.map((m) => m.id));
  return {
    team,
    departments: departments.map((d) => ({ value: d.id, label: d.name })),
    people: people.map((p) => ({ value: p.id, label: p.name })),
    candidates: people.filter((p) => !memberIds.has(p.id)).map((p) => ({ value: p.id, label: p.name })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const org = context.domain.org;
  const teamId = params.id!;
  const form = await readForm(request, context);
  const intent = String(form.get("intent") ?? "");
  const userId = String(form.get("userId") ?? "");
  switch (intent) {
    case "update": {
      const input = {
        name: form.get("name") ?? "",
        description: form.get("description") ?? "",
        departmentId: form.get("departmentId") || null,
        leadId: form.get("leadId") || null,
      };
      return runAction(async () => {
        await org.updateTeam(auth.actor, teamId, input);
        return { ok: true as const, message: "Team details saved." };
      }, { intent, ...input });
    }
    case "add-member":
      return runAction(async () => {
        await org.setTeamMembership(auth.actor, teamId, userId, true);
        return { ok: true as const, message: `${String(form.get("userName") ?? "") || "The person"} was added to the team.` };
      }, { intent, userId });
    case "remove-member":
      return runAction(async () => {
        await org.setTeamMembership(auth.actor, teamId, userId, false);
        return { ok: true as const, message: `${String(form.get("userName") ?? "") || "The person"} was removed from the team.` };
      }, { intent, userId });
    case "delete":
      return runAction(async () => {
        const team = await org.getTeam(teamId);
        await org.deleteTeam(auth.actor, teamId);
        return redirect(`/admin/teams?deleted=${encodeURIComponent(team.name)}`);
      }, { intent });
    default:
      return { ok: false as const, message: "Unknown action.", fieldErrors: { form: ["Unknown action."] } };
  }
}

export default function AdminTeam() {
  const { team, departments, people, candidates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const err = fieldErrorsOf(result);
  const v = typedValues(result);
  const fe = (intent: string) => (err && v.intent === intent ? err.fieldErrors : {});
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const typedUpdate = v.intent === "update";
  const nameOf = (id: string) => people.find((p) => p.value === id)?.label ?? "";

  return (
    <>
      <p><Link to="/admin/teams">← All teams</Link></p>
      <h1>Team: {team.name}</h1>
      <ActionMessages result={result} flash={params.get("created") ? `Team “${team.name}” created. Add its members below.` : null} />

      <section aria-labelledby="members-h">
        <h2 id="members-h">Members ({team.members.length})</h2>
        <div className="table-scroll">
          <table data-testid="members-table">
            <caption className="sr-only">Members of {team.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Title</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {team.members.length === 0 && (
                <tr><td colSpan={3} className="muted">No members yet.</td></tr>
              )}
              {team.members.map((m) => (
                <tr key={m.id} data-testid="member-row">
                  <th scope="row">
                    <Link to={`/people/${m.id}`}>{m.name}</Link>
                    {m.id === team.leadId && <span className="skill">Lead</span>}
                  </th>
                  <td>{m.title || <span className="muted">—</span>}</td>
                  <td>
                    <RowAction intent="remove-member" fields={{ userId: m.id, userName: m.name }} label="Remove" detail={`${m.name} from the team`} buttonClassName="secondary small" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        <Form method="post" className="row admin-inline-form" noValidate key={`add-${team.members.length}`}>
          <input type="hidden" name="intent" value="add-member" />
          <SelectField
            prefix="add-member"
            name="userId"
            label="Person to add"
            errors={fe("add-member").userId}
            defaultValue={v.intent === "add-member" ? v.userId : ""}
            options={candidates}
            empty="Choose a person…"
          />
          <button type="submit" disabled={busy}>Add member</button>
        </Form>
      </section>

      <Form method="post" className="card admin-form" noValidate style={{ marginTop: "1.5rem" }} key={`edit-${team.name}`}>
        <h2 id="edit-team-h">Team details</h2>
        <input type="hidden" name="intent" value="update" />
        <TextField prefix="edit-team" name="name" label="Team name" errors={fe("update").name} defaultValue={typedUpdate ? v.name : team.name} maxLength={80} />
        <TextAreaField prefix="edit-team" name="description" label="Description" errors={fe("update").description} defaultValue={typedUpdate ? v.description : team.description} maxLength={500} />
        <div className="row">
          <SelectField prefix="edit-team" name="departmentId" label="Department" errors={fe("update").departmentId} defaultValue={typedUpdate ? v.departmentId : team.departmentId ?? ""} options={departments} empty="No department" />
          <SelectField
            prefix="edit-team"
            name="leadId"
            label="Team lead"
            errors={fe("update").leadId}
            defaultValue={typedUpdate ? v.leadId : team.leadId ?? ""}
            options={team.leadId && !nameOf(team.leadId) ? [{ value: team.leadId, label: "(deactivated person)" }, ...people] : people}
            empty="No lead"
          />
        </div>
        <button type="submit" disabled={busy}>Save team</button>
      </Form>

      <Form method="post" className="card admin-danger" style={{ marginTop: "1.5rem" }}>
        <h2 id="delete-team-h">Delete team</h2>
        <p>Deleting “{team.name}” removes its {team.members.length} membership{team.members.length === 1 ? "" : "s"}; the people themselves are not affected.</p>
        <input type="hidden" name="intent" value="delete" />
        <button type="submit" className="danger" disabled={busy}>Delete team {team.name}</button>
      </Form>
    </>
  );
}
