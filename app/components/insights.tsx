import { Package } from "lucide-react";
import { Link, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { InsightSummary } from "~/realtime/events";
import { useRealtime, useSocketEvent } from "~/realtime/client";
import { useNow, When } from "~/components/when";
import { CHANNEL_LABEL, STATUS_LABEL, type Channel, type InsightStatus } from "~/schemas/insights";

export function SentimentBadge({ sentiment }: { sentiment: InsightSummary["sentiment"] }) {
  return (
    <span
      className={`pill sentiment-${sentiment.label}`}
      data-testid="sentiment"
      data-label={sentiment.label}
      title={`Score ${sentiment.score.toFixed(2)} (−1 … 1)${sentiment.overridden ? `; automatic label was ${sentiment.auto}` : ""}`}
    >
      {`${sentiment.label === "negative" ? "▼" : sentiment.label === "positive" ? "▲" : "●"} ${sentiment.label}`}
      {sentiment.overridden && <span className="muted"> (set by a person)</span>}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`pill status-${status}`} data-testid="status" data-status={status}>
      {STATUS_LABEL[status as InsightStatus] ?? status}
    </span>
  );
}

export const channelLabel = (c: string) => CHANNEL_LABEL[c as Channel] ?? c;

function left(ms: number) {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s %= 86400;
  const h = Math.floor(s / 3600);
  s %= 3600;
  const m = Math.floor(s / 60);
  s %= 60;
  const text = d ? `${d}d ${h}h ${m}m` : h ? `${h}h ${m}m ${s}s` : `${m}m ${s}s`;
  return neg ? `${text} overdue` : `${text} left`;
}

/** A live SLA timer: counts down every second while running; states when it stopped or was missed. */
export function SlaTimer({
  label,
  timer,
  testId,
}: {
  label: string;
  timer: { state: "running" | "met" | "breached" | "none"; dueAt: string | null; stoppedAt: string | null; breachedAt: string | null };
  testId: string;
}) {
  // The shared ticker's now: the server's on the first render, so the countdown hydrates cleanly.
  const now = useNow(timer.state === "running" ? 1000 : 24 * 3600_000);
  if (timer.state === "none" || !timer.dueAt) return null;
  const due = new Date(timer.dueAt).getTime();
  let text: ReactNode;
  if (timer.state === "running") text = <>{left(due - now)} (due <When date={timer.dueAt} />)</>;
  else if (timer.state === "met") text = `met${timer.stoppedAt ? ` with ${left(due - new Date(timer.stoppedAt).getTime()).replace(" left", " to spare")}` : ""}`;
  else text = <>missed (due <When date={timer.dueAt} format="datetime" />) — escalated</>;
  return (
    <div className={`sla sla-${timer.state}`} data-testid={testId} data-state={timer.state}>
      <strong>{label}:</strong> <span>{text}</span>
    </div>
  );
}

/** The compact countdown used in lists. */
export function DueIn({ insight }: { insight: InsightSummary }) {
  const open = insight.status === "new" || insight.status === "acknowledged" || insight.status === "in_progress";
  const due = !open ? null : insight.acknowledgedAt ? insight.resolveDueAt : insight.ackDueAt;
  if (insight.breached.ack || insight.breached.resolve) {
    return <span className="pill breached" data-testid="breached">SLA missed</span>;
  }
  if (!due) return null;
  return (
    <span className="muted" data-testid="due-in">
      {insight.acknowledgedAt ? "resolve" : "acknowledge"} <When date={due} prefix="due " />
    </span>
  );
}

export function InsightCard({ insight, fresh = false }: { insight: InsightSummary; fresh?: boolean }) {
  return (
    <li className={`card insight-card${fresh ? " insight-fresh" : ""}`} data-testid="insight" data-id={insight.id} data-status={insight.status}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <div className="row">
          <StatusBadge status={insight.status} />
          <SentimentBadge sentiment={insight.sentiment} />
          {insight.priority !== "normal" && <span className={`pill priority-${insight.priority}`}>{insight.priority}</span>}
          {fresh && <span className="pill fresh" data-testid="fresh">new</span>}
        </div>
        <DueIn insight={insight} />
      </div>
      {/* The customer's words are text: React escapes them, nothing is ever injected as HTML. */}
      <p className="verbatim">
        <Link to={`/insights/${insight.id}`} data-testid="insight-link">{insight.text.length > 280 ? `${insight.text.slice(0, 280)}…` : insight.text}</Link>
      </p>
      <div className="muted row" style={{ gap: ".5rem" }}>
        <span>{channelLabel(insight.channel)}</span>
        {insight.account && <span>{`· ${insight.account.name} (${insight.account.tier})`}</span>}
        <span>· to {insight.teams.map((t) => t.name).join(", ")}</span>
        <span>· <When date={insight.createdAt} /></span>
        {insight.postedBy && <span>{`· by ${insight.postedBy.name}`}</span>}
        {insight.integration && <span>{`· via ${insight.integration.name}`}</span>}
      </div>
      {insight.tags.length > 0 && (
        <div>
          {insight.tags.map((t) => (
            <Link key={`${t.kind}:${t.name}`} to={`/insights?tag=${encodeURIComponent(t.name)}`} className="skill" title={t.kind}>
              {t.kind === "product" ? <><Package aria-hidden="true" size={13} />{` ${t.label}`}</> : `# ${t.label}`}
            </Link>
          ))}
        </div>
      )}
    </li>
  );
}

/**
 * Keeps an insight list live: re-runs the loader (so filters still apply) when an insight arrives
 * or changes, and remembers which ids arrived while the page was open. `watchFeed` also subscribes
 * to insights outside the person's teams.
 */
export function useLiveInsights({ watchFeed }: { watchFeed: boolean }) {
  const revalidator = useRevalidator();
  const { socket } = useRealtime();
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [announcement, setAnnouncement] = useState("");
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const revalidate = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      revalidator.revalidate();
    }, 150);
  };
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);
  useEffect(() => {
    if (!socket || !watchFeed) return;
    const watch = () => socket.emit("insights.watch", true);
    if (socket.connected) watch();
    socket.on("connect", watch);
    return () => {
      socket.off("connect", watch);
      socket.emit("insights.watch", false);
    };
  }, [socket, watchFeed]);
  // After a reconnect, catch up on anything missed while offline.
  const latestRevalidate = useRef(revalidate);
  latestRevalidate.current = revalidate;
  useEffect(() => {
    if (!socket) return;
    const onReconnect = () => latestRevalidate.current();
    socket.io.on("reconnect", onReconnect);
    return () => void socket.io.off("reconnect", onReconnect);
  }, [socket]);
  useSocketEvent("insight.routed", ({ insight }) => {
    setFresh((prev) => new Set(prev).add(insight.id));
    setAnnouncement(`New insight for ${insight.teams.map((t) => t.name).join(", ")}: ${insight.text.slice(0, 120)}`);
    revalidate();
  });
  useSocketEvent("insight.updated", () => revalidate());
  return { fresh, announcement };
}
