import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, useActionData, useFetcher, useLoaderData, useNavigation, useRouteError, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { Avatar, FieldError, fieldErrorsOf, Presence } from "~/components/person";
import { ImportedFrom, PersonLink, TagLink, Time, VoteControl, type MiniPersonView } from "~/components/questions";
import { RichTextView } from "~/components/rich-text";
import { RichTextField } from "~/components/rich-text-field";
import { DraftNotice } from "~/drafts/draft-notice";
import { useDraft, useDraftPosted, useDraftedBody, useFormDraft, useKeptDraft } from "~/drafts/use-draft";
import { ANSWERING_THROTTLE_MS, ANSWERING_TTL_MS } from "~/realtime/events";
import { useRealtime, useSocketEvent } from "~/realtime/client";
import { useEntityWatch } from "~/realtime/entity-watch";
import { COMMENT_MAX } from "~/schemas/questions";
import qaStyles from "~/styles/questions.css";
import { ErrorMessage } from "~/root";
import { load, requireAuth } from "~/utils/http.server";
import { bodyFrom, runQaAction, str } from "~/utils/qa.server";
import { Reactions } from "~/components/social";
import { readForm } from "~/utils/body.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: qaStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.q.title ?? "Question"} · Atrium` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const q = await load(() => context.domain.questions.getQuestion(auth.actor, params.id!));
  // feed: reactions on the question and its answers (nothing deleted takes reactions).
  const reactions = q.deleted
    ? {}
    : await context.domain.reactions.listReactions(auth.actor, [
        { targetType: "question", targetId: q.id },
        ...q.answers.filter((a) => !a.deleted).map((a) => ({ targetType: "answer" as const, targetId: a.id })),
      ]);
  const [people, departments, duplicates] = await Promise.all([
    q.can.askPerson ? context.domain.people.listPeopleOptions() : Promise.resolve([]),
    q.can.askPerson ? context.domain.org.listDepartments() : Promise.resolve([]),
    q.can.close ? context.domain.questions.duplicateSuggestions(auth.actor, q.id) : Promise.resolve([]),
  ]);
  return {
    q,
    me: auth.actor.id,
    people: people.filter((p) => p.id !== auth.actor.id),
    departments: departments.map((d) => ({ id: d.id, name: d.name })),
    duplicates,
    reactions,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const qa = context.domain.questions;
  const id = params.id!;
  const intent = str(form.get("intent"));
  const target = str(form.get("targetId"));
  return runQaAction(async () => {
    switch (intent) {
      case "answer": {
        const { id: answerId } = await qa.answerQuestion(auth.actor, id, { body: bodyFrom(form) });
        return { ok: true as const, intent, answerId };
      }
      case "vote-question":
        return { ok: true as const, intent, ...(await qa.voteQuestion(auth.actor, id, { value: form.get("value") })) };
      case "vote-answer":
        return { ok: true as const, intent, ...(await qa.voteAnswer(auth.actor, target, { value: form.get("value") })) };
      case "accept":
        await qa.acceptAnswer(auth.actor, target);
        break;
      case "unaccept":
        await qa.unacceptAnswer(auth.actor, target);
        break;
      case "comment":
        await qa.comment(auth.actor, id, { body: form.get("body"), answerId: target || null });
        break;
      case "delete-comment":
        await qa.deleteComment(auth.actor, target);
        break;
      case "follow":
        await qa.followQuestion(auth.actor, id);
        break;
      case "unfollow":
        await qa.unfollowQuestion(auth.actor, id);
        break;
      case "close":
        await qa.closeAsDuplicate(auth.actor, id, { duplicateOf: form.get("duplicateOf") });
        break;
      case "reopen":
        await qa.reopenQuestion(auth.actor, id);
        break;
      case "delete-question":
        await qa.deleteQuestion(auth.actor, id, { reason: form.get("reason") });
        return redirect(`/questions/${id}`);
      case "delete-answer":
        await qa.deleteAnswer(auth.actor, target, { reason: form.get("reason") });
        break;
      case "ask-person":
        await qa.askPerson(auth.actor, id, { userId: form.get("userId") });
        break;
      case "ask-department":
        await qa.askDepartment(auth.actor, id, { departmentId: form.get("departmentId") });
        break;
      default:
        throw new Response("Unknown action.", { status: 400 });
    }
    return { ok: true as const, intent };
  }, { intent, targetId: target, bodyText: str(form.get("bodyPlain")) });
}

type Page = ReturnType<typeof useLoaderData<typeof loader>>;
type Comment = Page["q"]["comments"][number];

/** Shows a refusal message from a fetcher next to the control that caused it. */
function FetcherError({ data }: { data: unknown }) {
  const e = fieldErrorsOf(data);
  if (!e) return null;
  const all = [...Object.values(e.fieldErrors).flat()].filter(Boolean) as string[];
  return <FieldError errors={all.length ? all : [e.message ?? "That did not work."]} />;
}

/** A question's or an answer's comments, and the box to add one (opened by itself when a draft of it is kept). */
function Comments({ questionId, comments, answerId, canComment }: { questionId: string; comments: Comment[]; answerId: string | null; canComment: boolean }) {
  const form = canComment ? `comment:${questionId}:${answerId ?? "question"}` : null;
  const kept = useKeptDraft(form);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (kept) setOpen(true);
  }, [kept]);
  return (
    <div>
      {comments.length > 0 && (
        <ul className="qa-comments" data-testid={answerId ? "answer-comments" : "question-comments"}>
          {comments.map((c) => (
            <li key={c.id} data-testid="comment">
              {c.deleted ? (
                <span className="muted">Comment deleted by {c.deleted.by}.</span>
              ) : (
                <>
                  <span>{c.body}</span> <span className="muted">— <Link to={`/people/${c.author.id}`}>{c.author.name}</Link> <ImportedFrom site={c.author.importedFrom} />, <Time iso={c.createdAt} /></span>
                  {c.canDelete && <DeleteCommentButton id={c.id} />}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {form &&
        (open ? (
          <CommentBox form={form} answerId={answerId} onPosted={() => setOpen(false)} />
        ) : (
          <button type="button" className="link-button" onClick={() => setOpen(true)} data-testid="add-comment">Add a comment</button>
        ))}
    </div>
  );
}

/** The comment box; what is typed is kept as a draft until the comment is posted. */
function CommentBox({ form, answerId, onPosted }: { form: string; answerId: string | null; onPosted: () => void }) {
  const fetcher = useFetcher<typeof action>();
  const kept = useFormDraft(form, { body: "" });
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data && "ok" in fetcher.data && fetcher.data.ok && fetcher.data.intent === "comment") {
      kept.draft.discard();
      kept.reset();
      onPosted();
    }
    // Once per answer from the server.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);
  return (
    <fetcher.Form method="post" ref={kept.ref} onChange={kept.onChange} className="row" style={{ marginTop: ".4rem" }} data-testid="comment-form">
      <DraftNotice draft={kept.draft} onDiscard={kept.reset} testId="comment-draft-restored" />
      <input type="hidden" name="intent" value="comment" />
      <input type="hidden" name="targetId" value={answerId ?? ""} />
      <label className="sr-only" htmlFor={`comment-${answerId ?? "q"}`}>Comment</label>
      <input id={`comment-${answerId ?? "q"}`} name="body" type="text" maxLength={COMMENT_MAX} style={{ flex: 1, minWidth: "14rem" }} autoFocus data-testid="comment-input" />
      <button type="submit" className="secondary" disabled={fetcher.state !== "idle"}>Add comment</button>
      <FetcherError data={fetcher.data} />
    </fetcher.Form>
  );
}

function DeleteCommentButton({ id }: { id: string }) {
  const fetcher = useFetcher();
  return (
    <fetcher.Form method="post" style={{ display: "inline" }}>
      <input type="hidden" name="intent" value="delete-comment" />
      <input type="hidden" name="targetId" value={id} />
      <button type="submit" className="link-button" style={{ marginLeft: ".4rem", fontSize: ".8rem" }}>delete</button>
    </fetcher.Form>
  );
}

function DeleteForm({ intent, targetId, what }: { intent: "delete-question" | "delete-answer"; targetId?: string; what: string }) {
  const fetcher = useFetcher();
  const [open, setOpen] = useState(false);
  if (!open) return <button type="button" className="link-button" onClick={() => setOpen(true)}>Delete</button>;
  return (
    <fetcher.Form method="post" className="row">
      <input type="hidden" name="intent" value={intent} />
      {targetId && <input type="hidden" name="targetId" value={targetId} />}
      <label htmlFor={`reason-${targetId ?? "q"}`}>Reason (kept with the trace)</label>
      <input id={`reason-${targetId ?? "q"}`} name="reason" type="text" maxLength={300} />
      <button type="submit" className="danger">Delete this {what}</button>
      <button type="button" className="link-button" onClick={() => setOpen(false)}>Cancel</button>
      <FetcherError data={fetcher.data} />
    </fetcher.Form>
  );
}

function AcceptButton({ answerId, accepted }: { answerId: string; accepted: boolean }) {
  const fetcher = useFetcher();
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={accepted ? "unaccept" : "accept"} />
      <input type="hidden" name="targetId" value={answerId} />
      <button type="submit" className={accepted ? "secondary" : undefined} disabled={fetcher.state !== "idle"} data-testid={accepted ? "unaccept-answer" : "accept-answer"}>
        {accepted ? "Unaccept" : "✓ Accept this answer"}
      </button>
      <FetcherError data={fetcher.data} />
    </fetcher.Form>
  );
}

function FollowButton({ following, count }: { following: boolean; count: number }) {
  const fetcher = useFetcher();
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={following ? "unfollow" : "follow"} />
      <button type="submit" className="secondary" data-testid="follow-question">
        {following ? "Following ✓" : "Follow"} <span className="muted">({count})</span>
      </button>
    </fetcher.Form>
  );
}

function RoutingPanel({ q, people, departments }: { q: Page["q"]; people: Page["people"]; departments: Page["departments"] }) {
  const personFetcher = useFetcher();
  const deptFetcher = useFetcher();
  return (
    <section className="card" aria-labelledby="routed-h">
      <h2 id="routed-h" style={{ marginTop: 0 }}>Routed to</h2>
      {q.routedTo.length === 0 ? (
        <p className="muted">Nobody yet: no colleague has declared or shown expertise on these tags.</p>
      ) : (
        <ul className="list-plain qa-routed" data-testid="routed-to">
          {q.routedTo.map((r) => (
            <li key={r.person.id} data-testid="routed-person">
              <span className="row" style={{ gap: ".35rem" }}>
                <Avatar name={r.person.name} initials={r.person.initials} photoUrl={r.person.photoUrl} size={24} />
                <Link to={`/people/${r.person.id}`}>{r.person.name}</Link>
                <Presence userId={r.person.id} initial={r.presence} />
              </span>
              <div className="muted" style={{ fontSize: ".85rem" }}>{r.kind === "person" ? "Asked directly" : r.reason}</div>
            </li>
          ))}
        </ul>
      )}
      {q.can.askPerson && (
        <>
          <personFetcher.Form method="post" className="field" style={{ marginTop: ".75rem" }}>
            <input type="hidden" name="intent" value="ask-person" />
            <label htmlFor="ask-person">Ask a person</label>
            <div className="row">
              <select id="ask-person" name="userId" defaultValue="">
                <option value="" disabled>Choose a colleague…</option>
                {people.map((p) => (
                  <option key={p.id} value={p.id}>{p.name}</option>
                ))}
              </select>
              <button type="submit" className="secondary">Ask</button>
            </div>
            <FetcherError data={personFetcher.data} />
          </personFetcher.Form>
          <deptFetcher.Form method="post" className="field">
            <input type="hidden" name="intent" value="ask-department" />
            <label htmlFor="ask-dept">Ask a department</label>
            <div className="row">
              <select id="ask-dept" name="departmentId" defaultValue={q.department?.id ?? ""}>
                <option value="" disabled>Choose a department…</option>
                {departments.map((d) => (
                  <option key={d.id} value={d.id}>{d.name}</option>
                ))}
              </select>
              <button type="submit" className="secondary">Ask</button>
            </div>
            <FetcherError data={deptFetcher.data} />
          </deptFetcher.Form>
        </>
      )}
    </section>
  );
}

function ModerationPanel({ q, duplicates }: { q: Page["q"]; duplicates: Page["duplicates"] }) {
  const fetcher = useFetcher();
  if (!q.can.close && !q.can.reopen) return null;
  return (
    <section className="card" aria-labelledby="mod-h">
      <h2 id="mod-h" style={{ marginTop: 0 }}>{q.can.reopen ? "Closed" : "Duplicate?"}</h2>
      {q.can.reopen ? (
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="reopen" />
          <button type="submit" className="secondary">Reopen this question</button>
        </fetcher.Form>
      ) : (
        <>
          {duplicates.length > 0 && (
            <>
              <p className="muted">Possible duplicates (same engine as while asking):</p>
              <ul className="list-plain" data-testid="duplicate-suggestions">
                {duplicates.map((d) => (
                  <li key={d.id}>
                    <Link to={`/questions/${d.id}`}>{d.title}</Link>{" "}
                    <fetcher.Form method="post" style={{ display: "inline" }}>
                      <input type="hidden" name="intent" value="close" />
                      <input type="hidden" name="duplicateOf" value={d.id} />
                      <button type="submit" className="link-button">close as duplicate of this</button>
                    </fetcher.Form>
                  </li>
                ))}
              </ul>
            </>
          )}
          <fetcher.Form method="post" className="field" style={{ marginTop: ".5rem" }}>
            <input type="hidden" name="intent" value="close" />
            <label htmlFor="dup-of">Close as duplicate of (address or id)</label>
            <div className="row">
              <input id="dup-of" name="duplicateOf" type="text" maxLength={300} placeholder="/questions/…" />
              <button type="submit" className="secondary">Close</button>
            </div>
          </fetcher.Form>
        </>
      )}
      <FetcherError data={fetcher.data} />
    </section>
  );
}

/** Live: join the question's room; revalidate when something happens there; show who is answering. */
function useLiveQuestion(questionId: string, me: string, routedIds: string[]) {
  const { socket, connection } = useRealtime();
  // The page's data (status, answers, the routed people's presence line) follows entity notices.
  const live = useEntityWatch([{ type: "question", id: questionId }, ...routedIds.map((id) => ({ type: "person" as const, id }))]);
  const [answering, setAnswering] = useState<Map<string, { name: string; until: number }>>(new Map());

  useEffect(() => {
    if (!socket || connection !== "connected") return;
    socket.emit("question.join", questionId);
    return () => void socket.emit("question.leave", questionId);
  }, [socket, connection, questionId]);

  const mine = (p: { questionId: string }) => p.questionId === questionId;
  useSocketEvent("question.answered", (p) => {
    if (!mine(p)) return;
    setAnswering((prev) => {
      const next = new Map(prev);
      next.delete(p.authorId);
      return next;
    });
  });
  useSocketEvent("question.answering", (p) => {
    if (!mine(p) || p.userId === me) return;
    setAnswering((prev) => new Map(prev).set(p.userId, { name: p.name, until: Date.now() + ANSWERING_TTL_MS }));
  });
  // Expire indicators that were not refreshed.
  useEffect(() => {
    if (!answering.size) return;
    const t = setInterval(() => {
      const now = Date.now();
      setAnswering((prev) => {
        const next = new Map([...prev].filter(([, v]) => v.until > now));
        return next.size === prev.size ? prev : next;
      });
    }, 500);
    return () => clearInterval(t);
  }, [answering.size]);

  const lastTyping = useRef(0);
  const typing = useCallback(() => {
    const now = Date.now();
    if (!socket || now - lastTyping.current < ANSWERING_THROTTLE_MS) return;
    lastTyping.current = now;
    socket.emit("question.typing", questionId);
  }, [socket, questionId]);

  return { answering: [...answering.values()].map((v) => v.name), typing, live };
}

function AnsweringIndicator({ names }: { names: string[] }) {
  const text = names.length === 0 ? "" : names.length === 1 ? `${names[0]} is answering…` : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} are answering…`;
  return (
    <p className="qa-typing" aria-live="polite" data-testid="answering-indicator">
      {text}
    </p>
  );
}

function Byline({ verb, person, iso, editedIso }: { verb: string; person: MiniPersonView; iso: string; editedIso: string | null }) {
  return (
    <div className="qa-meta row" style={{ gap: ".4rem" }}>
      <span>{verb}</span> <PersonLink person={person} /> <Time iso={iso} />
      {editedIso && <span>· edited <Time iso={editedIso} /></span>}
    </div>
  );
}

/**
 * The answer box. What is typed is kept as a draft of this question's answer until it is posted,
 * so a reload, a closed tab or a session that ended meanwhile loses nothing.
 */
function AnswerForm({ questionId, posted, typing, submitting, errors }: { questionId: string; posted: string | null; typing: () => void; submitting: boolean; errors: string[] | undefined }) {
  // The editor starts anew (a React key) when a draft is put back, thrown away or posted.
  const body = useDraftedBody();
  const draft = useDraft(`answer:${questionId}`, { body: body.text }, body.fill, { bodyJson: body.json });
  useEffect(() => {
    if (!posted) return;
    draft.discard();
    body.fill({});
    // Once per posted answer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [posted]);
  return (
    <Form method="post" noValidate data-testid="answer-form">
      <DraftNotice draft={draft} onDiscard={() => body.fill({})} />
      <input type="hidden" name="intent" value="answer" />
      <RichTextField
        key={body.generation}
        {...body.field}
        label="Your answer"
        placeholder="Share what you know…"
        onUserInput={typing}
        testId="answer-body-editor"
      />
      <FieldError errors={errors} />
      <p>
        <button type="submit" disabled={submitting} data-testid="post-answer">
          {submitting ? "Posting…" : "Post your answer"}
        </button>
      </p>
    </Form>
  );
}

export default function QuestionPage() {
  const { q, me, people, departments, duplicates, reactions } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { answering, typing, live } = useLiveQuestion(q.id, me, q.routedTo.map((r) => r.person.id));
  const answerErr = fieldErrorsOf(actionData);
  const posted = actionData && "ok" in actionData && actionData.ok && actionData.intent === "answer" ? actionData.answerId : null;
  useDraftPosted("ask", params.has("asked"), q.createdAt);
  // After an edit is saved, its draft goes (the edit pages send `?edited=question` or the answer's id).
  const edited = params.get("edited");
  const editedAnswer = edited && edited !== "question" ? q.answers.find((a) => a.id === edited) : undefined;
  useDraftPosted(`edit-question:${q.id}`, edited === "question" && !!q.editedAt, q.editedAt ?? 0);
  useDraftPosted(`edit-answer:${editedAnswer?.id ?? ""}`, !!editedAnswer?.editedAt, editedAnswer?.editedAt ?? 0);

  if (!q.contentVisible) {
    return (
      <article className="card qa-deleted" data-testid="question-deleted">
        <h1>Deleted question</h1>
        <p>
          This question was deleted by {q.deleted?.by} on <Time iso={q.deleted!.at} format="datetime" />
          {q.deleted?.reason ? ` (“${q.deleted.reason}”)` : ""}.
        </p>
        <p><Link to="/questions">Back to questions</Link></p>
      </article>
    );
  }

  return (
    <div className="layout-2" data-testid="question-page" data-live={live ? "true" : "false"}>
      <article data-testid="question" data-question-id={q.id}>
        {params.get("asked") && (
          <p className="qa-banner" role="status" data-testid="asked-banner">
            Your question is posted{q.routedTo.length ? ` and was routed to ${q.routedTo.map((r) => r.person.name).join(", ")}` : ""}. Answers will appear here as they arrive.
          </p>
        )}
        {q.deleted && (
          <p className="form-error" role="status">
            Deleted by {q.deleted.by} on <Time iso={q.deleted.at} format="datetime" />{q.deleted.reason ? ` (“${q.deleted.reason}”)` : ""}. Only its author and administrators see the content.
          </p>
        )}
        {q.closed && (
          <p className="qa-banner" data-testid="closed-banner">
            Closed by {q.closed.by} on <Time iso={q.closed.at} format="datetime" />
            {q.closed.duplicateOf ? (
              <> as a duplicate of <Link to={`/questions/${q.closed.duplicateOf.id}`}>{q.closed.duplicateOf.title}</Link>.</>
            ) : (
              "."
            )}
          </p>
        )}
        <h1 data-testid="question-title">{q.title}</h1>
        <div className="card qa-post">
          <VoteControl intent="vote-question" targetId={q.id} score={q.score} myVote={q.myVote} canVote={q.can.vote} what="question" disabledReason={q.isAsker ? "You cannot vote on your own question." : "Voting is closed."} />
          <div>
            <RichTextView doc={q.body} testId="question-body" />
            <div>
              {q.tags.map((t) => (
                <TagLink key={t.name} tag={t} />
              ))}
            </div>
            {q.department && <p className="muted">Needs an answer from <strong>{q.department.name}</strong>.</p>}
            {(q.documentId || q.insightId) && (
              <ul className="list-plain muted" data-testid="question-links">
                {q.documentId && (
                  <li>
                    Linked document:{" "}
                    {q.linked.document ? <Link to={`/docs/${q.linked.document.id}`} data-testid="linked-document">{q.linked.document.title}</Link> : <em>a document you cannot open</em>}
                  </li>
                )}
                {q.insightId && (
                  <li>
                    Linked insight:{" "}
                    {q.linked.insight ? <Link to={`/insights/${q.linked.insight.id}`} data-testid="linked-insight">{q.linked.insight.label}</Link> : <em>no longer available</em>}
                  </li>
                )}
              </ul>
            )}
            <Byline verb="Asked by" person={q.author} iso={q.createdAt} editedIso={q.editedAt} />
            {!q.deleted && <Reactions targetType="question" targetId={q.id} initial={reactions[`question:${q.id}`] ?? []} />}
            <div className="qa-actions">
              {q.can.edit && <Link to={`/questions/${q.id}/edit`}>Edit</Link>}
              <Link to={`/questions/${q.id}/revisions`}>History ({q.revisionCount})</Link>
              {q.can.delete && <DeleteForm intent="delete-question" what="question" />}
              {q.can.follow && <FollowButton following={q.following} count={q.followerCount} />}
            </div>
            <Comments questionId={q.id} comments={q.comments} answerId={null} canComment={q.can.comment} />
          </div>
        </div>

        {q.duplicates.length > 0 && (
          <section className="card" style={{ marginTop: ".75rem" }} data-testid="duplicates">
            <strong>Closed as duplicates of this question:</strong>
            <ul>
              {q.duplicates.map((d) => (
                <li key={d.id}><Link to={`/questions/${d.id}`}>{d.title}</Link></li>
              ))}
            </ul>
          </section>
        )}

        <h2 data-testid="answer-count">{q.answerCount === 1 ? "1 answer" : `${q.answerCount} answers`}</h2>
        <ol className="list-plain" data-testid="answers">
          {q.answers.map((a) => (
            <li key={a.id} id={`answer-${a.id}`} className={`card qa-post qa-answer${a.accepted ? " accepted" : ""}${a.deleted ? " deleted" : ""}`} data-testid="answer" data-answer-id={a.id} data-accepted={a.accepted}>
              <div>
                <VoteControl intent="vote-answer" targetId={a.id} score={a.score} myVote={a.myVote} canVote={a.can.vote} what="answer" disabledReason={a.author.id === me ? "You cannot vote on your own answer." : "Voting is closed."} />
                {a.accepted && <div className="qa-accepted-mark" title="Accepted answer" data-testid="accepted-mark">✓</div>}
              </div>
              <div>
                {a.deleted && (
                  <p className="muted">
                    Answer by {a.author.name} deleted by {a.deleted.by} on <Time iso={a.deleted.at} format="datetime" />{a.deleted.reason ? ` (“${a.deleted.reason}”)` : ""}.
                  </p>
                )}
                {a.body && <RichTextView doc={a.body} testId="answer-body" />}
                <Byline verb="Answered by" person={a.author} iso={a.createdAt} editedIso={a.editedAt} />
                {!a.deleted && !q.deleted && <Reactions targetType="answer" targetId={a.id} initial={reactions[`answer:${a.id}`] ?? []} />}
                <div className="qa-actions">
                  {a.can.accept && (!a.accepted || q.isAsker) && <AcceptButton answerId={a.id} accepted={a.accepted} />}
                  {a.can.edit && <Link to={`/questions/${q.id}/answers/${a.id}/edit`}>Edit</Link>}
                  {a.revisionCount > 1 && <Link to={`/questions/${q.id}/revisions?answer=${a.id}`}>History ({a.revisionCount})</Link>}
                  {a.can.delete && <DeleteForm intent="delete-answer" targetId={a.id} what="answer" />}
                </div>
                <Comments questionId={q.id} comments={a.comments} answerId={a.id} canComment={a.can.comment} />
              </div>
            </li>
          ))}
        </ol>

        <AnsweringIndicator names={answering} />

        {q.can.answer ? (
          <section aria-labelledby="your-answer-h">
            <h2 id="your-answer-h">Your answer</h2>
            {answerErr?.message && actionData && "values" in actionData && (actionData.values as unknown as { intent?: string } | undefined)?.intent === "answer" && (
              <p className="form-error" role="alert">{answerErr.message}</p>
            )}
            <AnswerForm key={q.id} questionId={q.id} posted={posted} typing={typing} submitting={navigation.state === "submitting"} errors={answerErr?.fieldErrors.body} />
          </section>
        ) : (
          <p className="muted" data-testid="answer-blocked">{q.answerBlockedReason}</p>
        )}
      </article>

      <aside style={{ display: "grid", gap: ".75rem", alignContent: "start" }}>
        <RoutingPanel q={q} people={people} departments={departments} />
        <ModerationPanel q={q} duplicates={duplicates} />
        <section className="card">
          <p style={{ margin: 0 }}>
            <Link to="/questions/ask" className="button secondary">Ask another question</Link>
          </p>
        </section>
      </aside>
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="error-page" data-testid="error-404">
        <h1>Question not found</h1>
        <p>It may never have existed. <Link to="/questions">See all questions</Link>.</p>
      </section>
    );
  }
  return <ErrorMessage error={error} />;
}
