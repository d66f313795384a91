import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ForbiddenError, NotFoundError } from "../../../server/domain/errors.js";
import type { DomainEvents } from "../../../server/events.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson } from "../../factories.js";
import { listNotifications } from "../../../server/domain/notifications.js";

const clock = {
  t: Date.parse("2030-09-01T08:00:00Z"),
  now() {
    return new Date(this.t);
  },
};

let app: TestApp;
let domain: TestApp["atrium"]["domain"];
type P = Awaited<ReturnType<typeof makePerson>>;
let ann: P, bob: P, admin: P;
const created: DomainEvents["notification.created"][] = [];
const read: DomainEvents["notification.read"][] = [];

async function rejects<E extends Error>(p: Promise<unknown>, type: new (...a: any[]) => E): Promise<E> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}

beforeAll(async () => {
  app = await startTestApp({ clock });
  domain = app.atrium.domain;
  app.atrium.ctx.bus.subscribe("notification.created", (p) => void created.push(p));
  app.atrium.ctx.bus.subscribe("notification.read", (p) => void read.push(p));
  ann = await makePerson(app.atrium, { name: "Ann" });
  bob = await makePerson(app.atrium, { name: "Bob" });
  admin = await makePerson(app.atrium, { role: "admin" });
});
afterAll(() => app?.close());

describe("notify", () => {
  test("stores one notification per distinct person, then announces each", async () => {
    created.length = 0;
    await domain.notifications.notify([ann.user.id, bob.user.id, ann.user.id], { type: "test.hello", title: "Hello", body: "World", link: "/people" });
    const rows = await app.atrium.db.notification.findMany({ where: { type: "test.hello" } });
    expect(rows.map((r) => r.userId).sort()).toEqual([ann.user.id, bob.user.id].sort());
    expect(rows.every((r) => r.createdAt.getTime() === clock.t && r.readAt === null)).toBe(true);
    expect(created.map((c) => c.userId).sort()).toEqual([ann.user.id, bob.user.id].sort());
    const forAnn = created.find((c) => c.userId === ann.user.id)!;
    expect(forAnn.notification).toEqual({
      id: rows.find((r) => r.userId === ann.user.id)!.id,
      type: "test.hello",
      title: "Hello",
      body: "World",
      link: "/people",
      createdAt: new Date(clock.t).toISOString(),
    });
  });

  test("nobody to notify writes and announces nothing", async () => {
    const before = await app.atrium.db.notification.count();
    created.length = 0;
    await domain.notifications.notify([], { type: "x", title: "x" });
    expect(await app.atrium.db.notification.count()).toBe(before);
    expect(created).toEqual([]);
  });

  test("long text is cut to size; HTML is stored verbatim", async () => {
    const title = "<script>alert(1)</script>" + "t".repeat(300);
    await domain.notifications.notify([bob.user.id], { type: "test.long", title, body: "b".repeat(1500) });
    const row = await app.atrium.db.notification.findFirstOrThrow({ where: { type: "test.long" } });
    expect(row.title).toBe(title.slice(0, 200));
    expect(row.title.startsWith("<script>alert(1)</script>")).toBe(true);
    expect(row.body).toHaveLength(1000);
    expect(row.link).toBe("");
  });
});

describe("reading", () => {
  test("unread count and list are the actor's own, newest first, with ISO dates", async () => {
    const p = await makePerson(app.atrium);
    for (const title of ["first", "second", "third"]) {
      clock.t += 60_000;
      await domain.notifications.notify([p.user.id], { type: "test.order", title });
    }
    expect(await domain.notifications.unreadCount(p.actor)).toBe(3);
    const list = await domain.notifications.listNotifications(p.actor);
    expect(list.map((n) => n.title)).toEqual(["third", "second", "first"]);
    expect(list[0]).toMatchObject({ createdAt: new Date(clock.t).toISOString(), readAt: null });
    expect(list[0]).not.toHaveProperty("userId");
    expect((await domain.notifications.listNotifications(p.actor, { limit: 2 })).map((n) => n.title)).toEqual(["third", "second"]);
    const bobs = await domain.notifications.listNotifications(bob.actor);
    expect(bobs.some((n) => n.title === "third")).toBe(false);
  });

  test("markRead on one's own notification marks it and announces the new unread count", async () => {
    const p = await makePerson(app.atrium);
    await domain.notifications.notify([p.user.id], { type: "t", title: "one" });
    await domain.notifications.notify([p.user.id], { type: "t", title: "two" });
    const [n] = await domain.notifications.listNotifications(p.actor);
    read.length = 0;
    await domain.notifications.markRead(p.actor, n!.id);
    expect((await app.atrium.db.notification.findUniqueOrThrow({ where: { id: n!.id } })).readAt?.getTime()).toBe(clock.t);
    expect(await domain.notifications.unreadCount(p.actor)).toBe(1);
    expect(read).toEqual([{ userId: p.user.id, unread: 1 }]);
  });

  test("markRead on someone else's notification is refused and the row is unchanged — even for an admin", async () => {
    await domain.notifications.notify([ann.user.id], { type: "test.private", title: "For Ann only" });
    const row = await app.atrium.db.notification.findFirstOrThrow({ where: { type: "test.private" } });
    read.length = 0;
    for (const intruder of [bob, admin]) {
      const err = await rejects(domain.notifications.markRead(intruder.actor, row.id), ForbiddenError);
      expect(err.status).toBe(403);
    }
    expect(await app.atrium.db.notification.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row);
    expect(row.readAt).toBeNull();
    expect(read).toEqual([]);
  });

  test("markRead on an unknown notification is 404", async () => {
    await rejects(domain.notifications.markRead(ann.actor, "no-such-notification"), NotFoundError);
  });

  test("markAllRead marks only the actor's notifications", async () => {
    const p = await makePerson(app.atrium);
    const q = await makePerson(app.atrium);
    await domain.notifications.notify([p.user.id, q.user.id], { type: "t", title: "both" });
    await domain.notifications.notify([p.user.id], { type: "t", title: "p only" });
    read.length = 0;
    await domain.notifications.markAllRead(p.actor);
    expect(await domain.notifications.unreadCount(p.actor)).toBe(0);
    expect(await domain.notifications.unreadCount(q.actor)).toBe(1);
    expect(read).toEqual([{ userId: p.user.id, unread: 0 }]);
  });
});

describe("markReadForPage", () => {
  const unreadLinks = async (p: P) =>
    (await domain.notifications.listNotifications(p.actor)).filter((n) => !n.readAt).map((n) => n.link).sort();

  test("opening a page reads the actor's notifications linking to it (fragment ignored), and announces the count", async () => {
    const p = await makePerson(app.atrium);
    await domain.notifications.notify([p.user.id], { type: "t", title: "answer", link: "/questions/q1#answer-a1" });
    await domain.notifications.notify([p.user.id], { type: "t", title: "question", link: "/questions/q1" });
    await domain.notifications.notify([p.user.id], { type: "t", title: "other question", link: "/questions/q10" });
    await domain.notifications.notify([p.user.id], { type: "t", title: "sub-page", link: "/questions/q1/edit" });
    await domain.notifications.notify([p.user.id], { type: "t", title: "team", link: "/people?team=t1" });
    read.length = 0;
    expect(await domain.notifications.markReadForPage(p.actor, "/questions/q1")).toBe(2);
    expect(await unreadLinks(p)).toEqual(["/people?team=t1", "/questions/q1/edit", "/questions/q10"]);
    expect(read).toEqual([{ userId: p.user.id, unread: 3 }]);
  });

  test("the query is part of the page; Remix's _data parameter is not", async () => {
    const p = await makePerson(app.atrium);
    await domain.notifications.notify([p.user.id], { type: "t", title: "team 1", link: "/people?team=t1" });
    await domain.notifications.notify([p.user.id], { type: "t", title: "team 2", link: "/people?team=t2" });
    expect(await domain.notifications.markReadForPage(p.actor, "/people")).toBe(0);
    expect(await domain.notifications.markReadForPage(p.actor, "/people?team=t2&_data=root")).toBe(1);
    expect(await unreadLinks(p)).toEqual(["/people?team=t1"]);
  });

  test("only the actor's own notifications are read — not a colleague's on the same page, even for an admin", async () => {
    const p = await makePerson(app.atrium);
    const q = await makePerson(app.atrium);
    await domain.notifications.notify([p.user.id, q.user.id, admin.user.id], { type: "t", title: "shared", link: "/docs/d1" });
    read.length = 0;
    expect(await domain.notifications.markReadForPage(admin.actor, "/docs/d1")).toBe(1);
    expect(await unreadLinks(p)).toEqual(["/docs/d1"]);
    expect(await unreadLinks(q)).toEqual(["/docs/d1"]);
    expect(read.map((r) => r.userId)).toEqual([admin.user.id]);
  });

  test("a page with nothing unread, or a malformed path, changes and announces nothing", async () => {
    const p = await makePerson(app.atrium);
    await domain.notifications.notify([p.user.id], { type: "t", title: "x", link: "/insights/i1" });
    await domain.notifications.markReadForPage(p.actor, "/insights/i1");
    read.length = 0;
    expect(await domain.notifications.markReadForPage(p.actor, "/insights/i1")).toBe(0);
    for (const bad of ["", "insights/i1", "//evil.example/insights/i1", "x".repeat(3000), 42 as unknown as string]) {
      expect(await domain.notifications.markReadForPage(p.actor, bad)).toBe(0);
    }
    expect(read).toEqual([]);
  });
});

describe("the list's prepared read", () => {
  test("gives what the Prisma read gives: order within one millisecond, read and unread, every limit", async () => {
    const cy = await makePerson(app.atrium, { name: "Cy" });
    // Same instant for all (the clock stands still): the order falls to the id.
    for (const title of ["One", "Two", "Three", "Four"]) await domain.notifications.notify([cy.user.id], { type: "test.order", title, body: `${title} body`, link: "/people" });
    clock.t += 60_000;
    await domain.notifications.notify([cy.user.id], { type: "test.order", title: "Later", link: "" });
    const [first] = await app.atrium.db.notification.findMany({ where: { userId: cy.user.id, title: "Two" } });
    await domain.notifications.markRead(cy.actor, first!.id);
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    for (const limit of [1, 2, 3, 5, 50]) {
      const viaSql = await listNotifications(ctx, cy.actor, { limit });
      expect(viaSql, `limit ${limit}`).toEqual(await listNotifications(viaPrisma, cy.actor, { limit }));
      expect(viaSql).toHaveLength(Math.min(limit, 5));
    }
    const all = await listNotifications(ctx, cy.actor);
    expect(all[0]?.title).toBe("Later");
    expect(all.filter((n) => n.readAt).map((n) => n.title)).toEqual(["Two"]);
  });
});
