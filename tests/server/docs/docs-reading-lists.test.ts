/**
 * Reading documents and the lists around them, field by field: what getDocument shows (people,
 * times, the reader's star and rights, breadcrumbs, the content with mentions under today's
 * names), the share list's names and order, stars, recent, starred, trash and search (each list's
 * order, limits and the policy's last word on every row), and what settling content stores,
 * publishes and whom its new @mentions notify. Lists are read through prepared SQL and through
 * Prisma alike. Each test makes its own documents, so any one of them runs alone.
 */
import { $createParagraphNode, $createTextNode, $getRoot } from "lexical";
import { $createListItemNode, $createListNode } from "@lexical/list";
import { $createQuoteNode } from "@lexical/rich-text";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { $createMentionNode } from "../../../app/editor/nodes/MentionNode.js";
import { editState, initialState, readState, replaceContentUpdate } from "../../../server/collab/headless.js";
import * as D from "../../../server/domain/docs.js";
import type { Ctx } from "../../../server/domain/context.js";
import type { DomainEvents } from "../../../server/events.js";
import type { Actor } from "../../../server/policy.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { refusalOf } from "../../helpers/refusals.js";
import { makePerson, makeTeam } from "../../factories.js";
import { docsWorld, snapshotDoc, type World } from "./world.js";

const clock = manualClock("2031-07-08T09:00:00Z");
const tick = (ms?: number) => clock.tick(ms);

let app: TestApp;
let w: World;
const docs = () => app.atrium.domain.docs;
const db = () => app.atrium.db;
const collab = () => app.atrium.ctx.collab;
/** The app's context (prepared SQL reads) and the same without them (Prisma only). */
const both = (): [string, Ctx][] => [
  ["prepared SQL", app.atrium.ctx],
  ["Prisma", { ...app.atrium.ctx, reads: undefined }],
];
const iso = (d: Date) => d.toISOString();
let seq = 0;
const title = (words: string) => `${words} ${++seq}`;

type Ev = { [K in "doc.edited" | "doc.text.settled" | "doc.mentioned"]: { name: K; payload: DomainEvents[K] } }["doc.edited" | "doc.text.settled" | "doc.mentioned"];
const events: Ev[] = [];
const eventsOf = (docId: string) => events.filter((e) => e.payload.docId === docId);

beforeAll(async () => {
  app = await startTestApp({ clock });
  w = await docsWorld(app.atrium);
  for (const name of ["doc.edited", "doc.text.settled", "doc.mentioned"] as const) {
    app.atrium.ctx.bus.subscribe(name, (payload) => void events.push({ name, payload } as Ev));
  }
});
afterAll(() => app?.close());

const make = async (who: keyof World["people"], input: Record<string, unknown>) => {
  tick();
  return (await docs().createDocument(w.people[who].actor, { title: title("Doc"), ...input })).id;
};
const row = (id: string) => db().document.findUniqueOrThrow({ where: { id } });
const inactive = (a: Actor): Actor => ({ ...a, active: false });
const person = (who: keyof World["people"], photoUrl: string | null = null) => {
  const u = w.people[who].user;
  return { id: u.id, name: u.name, initials: u.name.split(" ").map((p) => p[0]).join(""), photoUrl };
};

describe("reading one document", () => {
  test("every field, the same through prepared SQL and Prisma: people, times, the reader's own star, role and rights", async () => {
    await db().user.update({ where: { id: w.people.mia.user.id }, data: { photoPath: "mia-face.png" } });
    const eda = await makePerson(app.atrium, { name: "Eda Editor", departmentId: w.departments.marketing.id });
    await db().user.update({ where: { id: eda.user.id }, data: { photoPath: "eda-face.png" } });
    const created = tick();
    const id = await docs().createDocument(w.people.mia.actor, { title: "Reading: the brief", spaceId: w.space.marketing.id }).then((r) => r.id);
    const edited = tick();
    await docs().recordSettledContent(id, { read: { text: "Body", mentions: [] }, editors: [eda.user.id], seq: 1, at: edited });
    await docs().starDocument(w.people.max.actor, id, true);
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    const common = {
      id,
      title: "Reading: the brief",
      visibility: "department",
      audienceRole: "editor",
      department: { id: w.departments.marketing.id, name: "Marketing" },
      space: { id: w.space.marketing.id, name: "Marketing", kind: "department" },
      parentId: null,
      breadcrumbs: [],
      owner: person("mia", "/uploads/mia-face.png"),
      lastEditedBy: { id: eda.user.id, name: "Eda Editor", initials: "EE", photoUrl: "/uploads/eda-face.png" },
      lastEditedAt: iso(edited),
      createdAt: iso(created),
    };
    for (const [how, ctx] of both()) {
      expect(await D.getDocument(ctx, w.people.max.actor, id), how).toEqual({ ...common, starred: true, role: "editor", canEdit: true, canComment: true, canManage: false });
      // Max's star is his: the owner's view is not starred.
      expect(await D.getDocument(ctx, w.people.mia.actor, id), how).toEqual({ ...common, starred: false, role: "owner", canEdit: true, canComment: true, canManage: true });
      expect(await D.getDocument(ctx, w.people.pat.actor, id), how).toEqual({ ...common, starred: false, role: "viewer", canEdit: false, canComment: true, canManage: false });
    }
  });

  test("never edited and in no department: no editor, no time, no department", async () => {
    const created = tick();
    const id = (await docs().createDocument(w.people.nod.actor, { title: "Reading: loose note", spaceId: w.space.company.id })).id;
    await db().document.update({ where: { id }, data: { lastEditedAt: null, lastEditedById: null } });
    for (const [how, ctx] of both()) {
      expect(await D.getDocument(ctx, w.people.pia.actor, id), how).toMatchObject({
        department: null,
        space: { id: w.space.company.id, name: "Company", kind: "company" },
        owner: person("nod"),
        lastEditedBy: null,
        lastEditedAt: null,
        createdAt: iso(created),
        role: "editor",
      });
    }
    // The app never stores a document without an edit time; PostgreSQL sorts such a row first in the recent list.
    await db().document.update({ where: { id }, data: { lastEditedAt: created } });
  });
});

describe("a document's content on its page", () => {
  /** "Ask @… and @…" and, in a quote and a list below it, two more mentions. */
  const mentioning = (ids: string[]) =>
    editState(initialState(), () => {
      const p = $createParagraphNode();
      p.append($createTextNode("Ask "), $createMentionNode(ids[0]!, "The CEO"), $createTextNode(" and "), $createMentionNode(ids[1]!, "Ghost label"));
      const q = $createQuoteNode();
      q.append($createTextNode("Quoting "), $createMentionNode(ids[2]!, "Old label"));
      const list = $createListNode("bullet");
      const item = $createListItemNode();
      item.append($createMentionNode(ids[0]!, "Again"));
      list.append(item);
      $getRoot().clear().append(p, q, list);
    });
  type Node = { type: string; text?: string; userId?: string; children?: Node[] };
  const leaves = (n: Node): [string, string | undefined, string | undefined][] =>
    n.children ? n.children.flatMap(leaves) : [[n.type, n.text, n.userId]];

  test("mentions show today's names (a former member marked, an unknown id as former member) and no stored label travels", async () => {
    const gone = await makePerson(app.atrium, { name: "Gus Gone", departmentId: w.departments.marketing.id });
    await db().user.update({ where: { id: gone.user.id }, data: { active: false } });
    const pia = w.people.pia.user.id;
    const id = await make("mia", { spaceId: w.space.marketing.id });
    await collab().submit(id, replaceContentUpdate(collab().state(id), mentioning([pia, "nosuchperson1", gone.user.id])), { userId: w.people.mia.user.id });
    for (const [how, ctx] of both()) {
      const v = await D.getDocument(ctx, w.people.max.actor, id, { content: true });
      expect(v.mentionNames, how).toEqual({ [pia]: "Pia Product", [gone.user.id]: "Gus Gone (former member)" });
      expect(leaves(v.content!.root as Node), how).toEqual([
        ["text", "Ask ", undefined],
        ["mention", "@Pia Product", pia],
        ["text", " and ", undefined],
        ["mention", "@former member", "nosuchperson1"],
        ["text", "Quoting ", undefined],
        ["mention", "@Gus Gone (former member)", gone.user.id],
        ["mention", "@Pia Product", pia],
      ]);
      expect(v.content!.root.children.map((c) => c.type), how).toEqual(["paragraph", "quote", "list"]);
      expect(JSON.stringify(v), how).not.toMatch(/The CEO|Ghost label|Old label|Again/);
    }
  });

  test("no mentions: the content as stored and no names; without asking, no content at all", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    const stored = readState(collab().state(id), { json: true }).json!;
    for (const [how, ctx] of both()) {
      const v = await D.getDocument(ctx, w.people.max.actor, id, { content: true });
      expect(v.mentionNames, how).toEqual({});
      expect(v.content, how).toEqual(stored);
      const plain = await D.getDocument(ctx, w.people.max.actor, id);
      expect(Object.keys(plain), how).not.toContain("content");
      expect(Object.keys(plain), how).not.toContain("mentionNames");
    }
  });
});

describe("breadcrumbs", () => {
  test("ancestors top first; one the reader may not read, or in the trash, shows as restricted", async () => {
    const top = await make("mia", { spaceId: w.space.marketing.id, title: "Crumb top" });
    const middle = await make("mia", { spaceId: w.space.marketing.id, parentId: top, title: "Crumb middle" });
    const lower = await make("mia", { spaceId: w.space.marketing.id, parentId: middle, title: "Crumb lower" });
    const leaf = await make("mia", { spaceId: w.space.marketing.id, parentId: lower });
    const all = [
      { id: top, title: "Crumb top" },
      { id: middle, title: "Crumb middle" },
      { id: lower, title: "Crumb lower" },
    ];
    expect((await docs().getDocument(w.people.max.actor, leaf)).breadcrumbs).toEqual(all);
    await docs().updateDocument(w.people.mia.actor, middle, { visibility: "private" });
    expect((await docs().getDocument(w.people.max.actor, leaf)).breadcrumbs).toEqual([all[0], { id: null, title: null }, all[2]]);
    expect((await docs().getDocument(w.people.mia.actor, leaf)).breadcrumbs).toEqual(all);
    await db().document.update({ where: { id: top }, data: { deletedAt: clock.now() } });
    expect((await docs().getDocument(w.people.mia.actor, leaf)).breadcrumbs).toEqual([{ id: null, title: null }, all[1], all[2]]);
  });

  test("an ancestor readable through the reader's team shows its title", async () => {
    const parent = await make("pia", { spaceId: w.space.product.id, title: "Crumb team parent" });
    await docs().updateDocument(w.people.pia.actor, parent, { visibility: "private" });
    await docs().shareDocument(w.people.pia.actor, parent, { principalType: "team", principalId: w.teams.growth.id, role: "viewer" });
    const child = await make("pia", { spaceId: w.space.product.id, parentId: parent });
    await docs().updateDocument(w.people.pia.actor, child, { visibility: "company" });
    expect((await docs().getDocument(w.people.mia.actor, child)).breadcrumbs).toEqual([{ id: parent, title: "Crumb team parent" }]);
    expect((await docs().getDocument(w.people.max.actor, child)).breadcrumbs).toEqual([{ id: null, title: null }]);
  });

  test("a cycle already in the table ends at the first ancestor seen twice", async () => {
    const x = await make("mia", { spaceId: w.space.marketing.id, title: "Cycle x" });
    const y = await make("mia", { spaceId: w.space.marketing.id, parentId: x, title: "Cycle y" });
    await db().document.update({ where: { id: x }, data: { parentId: y } });
    expect((await docs().getDocument(w.people.mia.actor, x)).breadcrumbs).toEqual([
      { id: x, title: "Cycle x" },
      { id: y, title: "Cycle y" },
    ]);
  });

  test("at most 20, the nearest", async () => {
    const chain: string[] = [];
    for (let i = 0; i < 23; i++) chain.push(await make("mia", { spaceId: w.space.marketing.id, title: `Deep ${i}`, ...(i ? { parentId: chain[i - 1] } : {}) }));
    const crumbs = (await docs().getDocument(w.people.mia.actor, chain[22]!)).breadcrumbs;
    expect(crumbs.map((c) => c.title)).toEqual(Array.from({ length: 20 }, (_, i) => `Deep ${i + 2}`));
  });
});

describe("the share list", () => {
  test("oldest first, each with its principal's name; a principal gone since shows as (removed); any reader may list, an outsider is refused", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    const soonGone = await makeTeam(app.atrium, { name: "Soon gone", departmentId: w.departments.marketing.id });
    const share = async (principalType: "user" | "team" | "department", principalId: string, role: "editor" | "viewer") => {
      tick();
      await docs().shareDocument(w.people.mia.actor, id, { principalType, principalId, role });
    };
    await share("team", w.teams.platform.id, "editor");
    await share("user", w.people.pat.user.id, "viewer");
    await share("team", soonGone.id, "viewer");
    await share("department", w.departments.product.id, "viewer");
    await db().team.delete({ where: { id: soonGone.id } });
    const rows = await db().docShare.findMany({ where: { docId: id } });
    const idOf = (principalId: string) => rows.find((r) => r.principalId === principalId)!.id;
    // The department's share is the newest row but dates from before the others: the list goes by date.
    const first = rows.find((r) => r.principalId === w.teams.platform.id)!.createdAt;
    await db().docShare.update({ where: { id: idOf(w.departments.product.id) }, data: { createdAt: new Date(first.getTime() - 1000) } });
    const expected = [
      { id: idOf(w.departments.product.id), principalType: "department", principalId: w.departments.product.id, name: "Product", role: "viewer" },
      { id: idOf(w.teams.platform.id), principalType: "team", principalId: w.teams.platform.id, name: "Platform", role: "editor" },
      { id: idOf(w.people.pat.user.id), principalType: "user", principalId: w.people.pat.user.id, name: "Pat Product", role: "viewer" },
      { id: idOf(soonGone.id), principalType: "team", principalId: soonGone.id, name: "(removed)", role: "viewer" },
    ];
    expect(await docs().listShares(w.people.mia.actor, id)).toEqual(expected);
    expect(await docs().listShares(w.people.pat.actor, id)).toEqual(expected);
    const err = await refusalOf(() => docs().listShares(w.people.nod.actor, id));
    expect([err.status, err.message]).toEqual([403, "You do not have access to this document."]);
  });

  test("no share of a kind, no query for its names", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    const spies = [vi.spyOn(db().user, "findMany"), vi.spyOn(db().team, "findMany"), vi.spyOn(db().department, "findMany")];
    try {
      expect(await docs().listShares(w.people.mia.actor, id)).toEqual([]);
      expect(spies.map((s) => s.mock.calls.length)).toEqual([0, 0, 0]);
      await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
      for (const s of spies) s.mockClear();
      expect((await docs().listShares(w.people.mia.actor, id)).map((s) => s.name)).toEqual(["Pat Product"]);
      expect(spies.map((s) => s.mock.calls.length)).toEqual([1, 0, 0]);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});

describe("stars", () => {
  test("starring twice keeps one star; unstarring removes only one's own; an outsider and the trash are refused with nothing changed", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    const stars = () => db().docStar.findMany({ where: { docId: id }, orderBy: { userId: "asc" }, select: { userId: true, docId: true } });
    await docs().starDocument(w.people.max.actor, id, true);
    await docs().starDocument(w.people.max.actor, id, true);
    await docs().starDocument(w.people.mia.actor, id, true);
    expect(await stars()).toEqual([w.people.max.user.id, w.people.mia.user.id].sort().map((userId) => ({ userId, docId: id })));
    await docs().starDocument(w.people.max.actor, id, false);
    await docs().starDocument(w.people.max.actor, id, false);
    expect(await stars()).toEqual([{ userId: w.people.mia.user.id, docId: id }]);
    const before = await snapshotDoc(app.atrium, id);
    const err = await refusalOf(() => docs().starDocument(w.people.pia.actor, id, true));
    expect([err.status, err.message]).toEqual([403, "You do not have access to this document."]);
    await docs().trashDocument(w.people.mia.actor, id);
    const trashed = await snapshotDoc(app.atrium, id);
    const gone = await refusalOf(() => docs().starDocument(w.people.mia.actor, id, false));
    expect([gone.status, gone.message]).toEqual([404, "That document (it is in the trash) was not found."]);
    expect(await snapshotDoc(app.atrium, id)).toEqual(trashed);
    expect(before.stars).toEqual(trashed.stars);
  });
});

describe("recent", () => {
  test("a list item: title, visibility, space, a preview of at most 160 characters on one line, the last edit (or the creation) and who", async () => {
    const created = tick();
    const id = (await docs().createDocument(w.people.mia.actor, { title: "List: preview", spaceId: w.space.marketing.id })).id;
    const long = `  First   line\n\n\tsecond line  ${"x".repeat(200)}`;
    const edited = tick();
    await docs().recordSettledContent(id, { read: { text: long, mentions: [] }, editors: [w.people.max.user.id], seq: 1, at: edited });
    const item = {
      id,
      title: "List: preview",
      visibility: "department",
      space: { id: w.space.marketing.id, name: "Marketing" },
      preview: `First line second line ${"x".repeat(200)}`.slice(0, 160),
      lastEditedAt: iso(edited),
      lastEditedBy: person("max"),
    };
    for (const [how, ctx] of both()) expect((await D.listRecent(ctx, w.people.mia.actor, { limit: 1 }))[0], how).toEqual(item);
    await db().document.update({ where: { id }, data: { lastEditedAt: null, lastEditedById: null, plainText: " short " } });
    // Never edited (a row only a direct write makes): looked for anywhere in the list, since SQLite sorts it last and PostgreSQL first.
    for (const [how, ctx] of both()) {
      const found = (await D.listRecent(ctx, w.people.mia.actor, { limit: 50 })).find((d) => d.id === id);
      expect(found, how).toEqual({ ...item, preview: "short", lastEditedAt: iso(created), lastEditedBy: null });
    }
    await db().document.update({ where: { id }, data: { lastEditedAt: created } });
  });

  test("newest edit first, ties by creation then id (both newest first); ten unless told, and only what the policy lets one read", async () => {
    const edited = tick();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await make("mia", { spaceId: w.space.marketing.id }));
    const later = tick();
    // Twelve documents: two pairs share their edit time; one of each pair was created earlier.
    const at = (i: number) => new Date(later.getTime() + i * 1000);
    for (let i = 0; i < 12; i++) await db().document.update({ where: { id: ids[i] }, data: { lastEditedAt: at(i), createdAt: edited } });
    await db().document.update({ where: { id: ids[11] }, data: { lastEditedAt: at(10), createdAt: new Date(edited.getTime() - 1000) } });
    await db().document.update({ where: { id: ids[9] }, data: { lastEditedAt: at(8) } });
    const byIdDesc = [ids[9]!, ids[8]!].sort().reverse();
    const expected = [ids[10], ids[11], byIdDesc[0], byIdDesc[1], ids[7], ids[6], ids[5], ids[4], ids[3], ids[2]];
    for (const [how, ctx] of both()) {
      expect((await D.listRecent(ctx, w.people.max.actor)).map((d) => d.id), how).toEqual(expected);
      expect((await D.listRecent(ctx, w.people.max.actor, { limit: 3 })).map((d) => d.id), how).toEqual(expected.slice(0, 3));
      expect((await D.listRecent(ctx, w.people.max.actor, { limit: 12 })).map((d) => d.id), how).toEqual([...expected, ids[1], ids[0]]);
      expect(await D.listRecent(ctx, inactive(w.people.max.actor)), how).toEqual([]);
    }
    // Pia (Product) reads none of them.
    expect((await docs().listRecent(w.people.pia.actor, { limit: 50 })).map((d) => d.id)).not.toContain(ids[10]);
  });
});

describe("starred", () => {
  test("latest star first (ties by document id), only what one may still read, and the same list item", async () => {
    const ids = [await make("mia", { spaceId: w.space.marketing.id }), await make("mia", { spaceId: w.space.marketing.id }), await make("mia", { spaceId: w.space.marketing.id })];
    const hidden = await make("mia", { spaceId: w.space.marketing.id });
    const trashed = await make("mia", { spaceId: w.space.marketing.id });
    const who = makePerson(app.atrium, { name: "Sam Starrer", departmentId: w.departments.marketing.id });
    const sam = await who;
    // Starred in another order than made, so neither insertion nor id order is the list's.
    for (const id of [ids[1]!, ids[0]!, ids[2]!, hidden, trashed]) await docs().starDocument(sam.actor, id, true);
    const t = tick();
    const starAt = (docId: string, ms: number) => db().docStar.update({ where: { userId_docId: { userId: sam.user.id, docId } }, data: { createdAt: new Date(t.getTime() + ms) } });
    await starAt(ids[2]!, 5000);
    await starAt(ids[0]!, 1000);
    await starAt(ids[1]!, 1000);
    await starAt(hidden, 9000);
    await starAt(trashed, 9000);
    await docs().updateDocument(w.people.mia.actor, hidden, { visibility: "private" });
    await docs().trashDocument(w.people.mia.actor, trashed);
    const expected = [ids[2]!, ...[ids[0]!, ids[1]!].sort()];
    for (const [how, ctx] of both()) {
      const list = await D.listStarred(ctx, sam.actor);
      expect(list.map((d) => d.id), how).toEqual(expected);
      expect(list[0], how).toEqual((await D.listRecent(ctx, w.people.mia.actor, { limit: 50 })).find((d) => d.id === ids[2]));
      expect(await D.listStarred(ctx, inactive(sam.actor)), how).toEqual([]);
    }
  });
});

describe("trash", () => {
  test("one's own trashed documents, latest first, with when; an admin also sees others' that are not private and that they could read", async () => {
    const own = [await make("max", { spaceId: w.space.marketing.id }), await make("max", { spaceId: w.space.company.id })];
    const kept = await make("max", { spaceId: w.space.marketing.id });
    const company = await make("pia", { spaceId: w.space.company.id });
    const privateOne = await make("pia", { spaceId: w.space.company.id });
    await docs().updateDocument(w.people.pia.actor, privateOne, { visibility: "private" });
    const department = await make("pia", { spaceId: w.space.product.id });
    const trashedAt: Record<string, Date> = {};
    for (const id of [own[0]!, company, own[1]!, privateOne, department]) {
      trashedAt[id] = tick();
      await docs().trashDocument(w.people[id === own[0] || id === own[1] ? "max" : "pia"].actor, id);
    }
    const recent = new Map((await docs().listRecent(w.people.max.actor, { limit: 50 })).map((d) => [d.id, d]));
    expect(recent.has(kept)).toBe(true);
    const maxTrash = await docs().listTrash(w.people.max.actor);
    expect(maxTrash.map((d) => d.id)).toEqual([own[1], own[0]]);
    expect(maxTrash[1]).toEqual({
      id: own[0],
      title: (await row(own[0]!)).title,
      visibility: "department",
      space: { id: w.space.marketing.id, name: "Marketing" },
      preview: "",
      lastEditedAt: iso((await row(own[0]!)).lastEditedAt!),
      lastEditedBy: person("max"),
      deletedAt: iso(trashedAt[own[0]!]!),
    });
    const adminTrash = (await docs().listTrash(w.people.admin.actor)).map((d) => d.id);
    expect(adminTrash).toContain(company);
    expect(adminTrash).toContain(own[1]);
    expect(adminTrash).not.toContain(privateOne);
    expect(adminTrash).not.toContain(department);
    expect(adminTrash).not.toContain(own[0]);
    expect(adminTrash.indexOf(own[1]!)).toBeLessThan(adminTrash.indexOf(company));
    expect((await docs().listTrash(w.people.pia.actor)).map((d) => d.id).slice(0, 3)).toEqual([department, privateOne, company]);
    expect(await docs().listTrash(inactive(w.people.max.actor))).toEqual([]);
  });
});

describe("search", () => {
  test("hits in the index's order with a list item and a snippet that marks nothing but shows the words around the match", async () => {
    const a = await make("mia", { spaceId: w.space.marketing.id, title: "Quokka field guide" });
    const lead = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
    await docs().recordSettledContent(a, { read: { text: `${lead}\n\nthe quokka smiles ${"z".repeat(300)}`, mentions: [] }, editors: [], seq: 1, at: tick() });
    const b = await make("pia", { spaceId: w.space.company.id, title: "Quokka census" });
    const hidden = await make("pia", { spaceId: w.space.product.id, title: "Quokka secrets" });
    const found = await docs().searchDocuments(w.people.mia.actor, { q: "quokka" });
    expect(found.map((f) => f.id).sort()).toEqual([a, b].sort());
    const hitA = found.find((f) => f.id === a)!;
    const recentA = (await docs().listRecent(w.people.mia.actor, { limit: 50 })).find((d) => d.id === a)!;
    const { snippet, ...item } = hitA;
    expect(item).toEqual(recentA);
    expect(snippet.startsWith("… ")).toBe(false);
    expect(snippet).toMatch(/^…word\d+ .*the quokka smiles z+…$/);
    expect(snippet).not.toContain("word0 ");
    expect(found.find((f) => f.id === b)!.snippet).toBe("");
    expect(found.map((f) => f.id)).not.toContain(hidden);
  });

  test("rows are re-checked: a hit for a document in the trash or one the reader may not read is dropped; the index's order is kept", async () => {
    const ok1 = await make("mia", { spaceId: w.space.marketing.id, title: "Wombat one" });
    const ok2 = await make("mia", { spaceId: w.space.marketing.id, title: "Wombat two" });
    const secret = await make("pia", { spaceId: w.space.product.id, title: "Wombat secret" });
    const binned = await make("mia", { spaceId: w.space.marketing.id, title: "Wombat binned" });
    await db().document.update({ where: { id: binned }, data: { deletedAt: clock.now() } });
    const index = app.atrium.ctx.searchIndex;
    await index.settle();
    // What the index answers, as if it were behind: a hit for every one of them.
    const real = index.search({ actor: w.people.mia.actor, teamIds: [w.teams.growth.id] }, { text: "wombat", terms: ["wombat"], truncated: false }, { type: "doc" }, { limit: 50 });
    const hit = real.hits[0]!;
    const spy = vi.spyOn(index, "search").mockReturnValue({ ...real, hits: [ok2, secret, binned, ok1].map((id) => ({ ...hit, meta: { ...hit.meta, id }, terms: ["wombat"] })) });
    try {
      expect((await docs().searchDocuments(w.people.max.actor, { q: "wombat" })).map((f) => f.id)).toEqual([ok2, ok1]);
      // The shared index is asked, as Max with his teams, for documents only, up to 50.
      expect(spy.mock.calls[0]!.slice(0, 1)).toEqual([{ actor: w.people.max.actor, teamIds: [] }]);
      expect(spy.mock.calls[0]!.slice(2)).toEqual([{ type: "doc" }, { limit: 50 }]);
      expect(await docs().searchDocuments(inactive(w.people.max.actor), { q: "wombat" })).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  test("an empty query or one without words asks the index nothing", async () => {
    const index = app.atrium.ctx.searchIndex;
    const settle = vi.spyOn(index, "settle");
    const search = vi.spyOn(index, "search");
    try {
      for (const q of ["", "   ", "!!! ???"]) expect(await docs().searchDocuments(w.people.mia.actor, { q })).toEqual([]);
      expect([settle.mock.calls.length, search.mock.calls.length]).toEqual([0, 0]);
      expect(await docs().searchDocuments(w.people.mia.actor, {})).toEqual([]);
      // Words, but nothing matches them.
      expect(await docs().searchDocuments(w.people.mia.actor, { q: "xylophonequark" })).toEqual([]);
      const err = await refusalOf(() => docs().searchDocuments(w.people.mia.actor, { q: "q".repeat(201) }));
      expect(err.fieldErrors).toEqual({ q: ["Search for at most 200 characters."] });
    } finally {
      settle.mockRestore();
      search.mockRestore();
    }
  });
});

describe("settled content", () => {
  test("stores the text, the log position and the last editor at the given time; publishes the edit and the text", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    const at = tick();
    events.length = 0;
    const out = await docs().recordSettledContent(id, { read: { text: "New words", mentions: [] }, editors: [w.people.mia.user.id, w.people.pat.user.id, w.people.max.user.id], seq: 4, at });
    expect(out).toBe("New words");
    expect(await row(id)).toMatchObject({ plainText: "New words", textSeq: 4, lastEditedAt: at, lastEditedById: w.people.max.user.id });
    expect(eventsOf(id)).toEqual([
      { name: "doc.edited", payload: { docId: id, editorIds: [w.people.mia.user.id, w.people.pat.user.id, w.people.max.user.id], at: iso(at) } },
      { name: "doc.text.settled", payload: { docId: id } },
    ]);
  });

  test("no editors (the server wrote it): text and position stored, the last edit untouched, no doc.edited", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    const before = await row(id);
    events.length = 0;
    expect(await docs().recordSettledContent(id, { read: { text: "Server text", mentions: [] }, editors: [], seq: 2, at: tick() })).toBe("Server text");
    expect(await row(id)).toMatchObject({ plainText: "Server text", textSeq: 2, lastEditedAt: before.lastEditedAt, lastEditedById: w.people.mia.user.id });
    expect(eventsOf(id)).toEqual([{ name: "doc.text.settled", payload: { docId: id } }]);
  });

  test("an older log position is ignored; the same one is stored again; an unknown document is ignored", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    await docs().recordSettledContent(id, { read: { text: "At five", mentions: [] }, editors: [w.people.mia.user.id], seq: 5, at: tick() });
    const stored = await row(id);
    events.length = 0;
    expect(await docs().recordSettledContent(id, { read: { text: "At four", mentions: [w.people.max.user.id] }, editors: [w.people.max.user.id], seq: 4, at: tick() })).toBeUndefined();
    expect(await row(id)).toEqual(stored);
    expect(eventsOf(id)).toEqual([]);
    expect(await db().docMention.count({ where: { docId: id } })).toBe(0);
    expect(await docs().recordSettledContent(id, { read: { text: "Five again", mentions: [] }, editors: [], seq: 5, at: tick() })).toBe("Five again");
    expect((await row(id)).plainText).toBe("Five again");
    expect(await docs().recordSettledContent("no-such-doc", { read: { text: "x", mentions: [] }, editors: [], seq: 9, at: tick() })).toBeUndefined();
  });

  test("in the trash: the text is kept, nothing is published", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    await docs().trashDocument(w.people.mia.actor, id);
    events.length = 0;
    await docs().recordSettledContent(id, { read: { text: "Binned words", mentions: [] }, editors: [w.people.mia.user.id], seq: 1, at: tick() });
    expect((await row(id)).plainText).toBe("Binned words");
    // Other documents' collaboration sessions may settle meanwhile: only this one's events count.
    expect(eventsOf(id)).toEqual([]);
  });

  test("with the state and mentions: the text shows today's names; with the state but no mentions, the text read is kept", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    const state = editState(initialState(), () => {
      const p = $createParagraphNode();
      p.append($createTextNode("Hi "), $createMentionNode(w.people.pat.user.id, "Boss"));
      $getRoot().clear().append(p);
    });
    expect(await docs().recordSettledContent(id, { read: { text: "Hi @Boss", mentions: [w.people.pat.user.id] }, state, editors: [], seq: 1, at: tick() })).toBe("Hi @Pat Product");
    expect((await row(id)).plainText).toBe("Hi @Pat Product");
    expect(await docs().recordSettledContent(id, { read: { text: "As read", mentions: [] }, state, editors: [], seq: 2, at: tick() })).toBe("As read");
    expect((await row(id)).plainText).toBe("As read");
  });
});

describe("mention notices", () => {
  const notices = (userId: string, docId: string) => db().notification.findMany({ where: { userId, type: "doc.mentioned", link: `/docs/${docId}` }, select: { type: true, title: true, body: true, link: true, createdAt: true } });

  test("each reader newly mentioned is told once who mentioned them where; the writer and anyone already told are not; everyone is remembered", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id, title: "Mention plan" });
    const { mia, max, pat, nod } = w.people;
    await docs().shareDocument(mia.actor, id, { principalType: "user", principalId: pat.user.id, role: "viewer" });
    // Max was mentioned in another document before: that does not count for this one.
    const other = await make("mia", { spaceId: w.space.marketing.id });
    await docs().recordSettledContent(other, { read: { text: "x", mentions: [max.user.id] }, editors: [mia.user.id], seq: 1, at: tick() });
    expect(await notices(max.user.id, other)).toHaveLength(1);
    const at = tick();
    events.length = 0;
    await docs().recordSettledContent(id, { read: { text: "x", mentions: [max.user.id, nod.user.id, mia.user.id] }, editors: [max.user.id, mia.user.id], seq: 1, at });
    const title = "Mia Marketing mentioned you in “Mention plan”";
    expect(await notices(max.user.id, id)).toEqual([{ type: "doc.mentioned", title, body: "", link: `/docs/${id}`, createdAt: at }]);
    expect(await notices(mia.user.id, id)).toEqual([]);
    // Nod may not read it: not told, but remembered, so gaining access later tells him nothing.
    expect(await notices(nod.user.id, id)).toEqual([]);
    const mentions = await db().docMention.findMany({ where: { docId: id }, orderBy: { userId: "asc" } });
    expect(mentions).toEqual([max.user.id, nod.user.id].sort().map((userId) => ({ docId: id, userId, notifiedAt: at })));
    expect(eventsOf(id).filter((e) => e.name === "doc.mentioned")).toEqual([
      { name: "doc.mentioned", payload: { docId: id, userIds: [max.user.id], byId: mia.user.id, at: iso(at) } },
    ]);

    const later = tick();
    events.length = 0;
    await docs().recordSettledContent(id, { read: { text: "y", mentions: [max.user.id, pat.user.id, nod.user.id] }, editors: [], seq: 2, at: later });
    expect(await notices(max.user.id, id)).toHaveLength(1);
    expect(await notices(pat.user.id, id)).toEqual([{ type: "doc.mentioned", title: "Someone mentioned you in “Mention plan”", body: "", link: `/docs/${id}`, createdAt: later }]);
    expect(eventsOf(id).filter((e) => e.name === "doc.mentioned")).toEqual([
      { name: "doc.mentioned", payload: { docId: id, userIds: [pat.user.id], byId: null, at: iso(later) } },
    ]);
    expect(await db().docMention.count({ where: { docId: id } })).toBe(3);
  });

  test("only people who may not read it: remembered, nobody told, no event", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    events.length = 0;
    const notesBefore = await db().notification.count();
    await docs().recordSettledContent(id, { read: { text: "x", mentions: [w.people.pia.user.id] }, editors: [w.people.mia.user.id], seq: 1, at: tick() });
    expect(await db().notification.count()).toBe(notesBefore);
    expect(await db().docMention.count({ where: { docId: id, userId: w.people.pia.user.id } })).toBe(1);
    expect(eventsOf(id).map((e) => e.name)).toEqual(["doc.edited", "doc.text.settled"]);
  });

  test("mentioning only oneself, or only people already told: nothing written", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    await docs().recordSettledContent(id, { read: { text: "x", mentions: [w.people.mia.user.id] }, editors: [w.people.mia.user.id], seq: 1, at: tick() });
    expect(await db().docMention.count({ where: { docId: id } })).toBe(0);
    await docs().recordSettledContent(id, { read: { text: "x", mentions: [w.people.max.user.id] }, editors: [w.people.mia.user.id], seq: 2, at: tick() });
    const remembered = await db().docMention.findMany({ where: { docId: id } });
    events.length = 0;
    await docs().recordSettledContent(id, { read: { text: "x", mentions: [w.people.max.user.id] }, editors: [w.people.mia.user.id], seq: 3, at: tick() });
    expect(await db().docMention.findMany({ where: { docId: id } })).toEqual(remembered);
    expect(await notices(w.people.max.user.id, id)).toHaveLength(1);
    expect(eventsOf(id).map((e) => e.name)).toEqual(["doc.edited", "doc.text.settled"]);
  });
});
