/**
 * A big space is read a page of its tree at a time (pageOfTree, getSpacePage): every document is on
 * exactly one page, in reading order, and a page that starts inside a branch shows the branch's
 * ancestors for context.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Ctx } from "../../../server/domain/context.js";
import { getSpace, getSpacePage, pageOfTree, SPACE_PAGE_SIZE, type TreeNode } from "../../../server/domain/docs.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { docsWorld, type World } from "./world.js";

const node = (id: string, children: TreeNode[] = []): TreeNode => ({ id, title: id, visibility: "company", lastEditedAt: null, children });
/** Every node of a (paged) tree in reading order, as "id" or "(id)" for a context node. */
const read = (nodes: TreeNode[]): string[] => nodes.flatMap((n) => [n.context ? `(${n.id})` : n.id, ...read(n.children)]);

describe("pageOfTree", () => {
  // a{a1{a1x, a1y}, a2}, b, c{c1}: reading order a a1 a1x a1y a2 b c c1.
  const tree = () => [node("a", [node("a1", [node("a1x"), node("a1y")]), node("a2")]), node("b"), node("c", [node("c1")])];

  test("a tree that fits is one page, unchanged", () => {
    const p = pageOfTree(tree(), 1, 8);
    expect(p).toMatchObject({ page: 1, pages: 1, total: 8 });
    expect(p.tree).toEqual(tree());
  });

  test("pages cut the reading order; a page starting inside a branch shows its ancestors first, as context", () => {
    expect(read(pageOfTree(tree(), 1, 3).tree)).toEqual(["a", "a1", "a1x"]);
    const second = pageOfTree(tree(), 2, 3);
    expect(second).toMatchObject({ page: 2, pages: 3, total: 8 });
    expect(read(second.tree)).toEqual(["(a)", "(a1)", "a1y", "a2", "b"]);
    // Nested as in the whole tree: a1y under a1 under a, a2 under a, b at the top.
    expect(second.tree.map((n) => n.id)).toEqual(["a", "b"]);
    expect(second.tree[0]!.children.map((n) => n.id)).toEqual(["a1", "a2"]);
    expect(second.tree[0]!.children[0]!.children.map((n) => n.id)).toEqual(["a1y"]);
    expect(read(pageOfTree(tree(), 3, 3).tree)).toEqual(["c", "c1"]);
  });

  test("every document is on exactly one page, and only there without the context mark", () => {
    const wide = Array.from({ length: 7 }, (_, i) => node(`r${i}`, Array.from({ length: i }, (_, k) => node(`r${i}-${k}`))));
    const total = 7 + 21;
    const { pages } = pageOfTree(wide, 1, 5);
    expect(pages).toBe(Math.ceil(total / 5));
    const seen: string[] = [];
    for (let p = 1; p <= pages; p++) {
      const ids = read(pageOfTree(wide, p, 5).tree).filter((x) => !x.startsWith("("));
      expect(ids.length).toBeLessThanOrEqual(5);
      seen.push(...ids);
    }
    expect(seen).toEqual(read(wide));
  });

  test("a page past the end is the last page; below 1, not a number or a fraction is the nearest page", () => {
    expect(pageOfTree(tree(), 99, 3).page).toBe(3);
    expect(pageOfTree(tree(), 0, 3).page).toBe(1);
    expect(pageOfTree(tree(), -4, 3).page).toBe(1);
    expect(pageOfTree(tree(), Number.NaN, 3).page).toBe(1);
    expect(pageOfTree(tree(), 2.7, 3).page).toBe(2);
    expect(pageOfTree([], 5, 3)).toEqual({ tree: [], page: 1, pages: 1, total: 0 });
  });

  test("the whole tree passed in is left as it was", () => {
    const whole = tree();
    pageOfTree(whole, 2, 3);
    expect(whole).toEqual(tree());
  });
});

describe("getSpacePage", () => {
  const clock = manualClock("2031-05-06T09:00:00Z");
  let app: TestApp;
  let w: World;
  beforeAll(async () => {
    app = await startTestApp({ clock });
    w = await docsWorld(app.atrium);
    const docs = app.atrium.domain.docs;
    // One more than a page of department documents, one of them with a child, and a private one of Max's.
    const parent = await docs.createDocument(w.people.mia.actor, { title: "Aaa handbook", spaceId: w.space.marketing.id });
    await docs.createDocument(w.people.mia.actor, { title: "Aaa handbook, chapter 1", spaceId: w.space.marketing.id, parentId: parent.id });
    for (let i = 0; i < SPACE_PAGE_SIZE - 1; i++) {
      await docs.createDocument(w.people.mia.actor, { title: `Note ${String(i).padStart(3, "0")}`, spaceId: w.space.marketing.id });
    }
    const hidden = await docs.createDocument(w.people.max.actor, { title: "Max's private draft", spaceId: w.space.marketing.id });
    await docs.updateDocument(w.people.max.actor, hidden.id, { visibility: "private" });
  }, 300_000);
  afterAll(() => app?.close());

  test("a space of more than a page is read a page at a time, A–Z, with the reader's documents only", async () => {
    const first = await app.atrium.domain.docs.getSpacePage(w.people.mia.actor, w.space.marketing.id, 1);
    expect(first).toMatchObject({ page: 1, pages: 2, total: SPACE_PAGE_SIZE + 1, canCreate: true, space: { id: w.space.marketing.id } });
    expect(first.tree[0]).toMatchObject({ title: "Aaa handbook", children: [{ title: "Aaa handbook, chapter 1" }] });
    const second = await app.atrium.domain.docs.getSpacePage(w.people.mia.actor, w.space.marketing.id, 2);
    expect(read(second.tree)).toHaveLength(1);
    expect(second.tree[0]!.title).toBe(`Note ${String(SPACE_PAGE_SIZE - 2).padStart(3, "0")}`);
    // Max also reads his private draft: one more document ("M" comes before "Note", so on page 1).
    const maxView = await app.atrium.domain.docs.getSpacePage(w.people.max.actor, w.space.marketing.id, 1);
    expect(maxView.total).toBe(SPACE_PAGE_SIZE + 2);
    expect(maxView.tree.map((n) => n.title)).toContain("Max's private draft");
    const all = [...read(first.tree), ...read(second.tree)];
    expect(all).toHaveLength(SPACE_PAGE_SIZE + 1);
  });

  test("the paged read agrees with the whole tree the API returns", async () => {
    const whole = await app.atrium.domain.docs.getSpace(w.people.mia.actor, w.space.marketing.id);
    const pages = [1, 2].map((p) => app.atrium.domain.docs.getSpacePage(w.people.mia.actor, w.space.marketing.id, p));
    const ids = (await Promise.all(pages)).flatMap((p) => read(p.tree).filter((x) => !x.startsWith("(")));
    expect(ids).toEqual(read(whole.tree));
  });

  test("someone outside the department sees none of its department documents", async () => {
    const pia = await app.atrium.domain.docs.getSpacePage(w.people.pia.actor, w.space.marketing.id, 1);
    expect(pia).toMatchObject({ total: 0, pages: 1, tree: [] });
  });

  test("GET /api/v1/spaces/:id pages the tree as the page does, refuses a bad page number, and shows a token only its owner's documents", async () => {
    const d = app.atrium.domain;
    const mia = (await d.apiTokens.createApiToken(w.people.mia.actor, { name: "read", scope: "read" })).secret;
    const pia = (await d.apiTokens.createApiToken(w.people.pia.actor, { name: "read", scope: "read" })).secret;
    const get = (token: string, query = "") => fetch(`${app.url}/api/v1/spaces/${w.space.marketing.id}${query}`, { headers: { Authorization: `Bearer ${token}` } });

    const first = await get(mia);
    expect(first.status).toBe(200);
    const one = await first.json();
    expect(one).toMatchObject({ page: 1, pages: 2, pageSize: SPACE_PAGE_SIZE, total: SPACE_PAGE_SIZE + 1, data: { space: { id: w.space.marketing.id } } });
    const two = await (await get(mia, "?page=2")).json();
    expect(two).toMatchObject({ page: 2, pages: 2 });
    const viaApi = [...read(one.data.tree), ...read(two.data.tree)].filter((x) => !x.startsWith("("));
    const whole = await d.docs.getSpace(w.people.mia.actor, w.space.marketing.id);
    expect(viaApi).toEqual(read(whole.tree));
    expect(JSON.stringify([one, two])).not.toContain("Max's private draft");
    // Past the end is the last page, as on the page.
    expect(await (await get(mia, "?page=9")).json()).toMatchObject({ page: 2 });

    for (const bad of ["0", "-1", "1.5", "two", "", "1e3", "99999999999"]) {
      const refused = await get(mia, `?page=${encodeURIComponent(bad)}`);
      expect(refused.status, bad).toBe(422);
      expect(await refused.json()).toMatchObject({ error: { code: "invalid", details: { fieldErrors: { page: ["The page must be a whole number from 1."] } } } });
    }
    const twice = await get(mia, "?page=1&page=2");
    expect(twice.status).toBe(422);

    expect(await (await get(pia)).json()).toMatchObject({ total: 0, pages: 1, data: { tree: [] } });
  });

  test("through the prepared reads and through Prisma alike: the space's facts, who may create in it, each document's date, a first document A–Z that is a child, and nothing for an inactive reader", async () => {
    const docs = app.atrium.domain.docs;
    const { pia, pat, mia } = w.people;
    const product = w.space.product;
    // Rows A–Z: "Aardvark note" (the first row) hangs under "Zeta shelf"; "Middle" is at the top.
    const shelf = (await docs.createDocument(pia.actor, { title: "Zeta shelf", spaceId: product.id })).id;
    const note = (await docs.createDocument(pia.actor, { title: "Aardvark note", spaceId: product.id, parentId: shelf })).id;
    clock.tick(60_000);
    const middle = (await docs.createDocument(pat.actor, { title: "Middle", spaceId: product.id })).id;
    // Never edited (written by a script): its date is when it was created. Edited later: that edit.
    const created = (await app.atrium.db.document.findUniqueOrThrow({ where: { id: note } })).createdAt;
    await app.atrium.db.document.update({ where: { id: note }, data: { lastEditedAt: null } });
    const edited = new Date(clock.now().getTime() + 3_600_000);
    await app.atrium.db.document.update({ where: { id: shelf }, data: { lastEditedAt: edited } });
    const middleAt = (await app.atrium.db.document.findUniqueOrThrow({ where: { id: middle } })).lastEditedAt!;

    const prepared = app.atrium.ctx;
    expect(prepared.reads).toBeDefined();
    const viaPrisma: Ctx = { ...prepared, reads: undefined };
    for (const [how, ctx] of [["prepared reads", prepared], ["Prisma", viaPrisma]] as const) {
      const page = await getSpacePage(ctx, pia.actor, product.id, 1);
      expect(page.space, how).toEqual({ id: product.id, name: "Product", kind: "department", departmentId: w.departments.product.id });
      expect(page.canCreate, how).toBe(true);
      expect((await getSpacePage(ctx, mia.actor, product.id, 1)).canCreate, how).toBe(false);
      expect(page, how).toMatchObject({ page: 1, pages: 1, total: 3 });
      expect(page.tree, how).toEqual([
        { id: middle, title: "Middle", visibility: "department", lastEditedAt: middleAt.toISOString(), children: [] },
        {
          id: shelf, title: "Zeta shelf", visibility: "department", lastEditedAt: edited.toISOString(),
          children: [{ id: note, title: "Aardvark note", visibility: "department", lastEditedAt: created.toISOString(), children: [] }],
        },
      ]);
      expect((await getSpace(ctx, pia.actor, product.id)).tree, how).toEqual(page.tree);
      // Someone no longer active reads nothing, not even their own documents.
      const gone = { ...pia.actor, active: false };
      expect(await getSpacePage(ctx, gone, product.id, 1), how).toMatchObject({ tree: [], total: 0, pages: 1, canCreate: false });
      expect((await getSpace(ctx, gone, product.id)).tree, how).toEqual([]);
    }
  });

  test("documents of the same title come in id order on both reads, whatever order they were stored in", async () => {
    const { pia } = w.people;
    const product = w.space.product;
    const twin = (id: string) =>
      app.atrium.db.document.create({ data: { id, title: "Twin", spaceId: product.id, ownerId: pia.user.id, departmentId: w.departments.product.id, visibility: "department" } });
    await twin("twin-z");
    await twin("twin-a");
    const prepared = app.atrium.ctx;
    for (const [how, ctx] of [["prepared reads", prepared], ["Prisma", { ...prepared, reads: undefined }]] as const) {
      const ids = (await getSpacePage(ctx, pia.actor, product.id, 1)).tree.map((n) => n.id).filter((id) => id.startsWith("twin-"));
      expect(ids, how).toEqual(["twin-a", "twin-z"]);
      expect((await getSpace(ctx, pia.actor, product.id)).tree.map((n) => n.id).filter((id) => id.startsWith("twin-")), how).toEqual(["twin-a", "twin-z"]);
    }
  });

  test("an unknown space is not found", async () => {
    const prepared = app.atrium.ctx;
    for (const ctx of [prepared, { ...prepared, reads: undefined }]) {
      await expect(() => getSpacePage(ctx, w.people.mia.actor, "no-such-space", 1)).rejects.toMatchObject({ status: 404, message: "That space was not found." });
      await expect(() => getSpace(ctx, w.people.mia.actor, "no-such-space")).rejects.toMatchObject({ status: 404, message: "That space was not found." });
    }
  });
});
