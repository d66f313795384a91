import type { Atrium } from "../../../server/atrium.js";
import type { Actor } from "../../../server/policy.js";
import { makeUser } from "../../helpers/app.js";

/** A controllable clock: tests move time instead of waiting for it. */
export function fakeClock(start = new Date("2026-11-23T09:00:00Z")) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(d: Date) {
      t = d.getTime();
    },
  };
}

export async function makeAdmin(atrium: Atrium) {
  return makeUser(atrium, { role: "admin", name: "Ada Admin" });
}

/** A team with a lead and members, created through the domain like an admin would. */
export async function makeTeam(atrium: Atrium, admin: Actor, name: string, memberNames: string[] = []) {
  const lead = await makeUser(atrium, { name: `${name} Lead` });
  const team = await atrium.domain.org.createTeam(admin, { name, leadId: lead.user.id });
  const members = [];
  for (const n of memberNames) {
    const m = await makeUser(atrium, { name: n });
    await atrium.domain.org.setTeamMembership(admin, team.id, m.user.id, true);
    members.push(m);
  }
  return { team, lead, members };
}

export async function makeAccount(atrium: Atrium, admin: Actor, name = "Globex", tier = "gold") {
  return atrium.domain.insights.createAccount(admin, { name, segment: "Enterprise", tier });
}

export async function makeBillingRule(atrium: Atrium, admin: Actor, teamId: string, over: Record<string, unknown> = {}) {
  return atrium.domain.routingRules.createRule(admin, {
    name: "Billing complaints",
    enabled: true,
    teamIds: [teamId],
    priority: "high",
    ackWithin: "30m",
    resolveWithin: "1d",
    conditions: { topics: ["billing"], sentimentAtMost: -0.3 },
    ...over,
  });
}
