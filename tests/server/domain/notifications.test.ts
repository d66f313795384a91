import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ForbiddenError, NotFoundError } from "../../../server/domain/errors.js";
import { listNotifications, markReadForPage, unreadCount } from "../../../server/domain/notifications.js";
import type { DomainEvents } from "../../../server/events.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson } from "../../factories.js";
import { manualClock } from "../../helpers/clock.js";

const clock = manualClock("2030-09-01T08:00:00Z");

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
    const err = await rejects(domain.notifications.markRead(ann.actor, "no-such-notification"), NotFoundError);
    expect(err.message).toBe("That notification was not found.");
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

const unreadLinks = async (p: P) =>
  (await domain.notifications.listNotifications(p.actor, { limit: 200 })).filter((n) => !n.readAt).map((n) => n.link).sort();

describe("markReadForPage", () => {

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

  test("a malformed path, or a page with nothing unread, changes and announces nothing", async () => {
    const p = await makePerson(app.atrium);
    await domain.notifications.notify([p.user.id], { type: "t", title: "x", link: "/insights/i1" });
    read.length = 0;
    // Each would name /insights/i1 if it were read as a path on this site.
    for (const bad of ["", "insights/i1", "//evil.example/insights/i1", "x".repeat(3000), 42 as unknown as string]) {
      expect(await domain.notifications.markReadForPage(p.actor, bad)).toBe(0);
    }
    expect(await unreadLinks(p)).toEqual(["/insights/i1"]);
    expect(read).toEqual([]);
    expect(await domain.notifications.markReadForPage(p.actor, "/insights/i1")).toBe(1);
    expect(await domain.notifications.markReadForPage(p.actor, "/insights/i1")).toBe(0);
    expect(read).toEqual([{ userId: p.user.id, unread: 0 }]);
  });
});

describe("limits, order and what is left alone", () => {
  test("a list is 50 by default and never more than 200; same-millisecond rows come newest first", async () => {
    const p = await makePerson(app.atrium);
    await app.atrium.db.notification.createMany({
      data: Array.from({ length: 205 }, (_, i) => ({ userId: p.user.id, type: "test.bulk", title: `bulk ${i}`, createdAt: new Date(clock.t - 3_600_000) })),
    });
    expect(await domain.notifications.listNotifications(p.actor)).toHaveLength(50);
    expect(await domain.notifications.listNotifications(p.actor, { limit: 500 })).toHaveLength(200);
    await domain.notifications.notify([p.user.id], { type: "test.tie", title: "earlier" });
    await domain.notifications.notify([p.user.id], { type: "test.tie", title: "later" });
    const top = await domain.notifications.listNotifications(p.actor, { limit: 2 });
    expect(top.map((n) => [n.title, n.body, n.link])).toEqual([
      ["later", "", ""],
      ["earlier", "", ""],
    ]);
  });

  test("a notification about a document the reader can no longer open keeps its link but withholds the quote", async () => {
    await domain.docs.ensureSpaces();
    const company = (await app.atrium.db.space.findFirstOrThrow({ where: { kind: "company" } })).id;
    const secret = await domain.docs.createDocument(ann.actor, { title: "Secret plan", spaceId: company, visibility: "private" });
    const open = await domain.docs.createDocument(ann.actor, { title: "Open plan", spaceId: company, visibility: "company" });
    const p = await makePerson(app.atrium);
    await domain.notifications.notify([p.user.id, ann.user.id], { type: "test.doc", title: "shared “Secret plan” with you", body: "Have a look", link: `/docs/${secret.id}#c1` });
    await domain.notifications.notify([p.user.id], { type: "test.doc", title: "shared “Open plan” with you", body: "Also this", link: `/docs/${open.id}?tab=comments#c2` });
    await domain.notifications.notify([p.user.id], { type: "test.other", title: "Someone answered", body: "Read it", link: "/questions/q1" });
    // A page that only mentions a document's path further along is not that document.
    await domain.notifications.notify([p.user.id], { type: "test.other", title: "Your search has news", body: "Look", link: `/search?q=/docs/${secret.id}` });
    // The documents pages under /docs that are not a document are not checked as one.
    await domain.notifications.notify([p.user.id], { type: "test.other", title: "Restored from the trash", body: "Find it", link: "/docs/trash" });
    await domain.notifications.notify([p.user.id], { type: "test.other", title: "A space you follow", body: "New pages", link: `/docs/spaces/${company}#recent` });
    const shown = (await domain.notifications.listNotifications(p.actor)).map((n) => [n.title, n.body, n.link]);
    expect(shown).toEqual([
      ["A space you follow", "New pages", `/docs/spaces/${company}#recent`],
      ["Restored from the trash", "Find it", "/docs/trash"],
      ["Your search has news", "Look", `/search?q=/docs/${secret.id}`],
      ["Someone answered", "Read it", "/questions/q1"],
      ["shared “Open plan” with you", "Also this", `/docs/${open.id}?tab=comments#c2`],
      ["A document you can no longer open", "", `/docs/${secret.id}#c1`],
    ]);
    const forOwner = (await domain.notifications.listNotifications(ann.actor)).find((n) => n.type === "test.doc")!;
    expect([forOwner.title, forOwner.body]).toEqual(["shared “Secret plan” with you", "Have a look"]);
  });

  test("markAllRead leaves the time an earlier read was recorded", async () => {
    const p = await makePerson(app.atrium);
    await domain.notifications.notify([p.user.id], { type: "t", title: "read early" });
    const [early] = await domain.notifications.listNotifications(p.actor);
    await domain.notifications.markRead(p.actor, early!.id);
    const readAt = clock.t;
    clock.t += 60_000;
    await domain.notifications.notify([p.user.id], { type: "t", title: "read late" });
    await domain.notifications.markAllRead(p.actor);
    const times = Object.fromEntries((await domain.notifications.listNotifications(p.actor)).map((n) => [n.title, n.readAt]));
    expect(times).toEqual({ "read early": new Date(readAt).toISOString(), "read late": new Date(clock.t).toISOString() });
  });

  test("markReadForPage and the unread count answer the same through the Prisma read", async () => {
    const viaPrisma = { ...app.atrium.ctx, reads: undefined };
    const p = await makePerson(app.atrium);
    for (const link of ["/questions/q1#answer-a1", "/questions/q1", "/questions/q1?tab=2", "/questions/q10", "/questions/q1/edit", "/other"]) {
      await domain.notifications.notify([p.user.id], { type: "t", title: link, link });
    }
    expect(await unreadCount(viaPrisma, p.actor)).toBe(6);
    read.length = 0;
    expect(await markReadForPage(viaPrisma, p.actor, "/questions/q1")).toBe(2);
    expect(await unreadCount(viaPrisma, p.actor)).toBe(4);
    expect(await markReadForPage(viaPrisma, p.actor, "/questions/q1?tab=2")).toBe(1);
    expect(await unreadLinks(p)).toEqual(["/other", "/questions/q1/edit", "/questions/q10"]);
    expect(read).toEqual([
      { userId: p.user.id, unread: 4 },
      { userId: p.user.id, unread: 3 },
    ]);
  });

  test("a query matches in any order; a link over 2000 characters is never a page", async () => {
    const p = await makePerson(app.atrium);
    const longest = `/p/${"x".repeat(1997)}`;
    const tooLong = `/p/${"y".repeat(1998)}`;
    for (const link of ["/people?b=2&a=1", longest, tooLong]) await domain.notifications.notify([p.user.id], { type: "t", title: "x", link });
    expect(await domain.notifications.markReadForPage(p.actor, "/people?a=1&b=2")).toBe(1);
    expect(await domain.notifications.markReadForPage(p.actor, longest)).toBe(1);
    expect(await domain.notifications.markReadForPage(p.actor, tooLong)).toBe(0);
    expect(await unreadLinks(p)).toEqual([tooLong]);
  });
});

describe("the list's prepared read", () => {
  test("gives what the Prisma read gives: order within one millisecond, read and unread, every limit", async () => {
    const cy = await makePerson(app.atrium, { name: "Cy" });
    const di = await makePerson(app.atrium, { name: "Di" });
    // Same instant for all (the clock stands still): the order falls to the id. Di's are not Cy's.
    for (const title of ["One", "Two", "Three", "Four"]) await domain.notifications.notify([cy.user.id, di.user.id], { type: "test.order", title, body: `${title} body`, link: "/people" });
    // Same instant again, with ids that do not follow the order the rows were written in.
    for (const id of ["tie-b", "tie-a", "tie-c"]) await app.atrium.db.notification.create({ data: { id, userId: cy.user.id, type: "test.order", title: id, createdAt: new Date(clock.t) } });
    clock.t += 60_000;
    await domain.notifications.notify([cy.user.id], { type: "test.order", title: "Later", link: "" });
    // Written last, dated first.
    await domain.notifications.notify([cy.user.id], { type: "test.order", title: "Backdated", link: "" });
    await app.atrium.db.notification.updateMany({ where: { userId: cy.user.id, title: "Backdated" }, data: { createdAt: new Date(clock.t - 3_600_000) } });
    const [first] = await app.atrium.db.notification.findMany({ where: { userId: cy.user.id, title: "Two" } });
    await domain.notifications.markRead(cy.actor, first!.id);
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    for (const limit of [1, 2, 3, 5, 8, 50]) {
      const viaSql = await listNotifications(ctx, cy.actor, { limit });
      expect(viaSql, `limit ${limit}`).toEqual(await listNotifications(viaPrisma, cy.actor, { limit }));
      expect(viaSql).toHaveLength(Math.min(limit, 9));
    }
    const all = await listNotifications(ctx, cy.actor);
    expect(all.map((n) => n.title)).toEqual(["Later", "tie-c", "tie-b", "tie-a", "Four", "Three", "Two", "One", "Backdated"]);
    expect(all.filter((n) => n.readAt).map((n) => n.title)).toEqual(["Two"]);
  });
});
