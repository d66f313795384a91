import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRouteError, useSearchParams, useSubmit } from "@remix-run/react";
import { InsightCard, useLiveInsights } from "~/components/insights";
import { ErrorMessage } from "~/root";
import { STATUSES, STATUS_LABEL } from "~/schemas/insights";
import { load, requireAuth } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Team inbox · Insights · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return load(() => context.domain.insights.inbox(auth.actor, params));
}

export default function Inbox() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  // Team rooms are joined at connection: no feed watch needed here.
  const { fresh, announcement } = useLiveInsights({ watchFeed: false });
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>Team inbox</h1>
        <Link to="/insights">All insights</Link>
      </div>
      <p className="sr-only" aria-live="polite" data-testid="live-announcement">{announcement}</p>
      {data.teams.length === 0 ? (
        <p className="card">You are not in a team yet, so no insights are routed to you. The <Link to="/insights">company feed</Link> shows them all.</p>
      ) : (
        <>
          <Form method="get" className="filters card" aria-label="Filter inbox" onChange={(e) => submit(e.currentTarget, { replace: true })}>
            <div className="field">
              <label htmlFor="team">Team</label>
              <select id="team" name="team" defaultValue={params.get("team") ?? ""}>
                <option value="">All my teams ({data.teams.map((t) => t.name).join(", ")})</option>
                {data.teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="status">Status</label>
              <select id="status" name="status" defaultValue={params.get("status") ?? "open"}>
                <option value="open">Open</option>
                {STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABEL[s]}</option>)}
              </select>
            </div>
            <div className="field">
              <label><input type="checkbox" name="breached" value="1" defaultChecked={params.get("breached") === "1"} /> SLA missed only</label>
            </div>
            <noscript><button type="submit">Filter</button></noscript>
          </Form>
          <p className="muted" data-testid="insight-total">{data.total} insight{data.total === 1 ? "" : "s"} · new ones appear here as they are routed</p>
          {data.items.length === 0 && <p className="muted" data-testid="inbox-empty">Nothing waiting. New insights for your teams appear here the moment they are routed.</p>}
          <ul className="list-plain" data-testid="insight-list">
            {data.items.map((i) => <InsightCard key={i.id} insight={i} fresh={fresh.has(i.id)} />)}
          </ul>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
