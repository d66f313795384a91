import { Package } from "lucide-react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { channelLabel, SentimentBadge, SlaTimer, StatusBadge } from "~/components/insights";
import { useDraftPosted } from "~/drafts/use-draft";
import { useEntityWatch } from "~/realtime/entity-watch";
import { ErrorMessage } from "~/root";
import { SENTIMENTS } from "~/schemas/insights";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { Reactions } from "~/components/social";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Insight from ${data.insight.account?.name ?? "a customer"} · Atrium` : "Insight · Atrium" }];
import { When } from "~/components/when";
import { readForm } from "~/utils/body.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const insight = await load(() => context.domain.insights.getInsight(auth.actor, params.id!));
  const reactions = await context.domain.reactions.listReactions(auth.actor, [{ targetType: "insight", targetId: insight.id }]);
  const teams = insight.can.reroute ? (await context.domain.org.listTeams()).map((t) => ({ id: t.id, name: t.name })) : [];
  return { insight, reactions, teams };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = Object.fromEntries(await readForm(request, context));
  const id = params.id!;
  return runAction(async () => {
    if (form.intent === "transition") await context.domain.insights.transitionInsight(auth.actor, id, form);
    else if (form.intent === "sentiment") await context.domain.insights.overrideSentiment(auth.actor, id, form);
    else if (form.intent === "link") await context.domain.insights.linkInsight(auth.actor, id, form);
    else if (form.intent === "reroute") await context.domain.insights.rerouteInsight(auth.actor, id, form);
    else throw new Response("Unknown action", { status: 400 });
    return { ok: true as const, intent: String(form.intent) };
  }, form);
}

const EVENT_LABEL: Record<string, string> = {
  created: "Posted",
  routed: "Routed to",
  rerouted: "Re-routed",
  acknowledged: "Acknowledged",
  in_progress: "Work started",
  resolved: "Resolved",
  declined: "Declined",
  reopened: "Reopened",
  sentiment_overridden: "Sentiment changed",
  ack_breached: "Acknowledgement SLA missed",
  resolve_breached: "Resolution SLA missed",
  linked: "Links updated",
};

export default function InsightPage() {
  const { insight: i, reactions, teams } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  useDraftPosted("insight", params.has("posted"), i.createdAt);
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const [noteFor, setNoteFor] = useState<"resolved" | "declined" | null>(null);
  const live = useEntityWatch([{ type: "insight", id: i.id }]);
  const errors = result && "fieldErrors" in result ? result.fieldErrors : {};
  const open = i.status === "new" || i.status === "acknowledged" || i.status === "in_progress";
  return (
    <article data-testid="insight-detail" data-status={i.status} data-live={live ? "true" : "false"}>
      <p><Link to="/insights">← All insights</Link></p>
      {params.get("posted") && <p className="flash" role="status">Posted. It went to {i.teams.map((t) => t.name).join(", ")}; you will be notified of each step.</p>}
      <div className="row">
        <StatusBadge status={i.status} />
        <SentimentBadge sentiment={i.sentiment} />
        <span className={`pill priority-${i.priority}`}>priority: {i.priority}</span>
        {(i.breached.ack || i.breached.resolve) && <span className="pill breached" data-testid="breached">SLA missed</span>}
      </div>
      <h1 className="sr-only">Customer insight</h1>
      {/* Verbatim, as text: React escapes it. */}
      <blockquote className="verbatim" data-testid="verbatim">{i.text}</blockquote>
      <p className="muted">
        {channelLabel(i.channel)}
        {i.account && <> · <strong>{i.account.name}</strong> ({i.account.tier}{i.account.segment ? `, ${i.account.segment}` : ""})</>}
        {" · "}<When date={i.createdAt} />
        {i.postedBy && <> · posted by <Link to={`/people/${i.postedBy.id}`}>{i.postedBy.name}</Link></>}
        {i.integration && <> · via the integration “{i.integration.name}”{i.externalId ? ` (${i.externalId})` : ""}</>}
        {i.sourceUrl && <> · <a href={i.sourceUrl} rel="noopener noreferrer nofollow" target="_blank">original</a></>}
      </p>
      <Reactions targetType="insight" targetId={i.id} initial={reactions[`insight:${i.id}`] ?? []} />
      {i.tags.length > 0 && (
        <p>
          {i.tags.map((t) => (
            <Link key={`${t.kind}:${t.name}`} to={`/insights?tag=${encodeURIComponent(t.name)}`} className="skill" title={t.kind}>
              {t.kind === "product" ? <><Package aria-hidden="true" size={13} />{" "}</> : "# "}{t.label}
            </Link>
          ))}
        </p>
      )}

      <div className="layout-2">
        <div>
          <section className="card" aria-labelledby="handling">
            <h2 id="handling" style={{ marginTop: 0 }}>Handling</h2>
            <p>
              Routed to <strong data-testid="routed-teams">{i.teams.map((t) => t.name).join(", ")}</strong>
              {i.routedBy.length ? <> by {i.routedBy.map((r) => `“${r.name}”`).join(", ")}</> : <> (no rule matched: triage)</>}.
            </p>
            <SlaTimer label="Acknowledge" timer={i.timers.ack} testId="sla-ack" />
            <SlaTimer label="Resolve" timer={i.timers.resolve} testId="sla-resolve" />
            {i.acknowledgedBy && <p data-testid="acknowledged-by">Acknowledged by {i.acknowledgedBy.name} at <When date={i.acknowledgedAt} format="datetime" />.</p>}
            {i.resolutionNote && (
              <p data-testid="resolution-note"><strong>{i.status === "declined" ? "Declined" : "Resolution"}:</strong> {i.resolutionNote}</p>
            )}
            {result && "message" in result && <p className="form-error" role="alert">{result.message} {Object.values(errors).flat().join(" ")}</p>}
            {i.can.handle ? (
              <div className="actions">
                {i.status === "new" && (
                  <Form method="post">
                    <input type="hidden" name="intent" value="transition" />
                    <button type="submit" name="to" value="acknowledged" disabled={busy}>Acknowledge</button>
                  </Form>
                )}
                {(i.status === "new" || i.status === "acknowledged") && (
                  <Form method="post">
                    <input type="hidden" name="intent" value="transition" />
                    <button type="submit" name="to" value="in_progress" className="secondary" disabled={busy}>Start work</button>
                  </Form>
                )}
                {open && (
                  <>
                    <button type="button" className="secondary" onClick={() => setNoteFor("resolved")}>Resolve…</button>
                    <button type="button" className="secondary" onClick={() => setNoteFor("declined")}>Decline…</button>
                  </>
                )}
                {!open && (
                  <Form method="post" className="actions">
                    <input type="hidden" name="intent" value="transition" />
                    <input type="hidden" name="to" value="reopened" />
                    <label className="sr-only" htmlFor="reopen-note">Why reopen?</label>
                    <input id="reopen-note" name="note" type="text" placeholder="Why reopen? (optional)" maxLength={2000} />
                    <button type="submit" className="secondary" disabled={busy}>Reopen</button>
                  </Form>
                )}
              </div>
            ) : (
              <p className="muted">Members of {i.teams.map((t) => t.name).join(", ")} acknowledge and resolve this insight.</p>
            )}
            {open && i.can.handle && (
              // Without JavaScript the note form is always there; with it, it opens on demand.
              <Form method="post" className="field" style={{ marginTop: ".75rem", display: noteFor ? undefined : "none" }} data-testid="note-form">
                <input type="hidden" name="intent" value="transition" />
                <input type="hidden" name="to" value={noteFor ?? "resolved"} />
                <label htmlFor="note">{noteFor === "declined" ? "Why is it declined?" : "How was it resolved?"}</label>
                <textarea id="note" name="note" required maxLength={2000} aria-invalid={errors.note ? true : undefined} />
                {errors.note?.map((m) => <p key={m} className="field-error">{m}</p>)}
                <div className="row">
                  <button type="submit" disabled={busy}>{noteFor === "declined" ? "Decline" : "Resolve"}</button>
                  <button type="button" className="link-button" onClick={() => setNoteFor(null)}>Cancel</button>
                </div>
              </Form>
            )}
            <noscript>
              {open && i.can.handle && (
                <Form method="post" className="field">
                  <input type="hidden" name="intent" value="transition" />
                  <label htmlFor="note-nojs">Resolution or decline note</label>
                  <textarea id="note-nojs" name="note" required />
                  <div className="row">
                    <button type="submit" name="to" value="resolved">Resolve</button>
                    <button type="submit" name="to" value="declined" className="secondary">Decline</button>
                  </div>
                </Form>
              )}
            </noscript>
          </section>

          <section aria-labelledby="timeline">
            <h2 id="timeline">Timeline</h2>
            <ol className="timeline" data-testid="timeline">
              {i.timeline.map((e) => (
                <li key={e.id} data-type={e.type}>
                  <strong>{EVENT_LABEL[e.type] ?? e.type}</strong>
                  {e.type === "routed" && e.toValue ? ` ${e.toValue}` : ""}
                  {e.type === "rerouted" && ` from ${e.fromValue} to ${e.toValue}`}
                  {e.type === "sentiment_overridden" && ` from ${e.fromValue} to ${e.toValue}`}
                  {e.actor && <> by <Link to={`/people/${e.actor.id}`}>{e.actor.name}</Link></>}
                  {" · "}<When date={e.createdAt} className="muted" />
                  {e.note && <div className="muted" style={{ whiteSpace: "pre-wrap" }}>{e.note}</div>}
                </li>
              ))}
            </ol>
          </section>
        </div>

        <aside style={{ display: "grid", gap: "1rem", alignSelf: "start" }}>
          {i.can.reroute && (
            <section className="card" aria-labelledby="reroute-h" data-testid="reroute">
              <h2 id="reroute-h" style={{ marginTop: 0 }}>Re-route</h2>
              {i.suggestedTeam ? (
                <p data-testid="suggested-team" data-team={i.suggestedTeam.name}>
                  Suggested: <strong>{i.suggestedTeam.name}</strong> <span className="muted">(learned from {i.suggestedTeam.learnedFrom} re-route{i.suggestedTeam.learnedFrom === 1 ? "" : "s"} by leads)</span>
                </p>
              ) : (
                <p className="muted">Re-routes by leads teach Atrium which team to suggest.</p>
              )}
              <Form method="post" className="filters">
                <input type="hidden" name="intent" value="reroute" />
                <div className="field">
                  <label htmlFor="reroute-team">Send to</label>
                  <select id="reroute-team" name="teamId" defaultValue={i.suggestedTeam?.id ?? ""}>
                    <option value="" disabled>Choose a team</option>
                    {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
                  </select>
                  {result && "fieldErrors" in result && (result.fieldErrors as Record<string, string[] | undefined>).teamId?.map((m) => <p key={m} className="field-error">{m}</p>)}
                </div>
                <div className="field">
                  <label htmlFor="reroute-note">Why (optional)</label>
                  <input id="reroute-note" name="note" type="text" maxLength={1000} />
                </div>
                <button type="submit" className="secondary" disabled={busy}>Re-route</button>
              </Form>
            </section>
          )}

          <section className="card" aria-labelledby="topics-h" data-testid="customer-topics">
            <h2 id="topics-h" style={{ marginTop: 0 }}>What it is about</h2>
            {i.customerTopics.length === 0 ? (
              <p className="muted">No customer topic recognised in these words.</p>
            ) : (
              <ul className="list-plain">
                {i.customerTopics.map((t) => (
                  <li key={t.key} data-topic={t.key}>
                    <strong>{t.label}</strong> <span className="muted">— words that drove it: {t.phrases.map((p) => `“${p}”`).join(", ")}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card" aria-labelledby="sentiment-h">
            <h2 id="sentiment-h" style={{ marginTop: 0 }}>Sentiment</h2>
            <p>
              Scored <strong>{i.sentiment.auto}</strong> automatically (score {i.sentiment.score.toFixed(2)} on −1…1).
              {i.sentiment.overridden && <> A person set it to <strong>{i.sentiment.label}</strong>.</>}
            </p>
            {i.sentimentDrivers.length > 0 && (
              <>
                <p className="muted" id="drivers-h" style={{ marginBottom: "0.25rem" }}>Words that drove it:</p>
                <ul className="list-plain" aria-labelledby="drivers-h" data-testid="sentiment-drivers">
                  {i.sentimentDrivers.map((d) => (
                    <li key={d.phrase} data-weight={d.weight}>
                      {d.weight < 0 ? "▼" : "▲"} “{d.phrase}” <span className="muted">({d.weight < 0 ? "towards negative" : "towards positive"})</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {i.can.overrideSentiment && (
              <Form method="post" className="row">
                <input type="hidden" name="intent" value="sentiment" />
                <label htmlFor="label" className="sr-only">Sentiment</label>
                <select id="label" name="label" defaultValue={i.sentiment.label}>
                  {SENTIMENTS.map((s) => <option key={s} value={s}>{s}</option>)}
                </select>
                <button type="submit" className="secondary" disabled={busy}>Change</button>
              </Form>
            )}
          </section>

          {i.cluster && (
            <section className="card" aria-labelledby="recurring-h" data-testid="cluster">
              <h2 id="recurring-h" style={{ marginTop: 0 }}>Recurring issue</h2>
              <p><strong data-testid="cluster-trend">{i.cluster.trend.text}</strong> ({i.cluster.trend.total} in all).</p>
              <ul className="list-plain">
                {i.cluster.similar.map((s) => (
                  <li key={s.id}><Link to={`/insights/${s.id}`}>{s.text.length > 80 ? `${s.text.slice(0, 80)}…` : s.text}</Link></li>
                ))}
              </ul>
              <p><Link to={`/insights?issue=${i.cluster.id}`}>See all of them</Link></p>
            </section>
          )}

          <section className="card" aria-labelledby="links-h">
            <h2 id="links-h" style={{ marginTop: 0 }}>Questions and documents</h2>
            <p><Link to={i.links.askColleagues} className="button secondary" data-testid="ask-colleagues">Ask colleagues about this</Link></p>
            {i.links.questionId && <p>Question: <Link to={`/questions/${i.links.questionId}`}>{i.links.questionId}</Link></p>}
            {i.links.documentId && <p>Document: <Link to={`/docs/${i.links.documentId}`}>{i.links.documentId}</Link></p>}
            {i.can.link && (
              <details>
                <summary>Link a question or document</summary>
                <p className="muted">Q&amp;A and documents are arriving in Atrium; until then paste the id of the question or document.</p>
                <Form method="post">
                  <input type="hidden" name="intent" value="link" />
                  <div className="field"><label htmlFor="questionId">Question id</label><input id="questionId" name="questionId" type="text" defaultValue={i.links.questionId ?? ""} maxLength={40} /></div>
                  <div className="field"><label htmlFor="documentId">Document id</label><input id="documentId" name="documentId" type="text" defaultValue={i.links.documentId ?? ""} maxLength={40} /></div>
                  <button type="submit" className="secondary" disabled={busy}>Save links</button>
                </Form>
              </details>
            )}
          </section>
        </aside>
      </div>
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
