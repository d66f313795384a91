import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams, useSubmit } from "@remix-run/react";
import { InsightCard, useLiveInsights } from "~/components/insights";
import { ErrorMessage } from "~/root";
import { CHANNELS, CHANNEL_LABEL, SENTIMENTS, STATUSES, STATUS_LABEL } from "~/schemas/insights";
import { load, requireAuth } from "~/utils/http.server";
import { useRouteError } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Customer insights · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const [page, filters, issues] = await Promise.all([
    load(() => context.domain.insights.listInsights(auth.actor, params)),
    context.domain.insights.feedFilters(),
    context.domain.insights.recurringIssues({ limit: 8 }),
  ]);
  return { page, filters, issues };
}

export default function InsightsFeed() {
  const { page, filters, issues } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const { fresh, announcement } = useLiveInsights({ watchFeed: true });
  const pages = Math.ceil(page.total / page.pageSize);
  const pageLink = (n: number) => {
    const p = new URLSearchParams(params);
    p.set("page", String(n));
    return `?${p}`;
  };
  const issue = params.get("issue") ? issues.find((i) => i.id === params.get("issue")) : null;
  const select = (name: string, label: string, options: { value: string; label: string }[]) => (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name} defaultValue={params.get(name) ?? ""}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>Customer insights</h1>
        <div className="row">
          <Link to="/insights/inbox">My team inbox</Link>
          <Link to="/insights/new" className="button">Post an insight</Link>
        </div>
      </div>
      <p className="sr-only" aria-live="polite" data-testid="live-announcement">{announcement}</p>
      <div className="layout-2">
        <section aria-label="Insights">
          <Form method="get" className="filters card" role="search" aria-label="Filter insights" onChange={(e) => submit(e.currentTarget, { replace: true })}>
            {select("team", "Team", filters.teams.map((t) => ({ value: t.id, label: t.name })))}
            {select("status", "Status", [{ value: "open", label: "Open (not resolved/declined)" }, ...STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))])}
            {select("sentiment", "Sentiment", SENTIMENTS.map((s) => ({ value: s, label: s })))}
            {select("channel", "Channel", CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABEL[c] })))}
            {select("account", "Account", filters.accounts.map((a) => ({ value: a.id, label: a.name })))}
            {select("tag", "Tag", filters.tags.map((t) => ({ value: t.name, label: t.label })))}
            <div className="field">
              <label>
                <input type="checkbox" name="breached" value="1" defaultChecked={params.get("breached") === "1"} /> SLA missed only
              </label>
            </div>
            {params.get("issue") && <input type="hidden" name="issue" value={params.get("issue")!} />}
            <noscript><button type="submit">Filter</button></noscript>
          </Form>
          {issue && (
            <p className="flash">
              Showing the recurring issue “{issue.title}” — {issue.trend.text}. <Link to="/insights">Show all</Link>
            </p>
          )}
          <p className="muted" data-testid="insight-total">{page.total} insight{page.total === 1 ? "" : "s"}</p>
          {page.items.length === 0 && <p className="muted">No insights match. Front-line staff post them from <Link to="/insights/new">Post an insight</Link>; integrations send them through the API.</p>}
          <ul className="list-plain" data-testid="insight-list">
            {page.items.map((i) => <InsightCard key={i.id} insight={i} fresh={fresh.has(i.id)} />)}
          </ul>
          {pages > 1 && (
            <nav aria-label="Pages" className="row" style={{ marginTop: "1rem" }}>
              {page.page > 1 && <Link to={pageLink(page.page - 1)}>← Newer</Link>}
              <span className="muted">Page {page.page} of {pages}</span>
              {page.page < pages && <Link to={pageLink(page.page + 1)}>Older →</Link>}
            </nav>
          )}
        </section>
        <aside aria-labelledby="recurring" className="card" style={{ alignSelf: "start" }}>
          <h2 id="recurring" style={{ marginTop: 0 }}>Recurring issues</h2>
          {issues.length === 0 && <p className="muted">Similar insights group here when they recur within 7 days.</p>}
          <ul className="list-plain" data-testid="recurring-issues">
            {issues.map((i) => (
              <li key={i.id}>
                <Link to={`/insights?issue=${i.id}`} data-testid="issue-headline">{i.headline}</Link>
                <div className="muted" data-testid="issue-trend">{i.trend.text}</div>
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
