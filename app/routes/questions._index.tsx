import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams, useRouteError } from "@remix-run/react";
import { useState } from "react";
import { QuestionSummaryItem } from "~/components/questions";
import { useSocketEvent } from "~/realtime/client";
import { useRevalidateWhenIdle } from "~/realtime/revalidate-when-idle";
import { LIST_SORT_LABEL, LIST_SORTS } from "~/schemas/questions";
import { ErrorMessage } from "~/root";
import qaStyles from "~/styles/questions.css";
import { load, requireAuth } from "~/utils/http.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: qaStyles }];
export const meta: MetaFunction = () => [{ title: "Questions · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const [list, departments, routed] = await Promise.all([
    load(() => context.domain.questions.listQuestions(auth.actor, params)),
    context.domain.org.listDepartments(),
    context.domain.questions.routedToMe(auth.actor, 6),
  ]);
  return { list, departments: departments.map((d) => ({ id: d.id, name: d.name })), routed, me: auth.actor.id };
}

export default function QuestionsList() {
  const { list, departments, routed, me } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const refresh = useRevalidateWhenIdle();
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const pages = Math.ceil(list.total / list.pageSize);
  const href = (over: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(over)) v === null ? p.delete(k) : p.set(k, v);
    return `?${p}`;
  };

  // New questions arrive live on the lists they belong to (first page, newest-style orders).
  useSocketEvent("question.asked", (q) => {
    if (list.page !== 1 || !["newest", "active", "unanswered", "department"].includes(list.sort)) return;
    if (list.tag && !q.tagNames.includes(list.tag.name)) return;
    if (list.departmentId && q.departmentId !== list.departmentId) return;
    if (q.authorId !== me) setFresh((prev) => new Set(prev).add(q.questionId));
    refresh();
  });

  return (
    <div className="layout-2">
      <div>
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h1>{list.tag ? <>Questions tagged <Link to={`/questions/tagged/${list.tag.name}`}>{list.tag.name}</Link></> : "Questions"}</h1>
          <Link to="/questions/ask" className="button" data-testid="ask-button">Ask a question</Link>
        </div>
        <nav aria-label="Order">
          <ul className="qa-tabs">
            {LIST_SORTS.map((s) => (
              <li key={s}>
                <Link to={href({ sort: s, page: null })} aria-current={list.sort === s ? "page" : undefined} data-testid={`sort-${s}`}>
                  {LIST_SORT_LABEL[s]}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <Form method="get" className="filters card" aria-label="Filter questions">
          <input type="hidden" name="sort" value={list.sort} />
          <div className="field">
            <label htmlFor="tag">Tag</label>
            <input id="tag" name="tag" type="search" defaultValue={params.get("tag") ?? ""} placeholder="e.g. saml" maxLength={40} />
          </div>
          <div className="field">
            <label htmlFor="department">Department</label>
            <select id="department" name="department" defaultValue={params.get("department") ?? ""}>
              <option value="">Any</option>
              {departments.map((d) => (
                <option key={d.id} value={d.id}>{d.name}</option>
              ))}
            </select>
          </div>
          <button type="submit">Filter</button>
        </Form>
        {list.note && <p className="muted">{list.note}</p>}
        {list.unknownTag && <p role="status">There is no tag “{list.unknownTag}” yet.</p>}
        <p className="muted" aria-live="polite" data-testid="question-count">
          {list.total === 1 ? "1 question" : `${list.total} questions`}
        </p>
        <ol className="qa-list" data-testid="question-list">
          {list.items.map((q) => (
            <QuestionSummaryItem key={q.id} q={q} isNew={fresh.has(q.id)} />
          ))}
        </ol>
        {list.total === 0 && !list.unknownTag && <p>No questions here yet. <Link to="/questions/ask">Ask the first one.</Link></p>}
        {pages > 1 && (
          <nav aria-label="Pages" className="row" style={{ marginTop: "1rem" }}>
            {list.page > 1 && <Link to={href({ page: String(list.page - 1) })}>Previous</Link>}
            <span>Page {list.page} of {pages}</span>
            {list.page < pages && <Link to={href({ page: String(list.page + 1) })}>Next</Link>}
          </nav>
        )}
      </div>
      <aside className="card" aria-labelledby="routed-h">
        <h2 id="routed-h" style={{ marginTop: 0 }}>Asked of you</h2>
        {routed.length === 0 ? (
          <p className="muted">Questions routed to you because of your skills or answers will show here.</p>
        ) : (
          <ul className="list-plain" data-testid="routed-to-me">
            {routed.map((q) => (
              <li key={q.id}>
                <Link to={`/questions/${q.id}`}>{q.title}</Link>
                <div className="muted" style={{ fontSize: ".85rem" }}>{q.reason}</div>
              </li>
            ))}
          </ul>
        )}
      </aside>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
