import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { FieldError, fieldErrorsOf } from "~/components/person";
import { RichTextField } from "~/components/rich-text-field";
import { DraftNotice } from "~/drafts/draft-notice";
import { useDraftedBody, useFormDraft } from "~/drafts/use-draft";
import { TAGS_MAX, TITLE_MAX } from "~/schemas/questions";
import { ErrorMessage } from "~/root";
import qaStyles from "~/styles/questions.css";
import { load, requireAuth } from "~/utils/http.server";
import { bodyFrom, runQaAction, str } from "~/utils/qa.server";
import { readForm } from "~/utils/body.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: qaStyles }];
export const meta: MetaFunction = () => [{ title: "Edit question · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const [question, departments] = await Promise.all([
    load(() => context.domain.questions.getEditableQuestion(auth.actor, params.id!)),
    context.domain.org.listDepartments(),
  ]);
  return { question, departments: departments.map((d) => ({ id: d.id, name: d.name })) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const input = {
    title: str(form.get("title")),
    body: bodyFrom(form),
    tags: str(form.get("tags")),
    departmentId: str(form.get("departmentId")),
    documentId: str(form.get("documentId")),
    insightId: str(form.get("insightId")),
    summary: str(form.get("summary")),
  };
  return runQaAction(async () => {
    await context.domain.questions.editQuestion(auth.actor, params.id!, input);
    return redirect(`/questions/${params.id}?edited=question`);
  }, { ...input, bodyText: input.body.plain ?? "" });
}

export default function EditQuestion() {
  const { question: q, departments } = useLoaderData<typeof loader>();
  const errs = fieldErrorsOf(useActionData<typeof action>());
  const v = (errs?.values ?? {}) as Record<string, string>;
  const navigation = useNavigation();
  // What is typed is kept as a draft of this edit until it is saved (the question page then drops it).
  const body = useDraftedBody(v.bodyText ?? q.bodyText, q.bodyJson);
  const kept = useFormDraft(
    `edit-question:${q.id}`,
    { title: v.title ?? q.title, tags: v.tags ?? q.tags.join(", "), departmentId: v.departmentId ?? q.departmentId ?? "", summary: v.summary ?? "" },
    { body, text: q.bodyText, json: q.bodyJson },
  );
  return (
    <section style={{ maxWidth: "52rem" }}>
      <h1>Edit question</h1>
      <p className="muted">Every edit is kept in the question’s history, which anyone can read.</p>
      {errs?.message && <p className="form-error" role="alert">{errs.message}</p>}
      <DraftNotice draft={kept.draft} onDiscard={kept.reset} />
      <Form method="post" noValidate ref={kept.ref} onChange={kept.onChange} data-testid="edit-question-form">
        <div className="field">
          <label htmlFor="title">Title</label>
          <input id="title" name="title" type="text" maxLength={TITLE_MAX + 50} defaultValue={v.title ?? q.title} />
          <FieldError errors={errs?.fieldErrors.title} />
        </div>
        <div className="field">
          <label htmlFor="body-field">Details</label>
          <RichTextField key={body.generation} {...body.field} label="Details" testId="edit-question-body" />
          <FieldError errors={errs?.fieldErrors.body} />
        </div>
        <div className="field">
          <label htmlFor="tags">Tags (up to {TAGS_MAX}, comma-separated)</label>
          <input id="tags" name="tags" type="text" defaultValue={v.tags ?? q.tags.join(", ")} />
          <FieldError errors={errs?.fieldErrors.tags} />
        </div>
        <div className="field">
          <label htmlFor="departmentId">Needs an answer from</label>
          <select id="departmentId" name="departmentId" defaultValue={v.departmentId ?? q.departmentId ?? ""}>
            <option value="">Anyone who knows</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>{d.name}</option>
            ))}
          </select>
        </div>
        <input type="hidden" name="documentId" value={q.documentId ?? ""} />
        <input type="hidden" name="insightId" value={q.insightId ?? ""} />
        <div className="field">
          <label htmlFor="summary">Edit summary</label>
          <input id="summary" name="summary" type="text" maxLength={200} placeholder="What changed, and why" defaultValue={v.summary ?? ""} />
          <FieldError errors={errs?.fieldErrors.summary} />
        </div>
        <FieldError errors={errs?.fieldErrors.form} />
        <p>
          <button type="submit" disabled={navigation.state === "submitting"}>Save edit</button> <Link to={`/questions/${q.id}`}>Cancel</Link>
        </p>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
