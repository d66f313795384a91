import { randomBytes } from "node:crypto";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, expect, test } from "vitest";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../app/realtime/events.js";
import { createAtrium } from "../../../server/atrium.js";
import { parseEnv } from "../../../server/env.js";
import { makeUser, sessionCookieFor, startTestApp } from "../../helpers/app.js";
import { freshDatabase, TMP_DIR } from "../../helpers/db.js";
import { fakeClock, makeAccount, makeAdmin, makeBillingRule, makeTeam } from "./factories.js";

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function socketFor(url: string, cookie: string): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  return new Promise((resolve, reject) => {
    const s: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, { transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
    cleanups.push(() => s.disconnect());
  });
}

test("every online member of the routed team receives insight.routed live; others do not", async () => {
  const app = await startTestApp();
  cleanups.push(() => app.close());
  const admin = await makeAdmin(app.atrium);
  const finance = await makeTeam(app.atrium, admin.actor, "Finance Operations", ["Femi", "Fran"]);
  const other = await makeTeam(app.atrium, admin.actor, "Logistics", ["Lou"]);
  await makeBillingRule(app.atrium, admin.actor, finance.team.id);
  const account = await makeAccount(app.atrium, admin.actor);
  const agent = await makeUser(app.atrium, { name: "Sam Support" });

  const sockets = await Promise.all(
    [...finance.members, other.members[0]!].map(async (m) => socketFor(app.url, await sessionCookieFor(app.atrium, m.user.email, m.password))),
  );
  const received = sockets.map(
    (s) => new Promise<{ id: string; teams: string[] }>((resolve) => s.on("insight.routed", (p) => resolve({ id: p.insight.id, teams: p.teamIds }))),
  );
  const louGot: string[] = [];
  sockets[2]!.on("insight.routed", (p) => void louGot.push(p.insight.id));

  const insight = await app.atrium.domain.insights.createInsight(agent.actor, {
    text: "Your invoices are wrong again, terrible service",
    channel: "twitter",
    accountId: account.id,
    topics: ["billing"],
  });
  const [a, b] = await Promise.all([received[0]!, received[1]!]);
  for (const r of [a, b]) {
    expect(r.id).toBe(insight.id);
    expect(r.teams).toEqual([finance.team.id]);
  }
  // Joining the team while connected: the socket starts receiving that team's insights.
  await app.atrium.domain.org.setTeamMembership(admin.actor, finance.team.id, other.members[0]!.user.id, true);
  const next = new Promise<string>((resolve) => sockets[2]!.on("insight.routed", (p) => resolve(p.insight.id)));
  const second = await app.atrium.domain.insights.createInsight(agent.actor, { text: "Invoice wrong, awful", channel: "email", topics: ["billing"] });
  expect(await next).toBe(second.id);
  // A member of another team was not told about the first insight: events reach a socket in
  // order, so had it been sent to Lou it would be in the list before the second.
  expect(louGot).toEqual([second.id]);
  // Leaving the team while connected: that team's insights stop reaching the socket.
  await app.atrium.domain.org.setTeamMembership(admin.actor, finance.team.id, other.members[0]!.user.id, false);
  const afterLeaving = await app.atrium.domain.insights.createInsight(agent.actor, { text: "Invoice wrong yet again, awful", channel: "email", topics: ["billing"] });
  // Positive control: an event sent to every socket after it arrives; had the insight been sent
  // to Lou, it would have arrived first.
  const fence = new Promise<void>((resolve) => sockets[2]!.on("person.updated", () => resolve()));
  await app.atrium.ctx.bus.publish("person.updated", { userId: agent.user.id });
  await fence;
  expect(louGot).toEqual([second.id]);
  expect(afterLeaving.id).not.toBe(second.id);

  // Someone outside the team who watches the company feed gets it too; without watching, not.
  const outsider = await makeUser(app.atrium, { name: "Olive Outsider" });
  const watcher = await socketFor(app.url, await sessionCookieFor(app.atrium, outsider.user.email, outsider.password));
  const watched: string[] = [];
  watcher.on("insight.routed", (p) => void watched.push(p.insight.id));
  const unwatched = await app.atrium.domain.insights.createInsight(agent.actor, { text: "Invoice wrong, awful again", channel: "email", topics: ["billing"] });
  watcher.emit("insights.watch", true);
  // Fence: the server handles one socket's messages in order, so once this acknowledged request
  // is answered the watch above has been handled.
  await new Promise<void>((r) => watcher.emit("question.join", "no-such-question", () => r()));
  const third = await app.atrium.domain.insights.createInsight(agent.actor, { text: "Store staff were great", channel: "store" });
  // Positive control: the watched insight arrives. Events reach the socket in order, so the
  // unwatched one, had it been sent, would already be in the list.
  await expect.poll(() => watched.length).toBeGreaterThan(0);
  expect(watched).toEqual([third.id]);
  expect(unwatched.id).not.toBe(third.id);

  // A state change reaches the team as insight.updated.
  const updated = new Promise<string>((resolve) => sockets[1]!.on("insight.updated", (p) => resolve(`${p.change}:${p.insight.status}`)));
  await app.atrium.domain.insights.transitionInsight(finance.members[0]!.actor, insight.id, { to: "acknowledged" });
  expect(await updated).toBe("acknowledged:acknowledged");
});

test("across a restart: an insight overdue while the server was down is breached and escalated on start", async () => {
  const db = freshDatabase();
  cleanups.push(() => db.dispose());
  const env = parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    UPLOAD_DIR: path.join(TMP_DIR, `uploads-${randomBytes(4).toString("hex")}`),
    INSIGHT_SLA_SWEEP_MS: "3600000", // only the start-up sweep can do it within this test
  });
  const clock = fakeClock();
  const first = await createAtrium({ env, withPages: false, clock });
  const admin = await makeAdmin(first);
  const finance = await makeTeam(first, admin.actor, "Finance Operations", ["Femi"]);
  await makeBillingRule(first, admin.actor, finance.team.id);
  const agent = await makeUser(first, { name: "Sam Support" });
  const insight = await first.domain.insights.createInsight(agent.actor, { text: "Invoices wrong, furious", channel: "twitter", topics: ["billing"] });
  await first.close();

  clock.advance(31 * 60_000); // the 30-minute acknowledgement SLA passes while nothing runs
  const second = await createAtrium({ env, withPages: false, clock });
  cleanups.push(() => second.close());
  await expect
    .poll(async () => (await second.db.insight.findUnique({ where: { id: insight.id } }))?.ackBreachedAt?.toISOString() ?? null, { timeout: 3000 })
    .toBe(clock.now().toISOString());
  const escalations = async () =>
    (await second.domain.notifications.listNotifications(finance.lead.actor)).filter((n) => n.type === "insight.escalated" && n.link === `/insights/${insight.id}`).length;
  await expect.poll(escalations, { timeout: 3000 }).toBe(1);
});
