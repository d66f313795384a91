import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { EntityPicker, type Picked } from "~/components/entity-picker";
import { FieldError, fieldErrorsOf } from "~/components/person";
import { RichTextField } from "~/components/rich-text-field";
import { TagLink } from "~/components/questions";
import { DraftNotice } from "~/drafts/draft-notice";
import { useDraft, useDraftedBody, type DraftFields } from "~/drafts/use-draft";
import { TAGS_MAX, TITLE_MAX } from "~/schemas/questions";
import { ErrorMessage } from "~/root";
import qaStyles from "~/styles/questions.css";
import { requireAuth } from "~/utils/http.server";
import { bodyFrom, runQaAction, str } from "~/utils/qa.server";
import { readForm } from "~/utils/body.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: qaStyles }];
export const meta: MetaFunction = () => [{ title: "Ask a question · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const url = new URL(request.url);
  const [departments, tags, linked] = await Promise.all([
    context.domain.org.listDepartments(),
    context.domain.questions.tagSuggestions(auth.actor, 300),
    // Links from elsewhere (a document, an insight) prefill the pickers with what the reader may open.
    context.domain.questions.describeLinks(auth.actor, { documentId: url.searchParams.get("documentId"), insightId: url.searchParams.get("insightId") }),
  ]);
  return {
    departments: departments.map((d) => ({ id: d.id, name: d.name })),
    tags,
    prefill: {
      tags: url.searchParams.get("tags") ?? "",
      document: linked.document ? { id: linked.document.id, label: linked.document.title } : null,
      insight: linked.insight ? { id: linked.insight.id, label: linked.insight.label } : null,
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const input = {
    title: str(form.get("title")),
    body: bodyFrom(form),
    tags: str(form.get("tags")),
    departmentId: str(form.get("departmentId")),
    documentId: str(form.get("documentId")),
    insightId: str(form.get("insightId")),
  };
  return runQaAction(async () => {
    const { id } = await context.domain.questions.askQuestion(auth.actor, input);
    return redirect(`/questions/${id}?asked=1`);
  }, { ...input, bodyText: input.body.plain ?? "", documentLabel: str(form.get("documentIdLabel")), insightLabel: str(form.get("insightIdLabel")) });
}

/** After a refused post the form shows what was chosen; before, what the link that opened it named. */
function picked(id: string | undefined, label: string | undefined, prefill: Picked | null): Picked | null {
  if (id !== undefined) return id ? { id, label: label || id } : null;
  return prefill;
}

type Similar = { signedOut?: true; indexing?: { done: number; total: number } | null; similar: { id: string; title: string; score: number; answerCount: number; accepted: boolean; duplicate: boolean; tags: { name: string; label: string }[] }[] };

export default function Ask() {
  const { departments, tags: vocabulary, prefill } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errs = fieldErrorsOf(result);
  const values = (errs?.values ?? {}) as Record<string, string>;
  const navigation = useNavigation();
  const similar = useFetcher<Similar>();
  const [title, setTitle] = useState(values.title ?? "");
  const [tags, setTags] = useState(values.tags ?? prefill.tags);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const body = useDraftedBody(values.bodyText ?? "");
  const bodyText = body.text;
  const fill = (d: DraftFields) => {
    setTitle(d.title ?? "");
    setTags(d.tags ?? prefill.tags);
    body.fill(d);
  };
  const draft = useDraft("ask", { title, tags, body: bodyText }, fill, { bodyJson: body.json });

  // Similar questions while typing: debounced, title + body + tags.
  useEffect(() => {
    clearTimeout(timer.current);
    if (title.trim().length < 3 && bodyText.trim().length < 10) return;
    timer.current = setTimeout(() => {
      const p = new URLSearchParams({ title, body: bodyText.slice(0, 2000), tags });
      similar.load(`/questions/similar?${p}`);
    }, 250);
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [title, bodyText, tags]);

  const hits = similar.data?.similar ?? [];
  return (
    <div className="layout-2">
      <section>
        <h1>Ask a question</h1>
        {errs?.message && <p className="form-error" role="alert">{errs.message}</p>}
        <DraftNotice draft={draft} onDiscard={() => fill({})} />
        <Form method="post" noValidate data-testid="ask-form">
          <div className="field">
            <label htmlFor="title">Title</label>
            <input
              id="title"
              name="title"
              type="text"
              maxLength={TITLE_MAX + 50}
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              placeholder="e.g. How do I add our SAML IdP metadata to the staging app?"
              aria-invalid={!!errs?.fieldErrors.title}
              aria-describedby="title-err"
              autoComplete="off"
            />
            <FieldError id="title-err" errors={errs?.fieldErrors.title} />
          </div>
          <div className="field">
            <label htmlFor="body-field">Details</label>
            <RichTextField
              key={body.generation}
              {...body.field}
              label="Details"
              placeholder="What did you try? What happened?"
              testId="ask-body"
              describedBy="body-err"
            />
            <FieldError id="body-err" errors={errs?.fieldErrors.body} />
          </div>
          <div className="field">
            <label htmlFor="tags">Tags</label>
            <input
              id="tags"
              name="tags"
              type="text"
              value={tags}
              onChange={(e) => setTags(e.currentTarget.value)}
              placeholder="saml, okta"
              list="tag-vocabulary"
              aria-describedby="tags-hint tags-err"
              aria-invalid={!!errs?.fieldErrors.tags}
              autoComplete="off"
            />
            <datalist id="tag-vocabulary">
              {vocabulary.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
            <small id="tags-hint" className="muted">
              Up to {TAGS_MAX}, separated by commas. The same vocabulary as profile skills: “k8s” becomes kubernetes.
            </small>
            <FieldError id="tags-err" errors={errs?.fieldErrors.tags} />
          </div>
          <div className="field">
            <label htmlFor="departmentId">Needs an answer from (optional)</label>
            <select id="departmentId" name="departmentId" defaultValue={values.departmentId ?? ""}>
              <option value="">Anyone who knows</option>
              {departments.map((d) => (
                <option key={d.id} value={d.id}>{d.name}</option>
              ))}
            </select>
            <FieldError errors={errs?.fieldErrors.departmentId} />
          </div>
          <fieldset className="qa-links">
            <legend>Link a document or customer insight (optional)</legend>
            <EntityPicker
              name="documentId"
              type="doc"
              label="Document"
              placeholder="Search documents by title or words…"
              initial={picked(values.documentId, values.documentLabel, prefill.document)}
              errors={errs?.fieldErrors.documentId}
            />
            <EntityPicker
              name="insightId"
              type="insight"
              label="Customer insight"
              placeholder="Search insights by customer or words…"
              initial={picked(values.insightId, values.insightLabel, prefill.insight)}
              errors={errs?.fieldErrors.insightId}
            />
          </fieldset>
          <p>
            <button type="submit" disabled={navigation.state === "submitting"} data-testid="post-question">
              {navigation.state === "submitting" ? "Posting…" : "Post your question"}
            </button>{" "}
            <Link to="/questions">Cancel</Link>
          </p>
        </Form>
      </section>
      <aside className="card qa-similar" aria-labelledby="similar-h" aria-live="polite">
        <h2 id="similar-h" style={{ marginTop: 0 }}>Similar questions</h2>
        {similar.data?.signedOut && (
          <p className="form-error" role="alert" data-testid="similar-signed-out">
            Your session has ended. <Link to="/login?redirectTo=%2Fquestions%2Fask">Sign in again</Link>: what you typed here is kept as a draft.
          </p>
        )}
        {similar.data?.indexing && (
          <p className="muted" data-testid="similar-indexing">
            Still indexing questions after a restart ({similar.data.indexing.done.toLocaleString("en")} of {similar.data.indexing.total.toLocaleString("en")}): some similar questions may be missing for a moment.
          </p>
        )}
        {hits.length === 0 ? (
          <p className="muted">{title.trim().length < 3 ? "Start typing a title: questions like yours appear here." : similar.state === "loading" ? "Looking…" : "Nothing similar yet."}</p>
        ) : (
          <ol data-testid="similar-questions">
            {hits.map((q) => (
              <li key={q.id} data-testid="similar-question">
                <Link to={`/questions/${q.id}`} target="_blank">{q.title}</Link>{" "}
                <span className="muted">
                  {q.accepted ? "✓ accepted answer" : `${q.answerCount} answer${q.answerCount === 1 ? "" : "s"}`} · {q.score} votes
                  {q.duplicate ? " · duplicate" : ""}
                </span>
                <div>{q.tags.map((t) => <TagLink key={t.name} tag={t} />)}</div>
              </li>
            ))}
          </ol>
        )}
      </aside>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
