/**
 * Statements per ingested insight: the SQL the server runs for each POST /api/v1/insights, counted
 * on every better-sqlite3 connection (Prisma's, the prepared reads', the prepared writes'), after
 * 50 deliveries to warm the caches, over N more (default 100) sent one at a time, with the routing
 * rules, teams and accounts of bench/insights-ingest.ts. Prisma's own statements show as
 * backquoted SQL. Prints the statements, most frequent first, and their total per insight.
 *
 *   N=100 npx tsx bench/insights-ingest-statements.ts
 */
import Database from "better-sqlite3";

const counts = new Map<string, number>();
let on = false;
// Every statement run on any connection, by its text (its first 140 characters).
{
  const d = new Database(":memory:");
  const proto = Object.getPrototypeOf(d.prepare("select 1"));
  for (const m of ["run", "get", "all", "iterate"]) {
    const orig = proto[m];
    proto[m] = function (this: { source: string }, ...a: unknown[]) {
      if (on) counts.set(this.source.slice(0, 140), (counts.get(this.source.slice(0, 140)) ?? 0) + 1);
      return orig.apply(this, a);
    };
  }
}
const { makeUser, startTestApp } = await import("../tests/helpers/app.js");
const app = await startTestApp({ withPages: true, env: { API_RATE_LIMIT: "1000000" } });
const a = app.atrium;
const admin = await makeUser(a, { role: "admin" });
const teams = [];
const teamNames = ["Finance Operations", "Logistics", "Mobile", "Identity", "Stores"];
for (const name of teamNames) {
  const lead = await makeUser(a, { name: `${name} lead` });
  const t = await a.domain.org.createTeam(admin.actor, { name, leadId: lead.user.id });
  for (let m = 0; m < 4; m++) { const u = await makeUser(a, {}); await a.domain.org.setTeamMembership(admin.actor, t.id, u.user.id, true); }
  teams.push(t);
}
const topicsByTeam = [["billing", "refunds", "pricing"], ["shipping"], ["app"], ["login"], ["stores"]];
for (let r = 0; r < 20; r++) {
  const k = r % teams.length;
  await a.domain.routingRules.createRule(admin.actor, { name: `Rule ${r}`, enabled: true, teamIds: [teams[k]!.id], priority: r % 3 ? "normal" : "high", ackWithin: "30m", resolveWithin: "1d",
    conditions: { topics: topicsByTeam[k], ...(r >= 10 ? { sentimentAtMost: "-0.3", channels: ["twitter", "email"] } : {}) } });
}
for (let i = 0; i < 20; i++) await a.domain.insights.createAccount(admin.actor, { name: `Customer ${i}`, tier: "standard" });
const { secret: token } = await a.domain.apiTokens.createApiToken(admin.actor, { name: "bench", kind: "integration", scope: "insights" });
const TEXTS = ["Your invoices are wrong again, I was charged twice this month. Terrible.", "Parcel arrived two days late and the box was damaged", "Love the new mobile app, checkout is so much faster now!", "Cannot log in since the update, password reset email never arrives"];
const TOPICS = [["billing"], ["shipping"], ["app"], ["login"]];
const post = (i: number) => fetch(`${app.url}/api/v1/insights`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
  body: JSON.stringify({ externalId: `x-${i}`, text: `${TEXTS[i % 4]} (#${i})`, channel: "twitter", account: `Customer ${i % 20}`, topics: TOPICS[i % 4] }) }).then((r) => r.status);
for (let i = 0; i < 50; i++) await post(i);
const N = Number(process.env.N ?? 100);
on = true;
for (let i = 50; i < 50 + N; i++) await post(i);
on = false;
let total = 0;
for (const [s, c] of [...counts].sort((x, y) => y[1] - x[1])) { total += c; console.log((c / N).toFixed(2).padStart(6), s.replace(/\s+/g, " ")); }
console.log("per insight:", (total / N).toFixed(2));
await app.close();
