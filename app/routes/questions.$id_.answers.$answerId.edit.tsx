import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { FieldError, fieldErrorsOf } from "~/components/person";
import { RichTextField } from "~/components/rich-text-field";
import { DraftNotice } from "~/drafts/draft-notice";
import { useDraftedBody, useFormDraft } from "~/drafts/use-draft";
import { ErrorMessage } from "~/root";
import qaStyles from "~/styles/questions.css";
import { load, requireAuth } from "~/utils/http.server";
import { bodyFrom, runQaAction, str } from "~/utils/qa.server";
import { readForm } from "~/utils/body.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: qaStyles }];
export const meta: MetaFunction = () => [{ title: "Edit answer · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const answer = await load(() => context.domain.questions.getEditableAnswer(auth.actor, params.answerId!));
  if (answer.questionId !== params.id) throw new Response("That answer is not on this question.", { status: 404 });
  return { answer };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const input = { body: bodyFrom(form), summary: str(form.get("summary")) };
  return runQaAction(async () => {
    await context.domain.questions.editAnswer(auth.actor, params.answerId!, input);
    return redirect(`/questions/${params.id}?edited=${params.answerId}#answer-${params.answerId}`);
  }, { bodyText: input.body.plain ?? "", summary: input.summary });
}

export default function EditAnswer() {
  const { answer: a } = useLoaderData<typeof loader>();
  const errs = fieldErrorsOf(useActionData<typeof action>());
  const v = (errs?.values ?? {}) as Record<string, string>;
  const navigation = useNavigation();
  // What is typed is kept as a draft of this edit until it is saved (the question page then drops it).
  const body = useDraftedBody(v.bodyText ?? a.bodyText, a.bodyJson);
  const kept = useFormDraft(`edit-answer:${a.id}`, { summary: v.summary ?? "" }, { body, text: a.bodyText, json: a.bodyJson });
  return (
    <section style={{ maxWidth: "52rem" }}>
      <h1>Edit answer</h1>
      <p>To <Link to={`/questions/${a.questionId}`}>{a.questionTitle}</Link></p>
      {errs?.message && <p className="form-error" role="alert">{errs.message}</p>}
      <DraftNotice draft={kept.draft} onDiscard={kept.reset} />
      <Form method="post" noValidate ref={kept.ref} onChange={kept.onChange} data-testid="edit-answer-form">
        <div className="field">
          <label htmlFor="body-field">Answer</label>
          <RichTextField key={body.generation} {...body.field} label="Answer" testId="edit-answer-body" />
          <FieldError errors={errs?.fieldErrors.body} />
        </div>
        <div className="field">
          <label htmlFor="summary">Edit summary</label>
          <input id="summary" name="summary" type="text" maxLength={200} defaultValue={v.summary ?? ""} />
        </div>
        <FieldError errors={errs?.fieldErrors.form} />
        <p>
          <button type="submit" disabled={navigation.state === "submitting"}>Save edit</button> <Link to={`/questions/${a.questionId}`}>Cancel</Link>
        </p>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
