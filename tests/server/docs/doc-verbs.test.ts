/**
 * The document write verbs, field by field: what creating, renaming, moving, changing visibility,
 * sharing, unsharing, trashing and restoring store (with the injected clock's time), which events
 * follow and who is told with what words; and each refusal's exact message with nothing written
 * and no event published. Each test makes its own documents, so any one of them runs alone.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DomainEvents } from "../../../server/events.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson } from "../../factories.js";
import { docsWorld, type World } from "./world.js";
import { manualClock } from "../../helpers/clock.js";
import { refusalOf } from "../../helpers/refusals.js";

const clock = manualClock("2031-03-04T09:00:00Z");
const tick = () => clock.tick();

let app: TestApp;
let w: World;
type DocEvent = { [K in "doc.created" | "doc.updated" | "doc.access.changed"]: { name: K; payload: DomainEvents[K] } }["doc.created" | "doc.updated" | "doc.access.changed"];
const events: DocEvent[] = [];
const docs = () => app.atrium.domain.docs;
const db = () => app.atrium.db;
let seq = 0;
const title = (words: string) => `${words} ${++seq}`;

beforeAll(async () => {
  app = await startTestApp({ clock });
  w = await docsWorld(app.atrium);
  for (const name of ["doc.created", "doc.updated", "doc.access.changed"] as const) {
    app.atrium.ctx.bus.subscribe(name, (payload) => void events.push({ name, payload } as DocEvent));
  }
});
afterAll(() => app?.close());

/** Everything the verbs here may write: every document, share and notification. */
async function everything() {
  const [documents, shares, notifications, stars] = await Promise.all([
    db().document.findMany({ orderBy: { id: "asc" } }),
    db().docShare.findMany({ orderBy: { id: "asc" } }),
    db().notification.findMany({ orderBy: { id: "asc" } }),
    db().docStar.findMany({ orderBy: [{ userId: "asc" }, { docId: "asc" }] }),
  ]);
  return { documents, shares, notifications, stars };
}

/** Refused: the status and exact message (or field message), not one row changed, no event published. */
async function refused(fn: () => Promise<unknown>, status: number, message: string, field?: string) {
  const before = await everything();
  events.length = 0;
  const err = await refusalOf(fn);
  expect(err.status).toBe(status);
  if (field) expect(err.fieldErrors).toEqual({ [field]: [message] });
  else expect(err.message).toBe(message);
  expect(await everything()).toEqual(before);
  expect(events).toEqual([]);
  return err;
}

const make = async (who: keyof World["people"], input: Record<string, unknown>) => (await docs().createDocument(w.people[who].actor, { title: title("Doc"), ...input })).id;
const row = (id: string) => db().document.findUniqueOrThrow({ where: { id } });

describe("reading guard", () => {
  test("unknown: 404; an outsider: 403 that names nothing; a reader of a trashed document: 404 that says trash", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    await refused(() => docs().getDocument(w.people.mia.actor, "no-such-doc"), 404, "That document was not found.");
    await refused(() => docs().getDocument(w.people.pia.actor, id), 403, "You do not have access to this document.");
    await refused(() => docs().updateDocument(w.people.pia.actor, id, { title: "Pwned" }), 403, "You cannot do that to this document.");
    await docs().trashDocument(w.people.mia.actor, id);
    await refused(() => docs().getDocument(w.people.max.actor, id), 404, "That document (it is in the trash) was not found.");
    await refused(() => docs().updateDocument(w.people.max.actor, id, { title: "Edit the trash" }), 404, "That document (it is in the trash) was not found.");
    await refused(() => docs().getDocument(w.people.pia.actor, id), 403, "You do not have access to this document.");
  });
});

describe("creating", () => {
  test("the row carries the clock's time, its owner and editor, an empty text at position 0; doc.created follows", async () => {
    const at = tick();
    events.length = 0;
    const t = title("Field notes");
    const { id } = await docs().createDocument(w.people.mia.actor, { title: t, spaceId: w.space.marketing.id, audienceRole: "viewer" });
    expect(await row(id)).toMatchObject({
      title: t,
      spaceId: w.space.marketing.id,
      parentId: null,
      visibility: "department",
      audienceRole: "viewer",
      departmentId: w.departments.marketing.id,
      ownerId: w.people.mia.user.id,
      createdAt: at,
      lastEditedAt: at,
      lastEditedById: w.people.mia.user.id,
      deletedAt: null,
      plainText: "",
      textSeq: 0,
    });
    expect(events).toEqual([{ name: "doc.created", payload: { docId: id, actorId: w.people.mia.user.id, at: at.toISOString() } }]);
  });

  test("imported content is the first text, at log position 1", async () => {
    const { id } = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: "# Imported plan\n\nwombat paragraph" });
    expect(await row(id)).toMatchObject({ title: "Imported plan", plainText: "Imported plan\n\nwombat paragraph", textSeq: 1 });
  });

  test("the default visibility follows the space; the department comes from the space, else from the author", async () => {
    const inCompany = await make("mia", { spaceId: w.space.company.id });
    expect(await row(inCompany)).toMatchObject({ visibility: "company", departmentId: w.departments.marketing.id });
    const deptInCompany = await make("mia", { spaceId: w.space.company.id, visibility: "department" });
    expect(await row(deptInCompany)).toMatchObject({ visibility: "department", departmentId: w.departments.marketing.id });
    const adminInMarketing = await make("admin", { spaceId: w.space.marketing.id });
    expect(await row(adminInMarketing)).toMatchObject({ visibility: "department", departmentId: w.departments.marketing.id, ownerId: w.people.admin.user.id });
    const adminInCompany = await make("admin", { spaceId: w.space.company.id });
    expect(await row(adminInCompany)).toMatchObject({ visibility: "company", departmentId: null });
    const nodPrivate = await make("nod", { spaceId: w.space.company.id, visibility: "private" });
    expect(await row(nodPrivate)).toMatchObject({ visibility: "private", departmentId: null });
  });

  test("a child sits under a readable parent of the same space", async () => {
    const parent = await make("mia", { spaceId: w.space.marketing.id });
    const child = await make("max", { spaceId: w.space.marketing.id, parentId: parent });
    expect((await row(child)).parentId).toBe(parent);
  });

  test("refusals: an unknown space, a parent elsewhere or unreadable, department visibility without a department", async () => {
    const elsewhere = await make("mia", { spaceId: w.space.company.id });
    const secret = await make("mia", { spaceId: w.space.marketing.id, visibility: "private" });
    await refused(() => docs().createDocument(w.people.mia.actor, { title: "Nowhere", spaceId: "no-such-space" }), 422, "Choose a space.", "spaceId");
    const parentMessage = "Choose a parent document in the same space.";
    await refused(() => docs().createDocument(w.people.mia.actor, { title: "Astray", spaceId: w.space.marketing.id, parentId: elsewhere }), 422, parentMessage, "parentId");
    await refused(() => docs().createDocument(w.people.max.actor, { title: "Peek", spaceId: w.space.marketing.id, parentId: secret }), 422, parentMessage, "parentId");
    await refused(() => docs().createDocument(w.people.mia.actor, { title: "Ghost child", spaceId: w.space.marketing.id, parentId: "no-such-doc" }), 422, parentMessage, "parentId");
    await refused(
      () => docs().createDocument(w.people.nod.actor, { title: "No dept", spaceId: w.space.company.id, visibility: "department" }),
      422,
      "You are not in a department: choose private or company.",
      "visibility",
    );
  });
});

describe("settings", () => {
  test("each setting is stored; a new title and access changes are published, an unchanged title is not", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    const parent = await make("mia", { spaceId: w.space.marketing.id });
    const t = title("Renamed");
    events.length = 0;
    await docs().updateDocument(w.people.max.actor, id, { title: t });
    expect(await row(id)).toMatchObject({ title: t, visibility: "department", audienceRole: "editor", parentId: null });
    expect(events).toEqual([{ name: "doc.updated", payload: { docId: id, title: t } }]);
    events.length = 0;
    await docs().updateDocument(w.people.max.actor, id, { title: t });
    expect(events).toEqual([]);
    await docs().updateDocument(w.people.mia.actor, id, { visibility: "company" });
    expect(await row(id)).toMatchObject({ title: t, visibility: "company", audienceRole: "editor" });
    expect(events).toEqual([{ name: "doc.access.changed", payload: { docIds: [id] } }]);
    events.length = 0;
    await docs().updateDocument(w.people.mia.actor, id, { audienceRole: "viewer" });
    expect(await row(id)).toMatchObject({ visibility: "company", audienceRole: "viewer" });
    expect(events).toEqual([{ name: "doc.access.changed", payload: { docIds: [id] } }]);
    events.length = 0;
    await docs().updateDocument(w.people.mia.actor, id, { parentId: parent });
    expect(await row(id)).toMatchObject({ title: t, visibility: "company", audienceRole: "viewer", parentId: parent });
    expect(events).toEqual([]);
    await docs().updateDocument(w.people.mia.actor, id, { visibility: "department" });
    expect(await row(id)).toMatchObject({ visibility: "department", departmentId: w.departments.marketing.id });
  });

  test("an editor renames but changes no access; an admin who manages but only views cannot rename", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    const other = await make("mia", { spaceId: w.space.marketing.id });
    const cannot = "You cannot do that to this document.";
    await refused(() => docs().updateDocument(w.people.max.actor, id, { visibility: "company" }), 403, cannot);
    await refused(() => docs().updateDocument(w.people.max.actor, id, { audienceRole: "viewer" }), 403, cannot);
    await refused(() => docs().updateDocument(w.people.max.actor, id, { parentId: other }), 403, cannot);
    const viewOnly = await make("mia", { spaceId: w.space.company.id, audienceRole: "viewer" });
    await refused(() => docs().updateDocument(w.people.admin.actor, viewOnly, { title: "Admin rename", visibility: "company" }), 403, cannot);
    await docs().updateDocument(w.people.admin.actor, viewOnly, { visibility: "department" });
    expect((await row(viewOnly)).visibility).toBe("department");
  });

  test("department visibility needs the document's department", async () => {
    const id = await make("nod", { spaceId: w.space.company.id, visibility: "private" });
    await refused(
      () => docs().updateDocument(w.people.nod.actor, id, { visibility: "department" }),
      422,
      "This document has no department: choose private or company.",
      "visibility",
    );
    await docs().updateDocument(w.people.nod.actor, id, { visibility: "company" });
    expect((await row(id)).visibility).toBe("company");
  });

  test("moving: under a readable document of the same space, never below itself", async () => {
    const a = await make("max", { spaceId: w.space.marketing.id });
    const b = await make("max", { spaceId: w.space.marketing.id });
    const c = await make("max", { spaceId: w.space.marketing.id });
    await docs().updateDocument(w.people.max.actor, b, { parentId: a });
    await docs().updateDocument(w.people.max.actor, c, { parentId: b });
    expect([(await row(b)).parentId, (await row(c)).parentId]).toEqual([a, b]);
    await refused(() => docs().updateDocument(w.people.max.actor, a, { parentId: a }), 422, "A document cannot be its own parent.", "parentId");
    await refused(() => docs().updateDocument(w.people.max.actor, a, { parentId: b }), 422, "A document cannot move below itself.", "parentId");
    await refused(() => docs().updateDocument(w.people.max.actor, a, { parentId: c }), 422, "A document cannot move below itself.", "parentId");
    const elsewhere = await make("max", { spaceId: w.space.company.id });
    await refused(() => docs().updateDocument(w.people.max.actor, a, { parentId: elsewhere }), 422, "Choose a parent document in the same space.", "parentId");
    await refused(() => docs().updateDocument(w.people.max.actor, a, { parentId: "no-such-doc" }), 422, "Choose a parent document in the same space.", "parentId");
    const secret = await make("mia", { spaceId: w.space.marketing.id, visibility: "private" });
    await refused(() => docs().updateDocument(w.people.max.actor, a, { parentId: secret }), 403, "You do not have access to this document.");
    // Back to the top level.
    await docs().updateDocument(w.people.max.actor, c, { parentId: "" });
    expect((await row(c)).parentId).toBeNull();
  });

  test("moving: never below a descendant, however deep (a chain of 60 documents)", async () => {
    const top = await make("max", { spaceId: w.space.marketing.id });
    let below = top;
    for (let i = 0; i < 60; i++) below = await make("max", { spaceId: w.space.marketing.id, parentId: below });
    await refused(() => docs().updateDocument(w.people.max.actor, top, { parentId: below }), 422, "A document cannot move below itself.", "parentId");
    // A move within the chain that makes no cycle is stored.
    const side = await make("max", { spaceId: w.space.marketing.id });
    await docs().updateDocument(w.people.max.actor, side, { parentId: below });
    expect((await row(side)).parentId).toBe(below);
  });
});

describe("shares", () => {
  const notes = (userId: string, docId: string) =>
    db().notification.findMany({ where: { userId, type: "doc.shared", link: `/docs/${docId}` }, orderBy: { createdAt: "asc" }, select: { title: true, body: true, link: true } });

  test("a person share stores who and when, tells them in words by role; sharing again changes the role", async () => {
    const t = title("Shared plan");
    const { id } = await docs().createDocument(w.people.mia.actor, { title: t, spaceId: w.space.marketing.id, visibility: "private" });
    const at = tick();
    events.length = 0;
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    const shares = await db().docShare.findMany({ where: { docId: id } });
    expect(shares).toHaveLength(1);
    expect(shares[0]).toMatchObject({ principalType: "user", principalId: w.people.pat.user.id, role: "viewer", createdById: w.people.mia.user.id, createdAt: at });
    expect(events).toEqual([{ name: "doc.access.changed", payload: { docIds: [id] } }]);
    expect(await notes(w.people.pat.user.id, id)).toEqual([{ title: `Mia Marketing shared “${t}” with you`, body: "You can view and comment.", link: `/docs/${id}` }]);
    tick();
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "editor" });
    expect(await db().docShare.findMany({ where: { docId: id } })).toEqual([{ ...shares[0], role: "editor" }]);
    expect((await notes(w.people.pat.user.id, id)).map((n) => n.body)).toEqual(["You can view and comment.", "You can edit it."]);
  });

  test("team and department shares tell no one; an admin sharing with themself is not told", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: title("Team plan"), spaceId: w.space.company.id });
    const before = await db().notification.count();
    tick();
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "team", principalId: w.teams.platform.id, role: "editor" });
    tick();
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "department", principalId: w.departments.product.id, role: "viewer" });
    tick();
    await docs().shareDocument(w.people.admin.actor, id, { principalType: "user", principalId: w.people.admin.user.id, role: "editor" });
    expect(await db().notification.count()).toBe(before);
    const stored = await db().docShare.findMany({ where: { docId: id }, orderBy: { createdAt: "asc" } });
    expect(stored.map((s) => [s.principalType, s.principalId, s.role])).toEqual([
      ["team", w.teams.platform.id, "editor"],
      ["department", w.departments.product.id, "viewer"],
      ["user", w.people.admin.user.id, "editor"],
    ]);
  });

  test("refusals: not the manager, an inactive person, an unknown team or department, the owner", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: title("Guarded"), spaceId: w.space.marketing.id });
    const gone = await makePerson(app.atrium, { name: "Gus Gone", departmentId: w.departments.product.id, active: false });
    await refused(() => docs().shareDocument(w.people.max.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" }), 403, "You cannot do that to this document.");
    await refused(() => docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: gone.user.id, role: "viewer" }), 422, "Choose an existing active person.", "principalId");
    await refused(() => docs().shareDocument(w.people.mia.actor, id, { principalType: "team", principalId: "no-such-team", role: "viewer" }), 422, "Choose an existing team.", "principalId");
    await refused(() => docs().shareDocument(w.people.mia.actor, id, { principalType: "department", principalId: "no-such-dept", role: "viewer" }), 422, "Choose an existing department.", "principalId");
    await refused(() => docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.mia.user.id, role: "editor" }), 422, "The owner already has full access.", "principalId");
  });

  test("unsharing removes that one share of that document; unknown or another document's share: 404", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: title("Two shares"), spaceId: w.space.marketing.id });
    const { id: other } = await docs().createDocument(w.people.mia.actor, { title: title("Other"), spaceId: w.space.marketing.id });
    tick();
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    tick();
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "team", principalId: w.teams.platform.id, role: "viewer" });
    tick();
    await docs().shareDocument(w.people.mia.actor, other, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    const [first, second] = await db().docShare.findMany({ where: { docId: id }, orderBy: { createdAt: "asc" } });
    const otherShare = await db().docShare.findFirstOrThrow({ where: { docId: other } });
    await refused(() => docs().unshareDocument(w.people.max.actor, id, first!.id), 403, "You cannot do that to this document.");
    await refused(() => docs().unshareDocument(w.people.mia.actor, id, otherShare.id), 404, "That share was not found.");
    await refused(() => docs().unshareDocument(w.people.mia.actor, id, "no-such-share"), 404, "That share was not found.");
    events.length = 0;
    await docs().unshareDocument(w.people.mia.actor, id, first!.id);
    expect((await db().docShare.findMany({ where: { docId: { in: [id, other] } }, orderBy: { createdAt: "asc" } })).map((s) => s.id)).toEqual([second!.id, otherShare.id]);
    expect(events).toEqual([{ name: "doc.access.changed", payload: { docIds: [id] } }]);
  });
});

describe("trash", () => {
  test("trashing stores when and by whom; restoring clears both; each is published", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    const at = tick();
    events.length = 0;
    await docs().trashDocument(w.people.mia.actor, id);
    expect(await row(id)).toMatchObject({ deletedAt: at, deletedById: w.people.mia.user.id });
    expect(events).toEqual([{ name: "doc.access.changed", payload: { docIds: [id] } }]);
    await refused(() => docs().restoreDocument(w.people.pia.actor, id), 403, "You are not allowed to do that.");
    await refused(() => docs().restoreDocument(w.people.max.actor, id), 403, "You are not allowed to do that.");
    events.length = 0;
    await docs().restoreDocument(w.people.mia.actor, id);
    expect(await row(id)).toMatchObject({ deletedAt: null, deletedById: null });
    expect(events).toEqual([{ name: "doc.access.changed", payload: { docIds: [id] } }]);
  });

  test("restoring what is not in the trash, or does not exist: 404; trashing it twice: 404", async () => {
    const id = await make("mia", { spaceId: w.space.marketing.id });
    await refused(() => docs().restoreDocument(w.people.mia.actor, id), 404, "That document in the trash was not found.");
    await refused(() => docs().restoreDocument(w.people.mia.actor, "no-such-doc"), 404, "That document in the trash was not found.");
    await docs().trashDocument(w.people.mia.actor, id);
    await refused(() => docs().trashDocument(w.people.mia.actor, id), 404, "That document (it is in the trash) was not found.");
    await refused(() => docs().trashDocument(w.people.max.actor, id), 404, "That document (it is in the trash) was not found.");
  });
});
