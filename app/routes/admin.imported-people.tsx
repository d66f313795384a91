import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ActionMessages, SelectField, typedValues } from "~/components/admin-ui";
import { fieldErrorsOf } from "~/components/person";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export const meta: MetaFunction = () => [{ title: "Imported people · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  // listImportedPeople authorizes "user.mergeImported" (admins): a member gets the 403 page.
  const people = await load(() => context.domain.importedPeople.listImportedPeople(auth.actor));
  const accounts = await context.domain.people.listPeopleOptions();
  return { people, accounts };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const values = { placeholderId: String(form.get("placeholderId") ?? ""), accountId: String(form.get("accountId") ?? "") };
  return runAction(async () => {
    const r = await context.domain.importedPeople.mergeImportedPerson(auth.actor, values);
    const { questions, answers, comments } = r.moved;
    return { ok: true as const, message: `Merged: ${count(questions, "question")}, ${count(answers, "answer")} and ${count(comments, "comment")} now belong to the account.` };
  }, values);
}

export default function AdminImportedPeople() {
  const { people, accounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const typed = typedValues(result);
  const errors = fieldErrorsOf(result)?.fieldErrors ?? {};
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <h1>Imported people</h1>
      <p>
        People from an imported Stack Exchange site have a placeholder profile (no password). Questions can be routed to
        them from their answers. When one of them works here, merge the placeholder into their account: their questions,
        answers, comments and routes move to it, and later imports of the site map to it too.
      </p>
      <ActionMessages result={result} />
      {people.length ? (
        <Form method="post" className="card" aria-labelledby="merge-h">
          <h2 id="merge-h">Merge into an account</h2>
          <SelectField
            prefix="merge"
            name="placeholderId"
            label="Imported person"
            errors={errors.placeholderId}
            defaultValue={typed.placeholderId}
            empty="Choose…"
            options={people.map((p) => ({ value: p.id, label: `${p.name} — imported from ${p.sites.join(", ")} (${count(p.answers, "answer")}, ${count(p.questions, "question")})` }))}
          />
          <SelectField
            prefix="merge"
            name="accountId"
            label="Account"
            errors={errors.accountId}
            defaultValue={typed.accountId}
            empty="Choose…"
            options={accounts.map((a) => ({ value: a.id, label: a.name }))}
          />
          <button type="submit" disabled={busy}>Merge</button>
        </Form>
      ) : (
        <p className="muted">No imported people are waiting for an account.</p>
      )}
    </>
  );
}
