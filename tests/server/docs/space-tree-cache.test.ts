/**
 * A space's tree is kept in memory under the space's version (spaceTreeSql, decision 520): a page
 * of it must always be the page the Prisma read gives, after every kind of write — by a verb or by
 * anyone else writing to the database — and an unchanged space must not be read again.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SqlReads, SqlValue } from "../../../server/db-reads.js";
import type { Ctx } from "../../../server/domain/context.js";
import { spaceTreeSql } from "../../../server/domain/docs-reads.js";
import * as d from "../../../server/domain/docs.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { docsWorld, type World } from "./world.js";

const TREE_READ = /FROM "Document" d WHERE d\."spaceId" = \? AND d\."deletedAt" IS NULL ORDER BY/;

/** The app's prepared reads, counting the statements that read a whole space's tree. */
function counting(reads: SqlReads) {
  const seen = { treeReads: 0, statements: [] as string[] };
  const wrapped: SqlReads = {
    one: (sql: string, ...p: SqlValue[]) => (seen.statements.push(sql), reads.one(sql, ...p)),
    all: (sql: string, ...p: SqlValue[]) => {
      seen.statements.push(sql);
      if (TREE_READ.test(sql)) seen.treeReads++;
      return reads.all(sql, ...p);
    },
    close: () => undefined,
  };
  return { wrapped, seen };
}

describe("a space's tree kept in memory", () => {
  const clock = manualClock("2031-05-06T09:00:00Z");
  let app: TestApp;
  let w: World;
  let ctx: Ctx;
  let viaPrisma: Ctx;
  beforeAll(async () => {
    app = await startTestApp({ clock });
    w = await docsWorld(app.atrium);
    ctx = app.atrium.ctx;
    viaPrisma = { ...ctx, reads: undefined };
  }, 120_000);
  afterAll(() => app?.close());

  /** Every reader's every page of every space, with prepared reads (memory) and through Prisma. */
  async function expectSameAsPrisma(step: string, c: Ctx = ctx) {
    let documents = 0;
    for (const [name, who] of Object.entries(w.people)) {
      for (const space of Object.values(w.space)) {
        for (const page of [1, 2]) {
          const kept = await d.getSpacePage(c, who.actor, space.id, page);
          expect(kept, `${step}: ${name}, ${space.name}, page ${page}`).toEqual(await d.getSpacePage(viaPrisma, who.actor, space.id, page));
          if (page === 1) documents += kept.total;
        }
      }
    }
    return documents;
  }

  test("after every kind of write, each reader's page is the one the Prisma read gives", async () => {
    const docs = app.atrium.domain.docs;
    const { mia, max, pia, pat, nod, admin } = w.people;
    const seen: number[] = [await expectSameAsPrisma("empty")];
    const brief = (await docs.createDocument(mia.actor, { title: "Brief", spaceId: w.space.marketing.id })).id;
    const plan = (await docs.createDocument(pia.actor, { title: "Plan", spaceId: w.space.product.id })).id;
    const note = (await docs.createDocument(max.actor, { title: "Note", spaceId: w.space.company.id })).id;
    seen.push(await expectSameAsPrisma("created"));
    const child = (await docs.createDocument(mia.actor, { title: "Appendix", spaceId: w.space.marketing.id, parentId: brief })).id;
    seen.push(await expectSameAsPrisma("a child"));
    clock.tick(60_000);
    await docs.updateDocument(mia.actor, brief, { title: "Zebra brief" });
    seen.push(await expectSameAsPrisma("renamed"));
    await docs.updateDocument(pia.actor, plan, { visibility: "private" });
    seen.push(await expectSameAsPrisma("made private"));
    await docs.shareDocument(pia.actor, plan, { principalType: "team", principalId: w.teams.growth.id, role: "viewer" });
    seen.push(await expectSameAsPrisma("shared with a team"));
    await docs.shareDocument(pia.actor, plan, { principalType: "user", principalId: nod.user.id, role: "viewer" });
    await docs.shareDocument(pia.actor, plan, { principalType: "user", principalId: nod.user.id, role: "editor" });
    seen.push(await expectSameAsPrisma("shared with a person, then their role changed"));
    const shares = await docs.listShares(pia.actor, plan);
    await docs.unshareDocument(pia.actor, plan, shares.find((s) => s.principalType === "team")!.id);
    seen.push(await expectSameAsPrisma("a share removed"));
    await docs.updateDocument(mia.actor, child, { visibility: "private" });
    seen.push(await expectSameAsPrisma("a child hidden: to others it shows at the top"));
    await docs.updateDocument(mia.actor, child, { visibility: "department", audienceRole: "editor" });
    await docs.updateDocument(mia.actor, child, { parentId: null });
    seen.push(await expectSameAsPrisma("audience changed, moved to the top"));
    await docs.trashDocument(max.actor, note);
    seen.push(await expectSameAsPrisma("trashed"));
    await docs.restoreDocument(max.actor, note);
    seen.push(await expectSameAsPrisma("restored"));
    // Writes no verb made (another server, a script): the triggers see them too.
    await app.atrium.db.$executeRaw`UPDATE "Document" SET "ownerId" = ${pat.user.id} WHERE "id" = ${child}`;
    seen.push(await expectSameAsPrisma("owner changed in SQL"));
    await app.atrium.db.$executeRaw`UPDATE "Document" SET "spaceId" = ${w.space.company.id}, "departmentId" = NULL, "visibility" = 'company' WHERE "id" = ${child}`;
    seen.push(await expectSameAsPrisma("moved to another space in SQL"));
    await app.atrium.db.$executeRaw`DELETE FROM "Document" WHERE "id" = ${note}`;
    seen.push(await expectSameAsPrisma("deleted in SQL"));
    await app.atrium.db.$executeRaw`UPDATE "Document" SET "title" = 'Aardvark plan' WHERE "id" = ${plan}`;
    seen.push(await expectSameAsPrisma("renamed in SQL"));
    // The comparisons saw documents come and go, so they compared trees, not empty pages.
    expect(seen[0]).toBe(0);
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(10);
    expect(new Set(seen).size).toBeGreaterThan(5);
    expect((await d.getSpacePage(ctx, admin.actor, w.space.company.id, 1)).tree.map((n) => n.id)).toContain(child);
  });

  test("an unchanged space is read once; a write to it, and only to it, has it read again", async () => {
    const { wrapped, seen } = counting(ctx.reads!);
    const c = { ...ctx, reads: wrapped };
    const { mia, pia } = w.people;
    await app.atrium.domain.docs.createDocument(mia.actor, { title: "Counted", spaceId: w.space.marketing.id });
    await d.getSpacePage(c, mia.actor, w.space.marketing.id, 1);
    expect(seen.treeReads).toBe(1);
    // Another reader, another page: the same kept tree.
    await d.getSpacePage(c, pia.actor, w.space.marketing.id, 1);
    await d.getSpacePage(c, mia.actor, w.space.marketing.id, 2);
    expect(seen.treeReads).toBe(1);
    // A write to another space leaves this one kept.
    await app.atrium.domain.docs.createDocument(pia.actor, { title: "Elsewhere", spaceId: w.space.product.id });
    await d.getSpacePage(c, mia.actor, w.space.marketing.id, 1);
    expect(seen.treeReads).toBe(1);
    // An edit's dates are read for the page, not kept: an edit does not have the tree read again.
    const counted = (await d.getSpacePage(c, mia.actor, w.space.marketing.id, 1)).tree.find((n) => n.title === "Counted")!;
    clock.tick(3_600_000);
    await app.atrium.db.document.update({ where: { id: counted.id }, data: { lastEditedAt: clock.now(), plainText: "edited" } });
    const after = (await d.getSpacePage(c, mia.actor, w.space.marketing.id, 1)).tree.find((n) => n.id === counted.id)!;
    expect(after.lastEditedAt).toBe(clock.now().toISOString());
    expect(after.lastEditedAt).not.toBe(counted.lastEditedAt);
    expect(seen.treeReads).toBe(1);
    // A write to this space: read again, once.
    await app.atrium.domain.docs.updateDocument(mia.actor, counted.id, { title: "Counted again" });
    expect((await d.getSpacePage(c, pia.actor, w.space.marketing.id, 1)).tree).toEqual([]);
    expect((await d.getSpacePage(c, mia.actor, w.space.marketing.id, 1)).tree.map((n) => n.title)).toContain("Counted again");
    expect(seen.treeReads).toBe(2);
  });

  test("a space of several pages, nested three deep, with private branches and shares, pages for each reader as the Prisma read does", async () => {
    const docs = app.atrium.domain.docs;
    const { pia, pat, mia } = w.people;
    const space = w.space.product.id;
    for (let r = 0; r < 24; r++) {
      const root = (await docs.createDocument(pia.actor, { title: `Shelf ${String(r).padStart(2, "0")}`, spaceId: space })).id;
      // Every fourth shelf is private to Pia: to others its books show at the top, A–Z among the shelves.
      if (r % 4 === 1) await docs.updateDocument(pia.actor, root, { visibility: "private" });
      if (r % 8 === 1) await docs.shareDocument(pia.actor, root, { principalType: "team", principalId: w.teams.growth.id, role: "viewer" });
      for (let b = 0; b < 4; b++) {
        const book = (await docs.createDocument(pia.actor, { title: `Book ${r}.${b}`, spaceId: space, parentId: root })).id;
        if (b === 2) await docs.updateDocument(pia.actor, book, { visibility: "private" });
        if (b === 3) await docs.shareDocument(pia.actor, book, { principalType: "user", principalId: mia.user.id, role: "viewer" });
        for (let c = 0; c < 2; c++) await docs.createDocument(pia.actor, { title: `Chapter ${r}.${b}.${c}`, spaceId: space, parentId: book });
      }
    }
    const totals: Record<string, number> = {};
    const contexts: string[] = [];
    for (const [name, who] of Object.entries(w.people)) {
      const first = await d.getSpacePage(ctx, who.actor, space, 1);
      totals[name] = first.total;
      for (let page = 1; page <= first.pages + 1; page++) {
        const kept = await d.getSpacePage(ctx, who.actor, space, page);
        expect(kept, `${name}, page ${page}`).toEqual(await d.getSpacePage(viaPrisma, who.actor, space, page));
        for (const n of kept.tree) if (n.context) contexts.push(`${name} ${page}`);
      }
    }
    // The readers saw different trees, over several pages, some pages starting inside a branch.
    expect(totals.pia).toBeGreaterThan(2 * 100);
    expect(totals.pat).toBeLessThan(totals.pia!);
    expect(totals.pat).toBeGreaterThan(100);
    expect(totals.mia).toBeGreaterThan(0);
    expect(totals.mia).toBeLessThan(100);
    expect(contexts.length).toBeGreaterThan(0);
    // Pat cannot read the private shelf 01, so its books are at the top, in A–Z order among the shelves.
    const patFirst = await d.getSpacePage(ctx, pat.actor, space, 1);
    expect(patFirst.tree.map((n) => n.title)).toContain("Book 1.0");
  }, 240_000);

  test("the kept trees are bounded: the space read longest ago goes first, and a space bigger than the bound is never kept", async () => {
    const { wrapped, seen } = counting(ctx.reads!);
    const docs = app.atrium.domain.docs;
    // Neither space empty, whatever ran before.
    await docs.createDocument(w.people.mia.actor, { title: "Bound: marketing", spaceId: w.space.marketing.id });
    await docs.createDocument(w.people.mia.actor, { title: "Bound: company", spaceId: w.space.company.id });
    const marketing = (await spaceTreeSql(ctx.reads!, w.space.marketing.id)).length;
    const company = (await spaceTreeSql(ctx.reads!, w.space.company.id)).length;
    expect(marketing).toBeGreaterThan(0);
    expect(company).toBeGreaterThan(0);
    const bound = marketing + company;
    const read = async (spaceId: string) => {
      const before = seen.treeReads;
      await spaceTreeSql(wrapped, spaceId, bound);
      return seen.treeReads - before;
    };
    expect(await read(w.space.marketing.id)).toBe(1);
    expect(await read(w.space.company.id)).toBe(1);
    // Both fit: neither is read again.
    expect(await read(w.space.marketing.id)).toBe(0);
    expect(await read(w.space.company.id)).toBe(0);
    // One more document in the company space: the two no longer fit, so marketing (read longest ago) goes.
    await docs.createDocument(w.people.mia.actor, { title: "One too many", spaceId: w.space.company.id });
    expect(await read(w.space.company.id)).toBe(1);
    expect(await read(w.space.company.id)).toBe(0);
    expect(await read(w.space.marketing.id)).toBe(1);
    // Now the company space went (marketing was read last), and marketing stays.
    expect(await read(w.space.marketing.id)).toBe(0);
    expect(await read(w.space.company.id)).toBe(1);
    // A space bigger than the bound on its own is read every time (another server's memory, so nothing kept yet).
    const other = counting(ctx.reads!);
    for (let i = 0; i < 3; i++) await spaceTreeSql(other.wrapped, w.space.company.id, company);
    expect(other.seen.treeReads).toBe(3);
    for (let i = 0; i < 3; i++) await spaceTreeSql(other.wrapped, w.space.company.id, company + 1);
    expect(other.seen.treeReads).toBe(4);
    // A space too big to keep does not push out the ones kept: in a third server's memory, the
    // smaller space is kept, the bigger one (over the bound) read, and the smaller one still kept.
    const sizeOf = async (id: string) => ({ id, n: (await spaceTreeSql(ctx.reads!, id)).length });
    const small = await sizeOf(w.space.marketing.id);
    while ((await sizeOf(w.space.company.id)).n <= small.n) await docs.createDocument(w.people.mia.actor, { title: "Bound: one more", spaceId: w.space.company.id });
    const big = await sizeOf(w.space.company.id);
    expect(big.n).toBeGreaterThan(small.n);
    const third = counting(ctx.reads!);
    await spaceTreeSql(third.wrapped, small.id, small.n);
    await spaceTreeSql(third.wrapped, big.id, small.n);
    await spaceTreeSql(third.wrapped, small.id, small.n);
    expect(third.seen.treeReads).toBe(2);
  });

  test("what the reader is (their teams) is read per request: joining a team shows its shared documents at once, leaving hides them", async () => {
    const docs = app.atrium.domain.docs;
    const { pia, pat } = w.people;
    const shared = (await docs.createDocument(pia.actor, { title: "Platform only", spaceId: w.space.company.id })).id;
    await docs.updateDocument(pia.actor, shared, { visibility: "private" });
    await docs.shareDocument(pia.actor, shared, { principalType: "team", principalId: w.teams.platform.id, role: "viewer" });
    const ids = async () => (await d.getSpacePage(ctx, pat.actor, w.space.company.id, 1)).tree.map((n) => n.id);
    expect(await ids()).not.toContain(shared);
    await app.atrium.db.teamMembership.create({ data: { userId: pat.user.id, teamId: w.teams.platform.id } });
    expect(await ids()).toContain(shared);
    await app.atrium.db.teamMembership.deleteMany({ where: { userId: pat.user.id, teamId: w.teams.platform.id } });
    expect(await ids()).not.toContain(shared);
  });
  test("a document deleted between the tree's read and its dates' read is shown without a date; the page does not fail", async () => {
    const docs = app.atrium.domain.docs;
    const { pat } = w.people;
    const gone = (await docs.createDocument(pat.actor, { title: "Deleted meanwhile", spaceId: w.space.company.id, visibility: "company" })).id;
    const kept = (await docs.createDocument(pat.actor, { title: "Deleted meanwhile, not", spaceId: w.space.company.id, visibility: "company" })).id;
    await d.getSpacePage(ctx, pat.actor, w.space.company.id, 1); // the tree is kept
    const db = app.atrium.db;
    const reads = ctx.reads!;
    const racing: SqlReads = {
      one: (sql: string, ...p: SqlValue[]) => reads.one(sql, ...p),
      all: async (sql: string, ...p: SqlValue[]) => {
        // Another server deletes the document after this one read the tree, before it reads the dates.
        if (sql.includes(`d."id" AS "of", d."lastEditedAt"`)) await db.$executeRaw`DELETE FROM "Document" WHERE "id" = ${gone}`;
        return reads.all(sql, ...p);
      },
      close: () => undefined,
    };
    const page = await d.getSpacePage({ ...ctx, reads: racing }, pat.actor, w.space.company.id, 1);
    expect(page.tree.find((n) => n.id === gone)).toMatchObject({ title: "Deleted meanwhile", lastEditedAt: null });
    expect(page.tree.find((n) => n.id === kept)!.lastEditedAt).toEqual(expect.any(String));
    // The next read sees it gone.
    expect((await d.getSpacePage(ctx, pat.actor, w.space.company.id, 1)).tree.map((n) => n.id)).not.toContain(gone);
  });

  test("the whole tree (getSpace) is read through the prepared statements when there are any", async () => {
    const { wrapped, seen } = counting(ctx.reads!);
    const id = (await app.atrium.domain.docs.createDocument(w.people.pia.actor, { title: "Read whole", spaceId: w.space.product.id })).id;
    const whole = await d.getSpace({ ...ctx, reads: wrapped }, w.people.pia.actor, w.space.product.id);
    expect(whole.tree.map((n) => n.id)).toContain(id);
    expect(seen.statements.some((sql) => /d\."createdAt" FROM "Document" d WHERE d\."spaceId" = \?/.test(sql))).toBe(true);
  });
});
