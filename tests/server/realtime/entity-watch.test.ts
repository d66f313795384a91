/**
 * entity.watch: a page joins the room of the entity it shows; the policy decides the join; the
 * domain's after-commit events become entity.changed notices; a reader whose access is revoked
 * is dropped (entity.revoked) and hears nothing more.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { EntityRef } from "../../../app/schemas/entities.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { closeAllSockets, connect, record, until, waitFor, type TestSocket } from "../../helpers/server-socket.js";
import { makeAccount, makeBillingRule, makeTeam } from "../insights/factories.js";
import { docsWorld, type World } from "../docs/world.js";
import { makePerson } from "../../factories.js";

let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await startTestApp();
  w = await docsWorld(app.atrium);
});
afterAll(async () => {
  closeAllSockets();
  await app?.close();
});

type Person = { user: { email: string; id: string }; password: string };
async function socketOf(p: Person): Promise<TestSocket> {
  const s = await app.atrium.domain.accounts.signIn({ email: p.user.email, password: p.password }, { ip: "127.0.0.1", userAgent: "test" });
  return (await connect(app.url, `atrium_session=${s.token}`)).socket;
}
function watch(socket: TestSocket, ref: unknown): Promise<boolean> {
  return new Promise((resolve) => socket.emit("entity.watch", ref as EntityRef, (r) => resolve(r.ok)));
}
const sameRef = (ref: EntityRef) => (p: EntityRef) => p.type === ref.type && p.id === ref.id;

describe("insights", () => {
  test("the poster, outside the routed team, sees acknowledge and resolve live", async () => {
    const admin = w.people.admin;
    const finance = await makeTeam(app.atrium, admin.actor, "Finance Ops", ["Femi"]);
    await makeBillingRule(app.atrium, admin.actor, finance.team.id);
    const account = await makeAccount(app.atrium, admin.actor);
    const poster = await makePerson(app.atrium, { name: "Polly Poster" });
    const insight = await app.atrium.domain.insights.createInsight(poster.actor, { text: "Invoices are wrong, terrible", channel: "email", accountId: account.id, topics: ["billing"] });

    const s = await socketOf(poster);
    const ref: EntityRef = { type: "insight", id: insight.id };
    expect(await watch(s, ref)).toBe(true);
    const notices = record(s, "entity.changed");
    await app.atrium.domain.insights.transitionInsight(finance.members[0]!.actor, insight.id, { to: "acknowledged" });
    await until(() => notices.length >= 1, "a notice after acknowledge");
    expect(notices[0]!.payload).toEqual(ref);
    await app.atrium.domain.insights.transitionInsight(finance.members[0]!.actor, insight.id, { to: "resolved", note: "Credited the invoices." });
    await until(() => notices.length >= 2, "a notice after resolve");

    // Unwatching stops the notices (a person watch on the same socket is the barrier).
    s.emit("entity.unwatch", ref);
    const other = await makePerson(app.atrium, { name: "Barrier Person" });
    expect(await watch(s, { type: "person", id: other.user.id })).toBe(true);
    await app.atrium.domain.insights.transitionInsight(finance.members[0]!.actor, insight.id, { to: "reopened", note: "Still wrong" });
    await app.atrium.ctx.bus.publish("person.updated", { userId: other.user.id });
    await until(() => notices.some((n) => n.payload.type === "person"), "the barrier notice");
    expect(notices.filter((n) => n.payload.type === "insight")).toHaveLength(2);
  });

  test("unknown ids, malformed payloads and an inactive account's socket are refused", async () => {
    const reader = await makePerson(app.atrium, { name: "Rita Reader" });
    const s = await socketOf(reader);
    expect(await watch(s, { type: "insight", id: "no-such-insight" })).toBe(false);
    expect(await watch(s, { type: "planet", id: "x" })).toBe(false);
    expect(await watch(s, { type: "insight", id: "x".repeat(61) })).toBe(false);
    expect(await watch(s, "insight:1")).toBe(false);
    expect(s.connected).toBe(true);
  });
});

describe("questions", () => {
  test("a deleted question's room is refused to others, open to its author and admins", async () => {
    const author = await makePerson(app.atrium, { name: "Ann Asker" });
    const other = await makePerson(app.atrium, { name: "Otto Other" });
    const q = await app.atrium.domain.questions.askQuestion(author.actor, {
      title: "Where is the VPN configuration guide?",
      body: { json: JSON.stringify({ root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "Looking for it." }] }] } }) },
      tags: ["vpn"],
    });
    const ref: EntityRef = { type: "question", id: q.id };
    const [sa, so, sAdmin] = await Promise.all([socketOf(author), socketOf(other), socketOf(w.people.admin)]);
    expect(await watch(so, ref)).toBe(true);
    await app.atrium.domain.questions.deleteQuestion(author.actor, q.id, { reason: "found it" });
    // The other reader is dropped at the next notice, not told.
    const revoked = await waitFor(so, "entity.revoked", sameRef(ref));
    expect(revoked).toEqual(ref);
    expect(await watch(so, ref)).toBe(false);
    expect(await watch(sa, ref)).toBe(true);
    expect(await watch(sAdmin, ref)).toBe(true);
  });
});

describe("documents", () => {
  test("a private document is refused; revoked access stops the notices", async () => {
    const { mia, max, pia } = w.people;
    const { id } = await app.atrium.domain.docs.createDocument(mia.actor, { title: "Campaign plan", spaceId: w.space.marketing.id });
    const ref: EntityRef = { type: "doc", id };
    const [sMax, sPia] = await Promise.all([socketOf(max), socketOf(pia)]);
    expect(await watch(sPia, ref)).toBe(false); // another department's document
    expect(await watch(sMax, ref)).toBe(true);
    const changed = record(sMax, "entity.changed");
    await app.atrium.domain.docs.updateDocument(mia.actor, id, { title: "Campaign plan v2" });
    await until(() => changed.length === 1, "the title change");

    await app.atrium.domain.docs.updateDocument(mia.actor, id, { visibility: "private" });
    await waitFor(sMax, "entity.revoked", sameRef(ref));
    // Later changes do not reach Max (a person notice on the same socket is the barrier).
    expect(await watch(sMax, { type: "person", id: mia.user.id })).toBe(true);
    await app.atrium.domain.docs.updateDocument(mia.actor, id, { title: "Campaign plan v3" });
    await app.atrium.ctx.bus.publish("person.updated", { userId: mia.user.id });
    await until(() => changed.some((n) => n.payload.type === "person"), "the barrier notice");
    expect(changed.filter((n) => n.payload.type === "doc")).toHaveLength(1);
  });
});

describe("a socket's watches are capped", () => {
  test("at most 50 entities at once: the 51st is refused, and unwatching one frees its place", async () => {
    const { mia } = w.people;
    const refs: EntityRef[] = [];
    for (let i = 0; i < 51; i++) {
      const { id } = await app.atrium.domain.docs.createDocument(mia.actor, { title: `Watched ${i}`, spaceId: w.space.marketing.id });
      refs.push({ type: "doc", id });
    }
    const s = await socketOf(mia);
    for (const ref of refs.slice(0, 50)) expect(await watch(s, ref)).toBe(true);
    // Watching one of them again joins no new room and stays allowed.
    expect(await watch(s, refs[0]!)).toBe(true);
    expect(await watch(s, refs[50]!)).toBe(false);
    s.emit("entity.unwatch", refs[0]!);
    expect(await watch(s, refs[50]!)).toBe(true);
  });
});

describe("people", () => {
  test("a watched person's presence changes notify the watcher", async () => {
    const asker = await makePerson(app.atrium, { name: "Asha Asker" });
    const expert = await makePerson(app.atrium, { name: "Eli Expert" });
    const s = await socketOf(asker);
    const ref: EntityRef = { type: "person", id: expert.user.id };
    expect(await watch(s, ref)).toBe(true);
    const notices = record(s, "entity.changed");
    const se = await socketOf(expert);
    await until(() => notices.length === 1, "online notice");
    expect(notices[0]!.payload).toEqual(ref);
    se.disconnect();
    await until(() => notices.length === 2, "offline notice after the grace period");
    expect(app.atrium.ctx.presence.stateOf(expert.user.id)).toBe("offline");
  });

  test("an unknown person is refused", async () => {
    const someone = await makePerson(app.atrium);
    const s = await socketOf(someone);
    expect(await watch(s, { type: "person", id: "nobody-here" })).toBe(false);
  });
});
