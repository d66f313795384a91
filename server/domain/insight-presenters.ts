/**
 * What leaves the server about an insight: one select and one presenter, shared by the verbs,
 * the SLA sweep and the socket events, so no broad include can leak a field.
 */
import type { InsightSummary } from "../../app/realtime/events.js";
import type { InsightStatus, Priority, SentimentLabel } from "../../app/schemas/insights.js";
import type { Prisma } from "../generated/prisma/client.js";

export const SUMMARY_SELECT = {
  id: true,
  text: true,
  channel: true,
  sourceUrl: true,
  sentimentScore: true,
  sentimentLabel: true,
  sentimentAuto: true,
  sentimentOverriddenAt: true,
  status: true,
  priority: true,
  ackDueAt: true,
  resolveDueAt: true,
  acknowledgedAt: true,
  resolvedAt: true,
  ackBreachedAt: true,
  resolveBreachedAt: true,
  clusterId: true,
  createdAt: true,
  postedById: true,
  account: { select: { id: true, name: true, tier: true } },
  postedBy: { select: { id: true, name: true } },
  integration: { select: { id: true, name: true } },
  routes: { select: { teamId: true, ruleId: true, team: { select: { id: true, name: true, leadId: true } } }, orderBy: [{ createdAt: "asc" }, { team: { name: "asc" } }, { teamId: "asc" }] },
  tags: { select: { kind: true, skill: { select: { name: true, label: true } } } },
} satisfies Prisma.InsightSelect;

export type SummaryRow = Prisma.InsightGetPayload<{ select: typeof SUMMARY_SELECT }>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentSummary(r: SummaryRow): InsightSummary {
  return {
    id: r.id,
    text: r.text,
    channel: r.channel,
    sourceUrl: r.sourceUrl,
    account: r.account,
    postedBy: r.postedBy,
    integration: r.integration,
    sentiment: {
      score: r.sentimentScore,
      label: r.sentimentLabel as SentimentLabel,
      auto: r.sentimentAuto,
      overridden: !!r.sentimentOverriddenAt,
    },
    status: r.status as InsightStatus,
    priority: r.priority as Priority,
    teams: r.routes.map((x) => ({ id: x.team.id, name: x.team.name })),
    tags: r.tags
      .map((t) => ({ name: t.skill.name, label: t.skill.label, kind: t.kind as "product" | "topic" }))
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)),
    ackDueAt: iso(r.ackDueAt),
    resolveDueAt: iso(r.resolveDueAt),
    acknowledgedAt: iso(r.acknowledgedAt),
    resolvedAt: iso(r.resolvedAt),
    breached: { ack: !!r.ackBreachedAt, resolve: !!r.resolveBreachedAt },
    clusterId: r.clusterId,
    createdAt: r.createdAt.toISOString(),
  };
}

