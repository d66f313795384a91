import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { authorize } from "../../server/policy.js";
import { ActionMessages, SelectField, TextField, typedValues } from "~/components/admin-ui";
import { FieldError, fieldErrorsOf } from "~/components/person";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Skills vocabulary · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(async () => authorize(auth.actor, "admin.view", null));
  const skills = await context.domain.skills.listVocabulary();
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().toLowerCase().slice(0, 40);
  const shown = q ? skills.filter((s) => s.name.includes(q) || s.label.toLowerCase().includes(q) || s.synonyms.some((x) => x.includes(q))) : skills;
  return { skills: shown, total: skills.length, options: skills.map((s) => ({ value: s.name, label: s.label })), q };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const intent = String(form.get("intent") ?? "");
  if (intent === "add-synonym") {
    const input = { skill: form.get("skill") ?? "", synonym: form.get("synonym") ?? "" };
    return runAction(async () => {
      await context.domain.skills.addSynonym(auth.actor, input);
      return { ok: true as const, message: `“${String(input.synonym).trim().toLowerCase()}” is now a synonym of ${String(input.skill)}.` };
    }, { intent, ...input });
  }
  if (intent === "remove-synonym") {
    const synonym = String(form.get("synonym") ?? "");
    return runAction(async () => {
      await context.domain.skills.removeSynonym(auth.actor, synonym);
      return { ok: true as const, message: `Synonym “${synonym}” removed.` };
    }, { intent, synonym });
  }
  return { ok: false as const, message: "Unknown action.", fieldErrors: { form: ["Unknown action."] } };
}

export default function AdminSkills() {
  const { skills, total, options, q } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const err = fieldErrorsOf(result);
  const v = typedValues(result);
  const fe = err && v.intent === "add-synonym" ? err.fieldErrors : {};
  const busy = useNavigation().state === "submitting";

  return (
    <>
      <h1>Skills vocabulary</h1>
      <p className="muted">
        People pick skills from this shared vocabulary. A synonym makes a search or a profile entry for it resolve to the
        skill: with “k8s” as a synonym of Kubernetes, searching “k8s” finds Kubernetes experts.
      </p>
      <ActionMessages result={result} />

      <Form method="post" className="card admin-form" noValidate key={err && v.intent === "add-synonym" ? "retry" : `add-${skills.reduce((n, s) => n + s.synonyms.length, 0)}`}>
        <h2 id="add-syn-h">Add a synonym</h2>
        <input type="hidden" name="intent" value="add-synonym" />
        <div className="row">
          <SelectField prefix="add-syn" name="skill" label="Skill" errors={fe.skill} defaultValue={v.skill} options={options} empty="Choose a skill…" />
          <TextField prefix="add-syn" name="synonym" label="Synonym" errors={fe.synonym} defaultValue={v.synonym} maxLength={40} />
        </div>
        <button type="submit" disabled={busy}>Add synonym</button>
      </Form>

      <Form method="get" action="/admin/skills" className="filters" role="search" aria-label="Search skills" style={{ marginTop: "1rem" }}>
        <div className="field">
          <label htmlFor="skills-q">Filter skills</label>
          <input id="skills-q" name="q" type="search" defaultValue={q} maxLength={40} />
        </div>
        <button type="submit" className="secondary">Filter</button>
        {q && <Link to="/admin/skills">Show all</Link>}
      </Form>
      <p className="muted">{q ? `${skills.length} of ${total} skills match “${q}”.` : `${total} skills.`}</p>

      <div className="table-scroll">
        <table data-testid="skills-table">
          <caption className="sr-only">Skills with their synonyms</caption>
          <thead>
            <tr>
              <th scope="col">Skill</th>
              <th scope="col">Synonyms</th>
              <th scope="col">People</th>
            </tr>
          </thead>
          <tbody>
            {skills.length === 0 && (
              <tr><td colSpan={3} className="muted">No skills yet. Skills join the vocabulary when people add them to their profiles.</td></tr>
            )}
            {skills.map((s) => (
              <tr key={s.id} data-testid="skill-row">
                <th scope="row">
                  <Link to={`/people?skill=${encodeURIComponent(s.name)}`}>{s.label}</Link>
                  {s.label.toLowerCase() !== s.name && <span className="muted"> ({s.name})</span>}
                </th>
                <td>
                  {s.synonyms.length === 0 && <span className="muted">—</span>}
                  <ul className="synonyms">
                    {s.synonyms.map((syn) => (
                      <li key={syn}>
                        <Form method="post" className="synonym">
                          <input type="hidden" name="intent" value="remove-synonym" />
                          <input type="hidden" name="synonym" value={syn} />
                          <span>{syn}</span>
                          <button type="submit" className="link-button" disabled={busy}>
                            Remove<span className="sr-only"> synonym {syn}</span>
                          </button>
                        </Form>
                      </li>
                    ))}
                  </ul>
                  {err && v.intent === "remove-synonym" && s.synonyms.includes(v.synonym) && <FieldError errors={err.fieldErrors.synonym} />}
                </td>
                <td>{s.holders}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
