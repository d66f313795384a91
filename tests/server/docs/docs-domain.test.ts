/**
 * The docs domain against a real database: spaces, creation, visibility, shares, lists, search,
 * trash, comments, mentions, Markdown, revisions and images. Every forbidden path is refused
 * and leaves the database as it was.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { readState } from "../../../server/collab/headless.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../server/domain/errors.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { docsWorld, snapshotDoc, type World } from "./world.js";

let app: TestApp;
let w: World;
const docs = () => app.atrium.domain.docs;
const db = () => app.atrium.db;

async function rejects<E extends Error>(p: Promise<unknown>, type: new (...a: any[]) => E): Promise<E> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}

/** Attempts `fn`, expects `type`, and proves the document's rows did not change. */
async function refusedAndUnchanged(docId: string, fn: () => Promise<unknown>, type: new (...a: any[]) => Error = ForbiddenError) {
  const before = await snapshotDoc(app.atrium, docId);
  await rejects(fn(), type);
  expect(await snapshotDoc(app.atrium, docId)).toEqual(before);
}

beforeAll(async () => {
  app = await startTestApp();
  w = await docsWorld(app.atrium);
});
afterAll(() => app?.close());

describe("spaces", () => {
  test("one company space and one per department; a renamed department renames its space", async () => {
    const spaces = await docs().listSpaces(w.people.mia.actor);
    expect(spaces.map((s) => s.name).sort()).toEqual(["Company", "Marketing", "Product"]);
    expect(spaces.find((s) => s.name === "Marketing")).toMatchObject({ mine: true, canCreate: true });
    expect(spaces.find((s) => s.name === "Product")).toMatchObject({ mine: false, canCreate: false });
    const d = await app.atrium.domain.org.createDepartment(w.people.admin.actor, { name: "Legal" });
    expect(await db().space.findFirst({ where: { departmentId: d.id } })).toMatchObject({ name: "Legal", kind: "department" });
    await app.atrium.domain.org.updateDepartment(w.people.admin.actor, d.id, { name: "Legal & Compliance" });
    expect(await db().space.findFirst({ where: { departmentId: d.id } })).toMatchObject({ name: "Legal & Compliance" });
  });
});

describe("creating documents", () => {
  test("in one's department space: department visibility by default, and the server writes the first paragraph", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Q3 launch brief", spaceId: w.space.marketing.id });
    const row = await db().document.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ visibility: "department", departmentId: w.departments.marketing.id, ownerId: w.people.mia.user.id, audienceRole: "editor" });
    const log = await db().docUpdate.findMany({ where: { docId: id } });
    expect(log).toHaveLength(1);
    const state = readState(new Uint8Array(log[0]!.update), { json: true });
    expect(state.json!.root.children.map((c) => c.type)).toEqual(["paragraph"]);
  });

  test("refused in another department's space and for a parent one cannot read; nothing is written", async () => {
    const before = await db().document.count();
    await rejects(docs().createDocument(w.people.pia.actor, { title: "Sneaky", spaceId: w.space.marketing.id }), ForbiddenError);
    const secret = await docs().createDocument(w.people.mia.actor, { title: "Secret parent", spaceId: w.space.company.id, visibility: "private" });
    await rejects(docs().createDocument(w.people.pia.actor, { title: "Child", spaceId: w.space.company.id, parentId: secret.id }), ValidationError);
    await rejects(docs().createDocument(w.people.nod.actor, { title: "No dept", spaceId: w.space.company.id, visibility: "department" }), ValidationError);
    await rejects(docs().createDocument(w.people.mia.actor, { title: "  ", spaceId: w.space.company.id }), ValidationError);
    expect(await db().document.count()).toBe(before + 1);
  });
});

describe("reading, lists and search never reveal what one may not read", () => {
  let privateId: string, deptId: string, companyId: string, childId: string;
  beforeAll(async () => {
    privateId = (await docs().createDocument(w.people.mia.actor, { title: "Salary bands zebra", spaceId: w.space.marketing.id, visibility: "private" })).id;
    deptId = (await docs().createDocument(w.people.mia.actor, { title: "Campaign zebra plan", spaceId: w.space.marketing.id })).id;
    companyId = (await docs().createDocument(w.people.pia.actor, { title: "Roadmap zebra", spaceId: w.space.company.id })).id;
    childId = (await docs().createDocument(w.people.mia.actor, { title: "Child zebra notes", spaceId: w.space.marketing.id, parentId: privateId, visibility: "department" })).id;
  });

  test("getDocument: 403 without a title for an outsider; a reader gets role and breadcrumbs", async () => {
    const err = await rejects(docs().getDocument(w.people.pia.actor, deptId), ForbiddenError);
    expect(err.message).not.toContain("Campaign");
    await rejects(docs().getDocument(w.people.max.actor, privateId), ForbiddenError);
    await rejects(docs().getDocument(w.people.admin.actor, privateId), ForbiddenError);
    await rejects(docs().getDocument(w.people.mia.actor, "nope"), NotFoundError);
    const v = await docs().getDocument(w.people.max.actor, childId);
    expect(v).toMatchObject({ role: "editor", canEdit: true, canManage: false });
    // The private parent shows as a restricted crumb, without its title.
    expect(v.breadcrumbs).toEqual([{ id: null, title: null }]);
    expect((await docs().getDocument(w.people.mia.actor, childId)).breadcrumbs).toEqual([{ id: privateId, title: "Salary bands zebra" }]);
  });

  test("space tree, recent, search and starred list only readable documents", async () => {
    const titlesIn = (xs: { title: string }[]) => xs.map((x) => x.title);
    const productView = await docs().getSpace(w.people.pia.actor, w.space.marketing.id);
    expect(JSON.stringify(productView)).not.toMatch(/zebra/i);
    const maxView = await docs().getSpace(w.people.max.actor, w.space.marketing.id);
    const flat = JSON.stringify(maxView);
    expect(flat).toContain("Campaign zebra plan");
    expect(flat).not.toContain("Salary bands");
    // The child of an unreadable parent is shown at the top level.
    expect(maxView.tree.map((n) => n.title)).toContain("Child zebra notes");

    const recentPia = titlesIn(await docs().listRecent(w.people.pia.actor, { limit: 50 }));
    expect(recentPia).toContain("Roadmap zebra");
    expect(recentPia.join()).not.toMatch(/Salary|Campaign|Child/);

    const found = titlesIn(await docs().searchDocuments(w.people.pia.actor, { q: "zebra" }));
    expect(found).toEqual(["Roadmap zebra"]);
    const foundMia = titlesIn(await docs().searchDocuments(w.people.mia.actor, { q: "zebra" }));
    expect(foundMia.sort()).toEqual(["Campaign zebra plan", "Child zebra notes", "Roadmap zebra", "Salary bands zebra"]);

    await docs().starDocument(w.people.max.actor, deptId, true);
    expect(titlesIn(await docs().listStarred(w.people.max.actor))).toEqual(["Campaign zebra plan"]);
    await refusedAndUnchanged(privateId, () => docs().starDocument(w.people.max.actor, privateId, true));
  });

  test("a star on a document that later becomes private is kept but not shown", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Soon private", spaceId: w.space.marketing.id });
    await docs().starDocument(w.people.max.actor, id, true);
    await docs().updateDocument(w.people.mia.actor, id, { visibility: "private" });
    expect((await docs().listStarred(w.people.max.actor)).map((d) => d.id)).not.toContain(id);
    expect(await db().docStar.count({ where: { docId: id } })).toBe(1);
  });
});

describe("settings and shares", () => {
  // Each test shares and renames its own document, so no test depends on another having run.
  const launchBrief = async () => (await docs().createDocument(w.people.mia.actor, { title: "Launch brief", spaceId: w.space.marketing.id })).id;

  test("an editor renames; only the owner changes visibility; outsiders change nothing", async () => {
    const id = await launchBrief();
    await docs().updateDocument(w.people.max.actor, id, { title: "Launch brief v2" });
    expect((await db().document.findUniqueOrThrow({ where: { id } })).title).toBe("Launch brief v2");
    await refusedAndUnchanged(id, () => docs().updateDocument(w.people.max.actor, id, { visibility: "company" }));
    await refusedAndUnchanged(id, () => docs().updateDocument(w.people.pia.actor, id, { title: "Pwned" }));
    await refusedAndUnchanged(id, () => docs().updateDocument(w.people.mia.actor, id, { parentId: id }), ValidationError);
  });

  test("sharing with Product's team gives its members access; a viewer share reads but does not edit", async () => {
    const id = await launchBrief();
    await refusedAndUnchanged(id, () => docs().shareDocument(w.people.max.actor, id, { principalType: "team", principalId: w.teams.platform.id, role: "editor" }));
    await refusedAndUnchanged(id, () => docs().shareDocument(w.people.pia.actor, id, { principalType: "user", principalId: w.people.pia.user.id, role: "editor" }));
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "team", principalId: w.teams.platform.id, role: "editor" });
    expect((await docs().getDocument(w.people.pia.actor, id)).role).toBe("editor");
    await rejects(docs().getDocument(w.people.pat.actor, id), ForbiddenError);
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    expect(await docs().getDocument(w.people.pat.actor, id)).toMatchObject({ role: "viewer", canEdit: false, canComment: true });
    const note = await db().notification.findFirst({ where: { userId: w.people.pat.user.id, type: "doc.shared" } });
    expect(note?.link).toBe(`/docs/${id}`);
    await refusedAndUnchanged(id, () => docs().updateDocument(w.people.pat.actor, id, { title: "Viewer rename" }));
    await refusedAndUnchanged(id, () => docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: "ghost", role: "viewer" }), ValidationError);
    const shares = await docs().listShares(w.people.mia.actor, id);
    expect(shares.map((s) => [s.principalType, s.name, s.role])).toEqual([
      ["team", "Platform", "editor"],
      ["user", "Pat Product", "viewer"],
    ]);
    await docs().unshareDocument(w.people.mia.actor, id, shares[1]!.id);
    await rejects(docs().getDocument(w.people.pat.actor, id), ForbiddenError);
  });

  test("trash hides it from everyone; only the owner restores", async () => {
    const { id: t } = await docs().createDocument(w.people.mia.actor, { title: "Trash me", spaceId: w.space.marketing.id });
    await refusedAndUnchanged(t, () => docs().trashDocument(w.people.max.actor, t));
    await docs().trashDocument(w.people.mia.actor, t);
    // Readers learn it is in the trash (404); an outsider still learns nothing (403).
    await rejects(docs().getDocument(w.people.max.actor, t), NotFoundError);
    await rejects(docs().getDocument(w.people.mia.actor, t), NotFoundError);
    await rejects(docs().getDocument(w.people.pia.actor, t), ForbiddenError);
    expect((await docs().listRecent(w.people.mia.actor, { limit: 50 })).map((d) => d.id)).not.toContain(t);
    expect((await docs().listTrash(w.people.mia.actor)).map((d) => d.id)).toContain(t);
    expect((await docs().listTrash(w.people.max.actor)).map((d) => d.id)).not.toContain(t);
    await refusedAndUnchanged(t, () => docs().restoreDocument(w.people.max.actor, t));
    await docs().restoreDocument(w.people.mia.actor, t);
    expect((await docs().getDocument(w.people.max.actor, t)).title).toBe("Trash me");
  });
});

describe("comments and mentions", () => {
  test("a viewer comments; an outsider cannot; the owner and thread participants are notified", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Commented doc", spaceId: w.space.marketing.id, audienceRole: "viewer" });
    const root = await docs().addComment(w.people.max.actor, id, { body: "Looks good", quote: "intro", anchorId: "m1" });
    expect(root).toMatchObject({ body: "Looks good", threadId: null, anchorId: "m1", author: { name: "Max Marketing" } });
    expect(await db().notification.count({ where: { userId: w.people.mia.user.id, type: "doc.comment", link: { startsWith: `/docs/${id}` } } })).toBe(1);
    await docs().addComment(w.people.mia.actor, id, { body: "Thanks!", threadId: root.id });
    expect(await db().notification.count({ where: { userId: w.people.max.user.id, type: "doc.comment", link: { startsWith: `/docs/${id}` } } })).toBe(1);
    await refusedAndUnchanged(id, () => docs().addComment(w.people.pia.actor, id, { body: "I should not" }));
    await refusedAndUnchanged(id, () => docs().addComment(w.people.max.actor, id, { body: "" }), ValidationError);
    await docs().resolveThread(w.people.max.actor, id, root.id, true);
    const list = await docs().listComments(w.people.mia.actor, id);
    expect(list.map((c) => [c.body, !!c.resolvedAt])).toEqual([
      ["Looks good", true],
      ["Thanks!", false],
    ]);
    await refusedAndUnchanged(id, () => docs().resolveThread(w.people.pia.actor, id, root.id, false));
  });

  test("a mention notifies a reader once, and never someone who cannot read the document", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Mention title secret", spaceId: w.space.marketing.id });
    const read = { text: "hi", mentions: [w.people.max.user.id, w.people.pia.user.id] };
    await docs().recordSettledContent(id, { read, editors: [w.people.mia.user.id], seq: 2, at: app.atrium.ctx.clock.now() });
    await docs().recordSettledContent(id, { read, editors: [w.people.mia.user.id], seq: 3, at: app.atrium.ctx.clock.now() });
    expect(await db().notification.count({ where: { userId: w.people.max.user.id, type: "doc.mentioned", link: `/docs/${id}` } })).toBe(1);
    const piaNotes = await db().notification.findMany({ where: { userId: w.people.pia.user.id } });
    expect(JSON.stringify(piaNotes)).not.toContain("Mention title secret");
  });
});

describe("Markdown, revisions, images", () => {
  test("import then export gives back the same Markdown; outsiders cannot export", async () => {
    const md = "# Plan\n\nSome **bold** text.\n\n- [ ] task\n- [x] done\n\n| A | B |\n| --- | --- |\n| 1 | 2 |";
    const { id } = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: md });
    expect((await db().document.findUniqueOrThrow({ where: { id } })).title).toBe("Plan");
    expect((await docs().exportMarkdown(w.people.max.actor, id)).markdown).toBe(md);
    await rejects(docs().exportMarkdown(w.people.pia.actor, id), ForbiddenError);
  });

  test("restoring a revision appends a new update; the log before it is untouched", async () => {
    const { id } = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: "# Original\n\nfirst version" });
    const rev = await docs().captureRevision(w.people.mia.actor, id);
    // Change the content through the collab path, as an editor would.
    const state = app.atrium.ctx.collab.state(id);
    const changed = (await import("../../../server/collab/headless.js")).markdownToState("# Changed\n\nsecond version");
    const diff = (await import("../../../server/collab/headless.js")).replaceContentUpdate(state, changed);
    await app.atrium.ctx.collab.submit(id, diff, { userId: w.people.max.user.id });
    expect(readState(app.atrium.ctx.collab.state(id)).text).toContain("second version");
    const logBefore = await db().docUpdate.findMany({ where: { docId: id }, orderBy: { seq: "asc" } });

    await refusedAndUnchanged(id, () => docs().restoreRevision(w.people.pia.actor, id, rev!));
    await docs().restoreRevision(w.people.max.actor, id, rev!);
    expect(readState(app.atrium.ctx.collab.state(id)).text).toBe("Original\n\nfirst version");
    const logAfter = await db().docUpdate.findMany({ where: { docId: id }, orderBy: { seq: "asc" } });
    expect(logAfter.slice(0, logBefore.length)).toEqual(logBefore);
    expect(logAfter.length).toBe(logBefore.length + 1);
    const revs = await docs().listRevisions(w.people.mia.actor, id);
    expect(revs.map((r) => r.reason)).toContain("restore");
    const view = await docs().getRevision(w.people.mia.actor, id, rev!);
    expect(view.text).toBe("Original\n\nfirst version");
    await rejects(docs().listRevisions(w.people.pia.actor, id), ForbiddenError);
    // What an independent replica of the log gives is what the room holds.
    const replica = new Y.Doc();
    for (const u of logAfter) Y.applyUpdate(replica, new Uint8Array(u.update));
    expect(readState(Y.encodeStateAsUpdate(replica)).text).toBe("Original\n\nfirst version");
  });

  test("images: the bytes decide the type; too large or not an image is refused; readers only", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "With image", spaceId: w.space.marketing.id });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const img = await docs().uploadImage(w.people.max.actor, id, { bytes: png, name: "a.png" });
    expect(img.url).toBe(`/docs/${id}/images/${img.id}`);
    expect((await docs().readImage(w.people.mia.actor, id, img.id)).mime).toBe("image/png");
    await rejects(docs().readImage(w.people.pia.actor, id, img.id), ForbiddenError);
    // "Unchanged" includes the image rows and the files on disk, which the document snapshot does not cover.
    const images = async () => {
      const dir = path.resolve(app.atrium.ctx.env.DOC_FILES_DIR, id);
      const files = await readdir(dir).catch(() => [] as string[]);
      const sized = await Promise.all(files.sort().map(async (f) => [f, (await stat(path.join(dir, f))).size]));
      return { rows: await db().docImage.findMany({ where: { docId: id }, orderBy: { id: "asc" } }), files: sized };
    };
    const stored = await images();
    expect(stored.rows.map((r) => r.id)).toEqual([img.id]);
    expect(stored.files).toEqual([[`${img.id}.png`, png.byteLength]]);
    const refusals: [() => Promise<unknown>, new (...a: any[]) => Error][] = [
      [() => docs().uploadImage(w.people.max.actor, id, { bytes: new TextEncoder().encode("<svg onload=alert(1)>"), name: "x.png" }), ValidationError],
      [() => docs().uploadImage(w.people.max.actor, id, { bytes: new Uint8Array(6 * 1024 * 1024).fill(0xff), name: "big.jpg" }), ValidationError],
      [() => docs().uploadImage(w.people.pia.actor, id, { bytes: png, name: "a.png" }), ForbiddenError],
    ];
    for (const [upload, type] of refusals) {
      await refusedAndUnchanged(id, upload, type);
      expect(await images()).toEqual(stored);
    }
  });
});

describe("the documents pages' prepared reads", () => {
  test("spaces, recent, starred, a document, its shares and comments read the same with prepared SQL as through Prisma, for each reader", async () => {
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    const d = await import("../../../server/domain/docs.js");
    const { mia, max, pia, pat, nod, admin } = w.people;
    const made = [
      await docs().createDocument(mia.actor, { title: "Prepared: department brief", spaceId: w.space.marketing.id }),
      await docs().createDocument(mia.actor, { title: "Prepared: company note", spaceId: w.space.company.id }),
      await docs().createDocument(pia.actor, { title: "Prepared: private plan", spaceId: w.space.product.id }),
      await docs().createDocument(pia.actor, { title: "Prepared: team share", spaceId: w.space.product.id }),
      await docs().createDocument(max.actor, { title: "Prepared: to the trash", spaceId: w.space.marketing.id }),
    ].map((r) => r.id);
    const [brief, note, secret, teamShared, trashed] = made;
    const child = (await docs().createDocument(mia.actor, { title: "Prepared: child", spaceId: w.space.marketing.id, parentId: brief })).id;
    await docs().updateDocument(pia.actor, secret!, { visibility: "private" });
    // Private and shared with nobody: only its owner counts it in the space's number.
    const ownNotes = (await docs().createDocument(max.actor, { title: "Prepared: own notes", spaceId: w.space.marketing.id })).id;
    await docs().updateDocument(max.actor, ownNotes, { visibility: "private" });
    await docs().updateDocument(pia.actor, teamShared!, { visibility: "private" });
    await docs().shareDocument(pia.actor, teamShared!, { principalType: "team", principalId: w.teams.growth.id, role: "viewer" });
    await docs().shareDocument(pia.actor, teamShared!, { principalType: "user", principalId: nod.user.id, role: "editor" });
    await docs().shareDocument(pia.actor, secret!, { principalType: "department", principalId: w.departments.marketing.id, role: "viewer" });
    const first = await docs().addComment(max.actor, brief!, { body: "Prepared comment", quote: "launch" });
    await docs().addComment(mia.actor, brief!, { body: "A reply", threadId: first.id });
    await docs().resolveThread(mia.actor, brief!, first.id, true);
    const edited = await docs().addComment(mia.actor, brief!, { body: "Before the edit" });
    await docs().editComment(mia.actor, brief!, edited.id, { body: "After the edit" });
    const removed = await docs().addComment(max.actor, brief!, { body: "Removed soon" });
    await docs().deleteComment(max.actor, brief!, removed.id);
    for (const [who, id] of [[mia, brief], [mia, teamShared], [mia, note], [nod, teamShared], [pat, note], [pia, secret]] as const) await docs().starDocument(who.actor, id!, true);
    await docs().trashDocument(max.actor, trashed!);

    let readable = 0;
    const outcome = (p: Promise<unknown>) => p.then((v) => ({ ok: v }), (e: { status?: number; message?: string }) => ({ refused: e.status, message: e.message }));
    for (const who of [mia, max, pia, pat, nod, admin]) {
      const name = who.user.name;
      expect(await d.listSpaces(ctx, who.actor), name).toEqual(await d.listSpaces(viaPrisma, who.actor));
      for (const limit of [3, 10]) expect(await d.listRecent(ctx, who.actor, { limit }), name).toEqual(await d.listRecent(viaPrisma, who.actor, { limit }));
      expect(await d.listStarred(ctx, who.actor), name).toEqual(await d.listStarred(viaPrisma, who.actor));
      for (const space of Object.values(w.space)) expect(await d.getSpace(ctx, who.actor, space.id), `${name} ${space.name}`).toEqual(await d.getSpace(viaPrisma, who.actor, space.id));
      for (const id of [...made, child, "no-such-document"]) {
        const sql = await outcome(d.getDocument(ctx, who.actor, id!, { content: true }));
        expect(sql, `${name} ${id}`).toEqual(await outcome(d.getDocument(viaPrisma, who.actor, id!, { content: true })));
        if ("ok" in sql) readable++;
        expect(await outcome(d.listShares(ctx, who.actor, id!))).toEqual(await outcome(d.listShares(viaPrisma, who.actor, id!)));
        expect(await outcome(d.listComments(ctx, who.actor, id!))).toEqual(await outcome(d.listComments(viaPrisma, who.actor, id!)));
        expect(await d.accessForUser(ctx, who.user.id, id!)).toEqual(await d.accessForUser(viaPrisma, who.user.id, id!));
      }
    }
    expect(readable).toBeGreaterThan(15);
    expect((await d.listComments(ctx, mia.actor, brief!)).length).toBeGreaterThanOrEqual(3);
    expect((await d.listStarred(ctx, mia.actor)).map((x) => x.id).sort()).toEqual([note, teamShared, brief].sort());
    expect((await d.getDocument(ctx, nod.actor, teamShared!)).role).toBe("editor");
    expect((await d.getDocument(ctx, mia.actor, teamShared!)).role).toBe("viewer");
    expect((await d.getDocument(ctx, max.actor, secret!)).role).toBe("viewer");
    expect((await d.getDocument(ctx, mia.actor, child)).breadcrumbs.map((b) => b.id)).toEqual([brief]);
    const miaMarketing = await d.getSpace(ctx, mia.actor, w.space.marketing.id);
    expect(miaMarketing.tree.find((n) => n.id === brief)?.children.map((n) => n.id)).toEqual([child]);
    expect((await d.getSpace(ctx, max.actor, w.space.product.id)).tree.map((n) => n.id)).toContain(secret);
    expect((await d.getSpace(ctx, pat.actor, w.space.product.id)).tree.map((n) => n.id)).not.toContain(teamShared);
    expect(await d.teamIdsOf(ctx, mia.user.id)).toEqual([w.teams.growth.id]);
  });
});
