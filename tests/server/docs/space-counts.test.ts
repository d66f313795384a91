/**
 * /docs's per-space numbers come from trigger-kept group counts plus the reader's own and shared
 * documents (decision 265). After every kind of write to a document, for every kind of reader, they
 * must equal what the policy says when asked about each document in turn (the Prisma reference),
 * and the count table must equal a fresh GROUP BY over the documents.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as docsDomain from "../../../server/domain/docs.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeDepartment } from "../../factories.js";
import { docsWorld, type World } from "./world.js";

let app: TestApp;
let w: World;
const docs = () => app.atrium.domain.docs;

beforeAll(async () => {
  app = await startTestApp();
  w = await docsWorld(app.atrium);
});
afterAll(() => app?.close());

type Counts = Record<string, number>;
const bySpace = (spaces: { id: string; documents: number }[]): Counts => Object.fromEntries(spaces.map((s) => [s.id, s.documents]));

/** Each reader's numbers through the group counts, checked against the per-document reference. */
async function countsFor(): Promise<Record<string, Counts>> {
  const ctx = app.atrium.ctx;
  expect(ctx.reads).toBeDefined();
  const reference = { ...ctx, reads: undefined };
  const out: Record<string, Counts> = {};
  for (const [name, who] of Object.entries(w.people)) {
    const fast = bySpace(await docsDomain.listSpaces(ctx, who.actor));
    expect(fast, name).toEqual(bySpace(await docsDomain.listSpaces(reference, who.actor)));
    out[name] = fast;
  }
  // The table itself: exactly the live documents' groups (empty groups may keep a row at 0).
  const table = (await app.atrium.db.docGroupCount.findMany({ where: { n: { gt: 0 } } }))
    .map((g) => `${g.spaceId}|${g.visibility}|${g.audienceRole}|${g.departmentId}=${g.n}`)
    .sort();
  const live = await app.atrium.db.document.groupBy({ by: ["spaceId", "visibility", "audienceRole", "departmentId"], where: { deletedAt: null }, _count: { _all: true } });
  expect(table).toEqual(live.map((g) => `${g.spaceId}|${g.visibility}|${g.audienceRole}|${g.departmentId ?? ""}=${g._count._all}`).sort());
  expect(await app.atrium.db.docGroupCount.count({ where: { n: { lt: 0 } } })).toBe(0);
  return out;
}

describe("each space's number of readable documents", () => {
  test("follows creation, visibility, audience, shares, trash, restore, deletion and a deleted department, for every reader", async () => {
    const { mia, max, pia, pat, nod, admin } = w.people;
    const { company, marketing, product } = w.space;
    const start = await countsFor();

    // Created: a department document counts for its department (and admins), a company one for all.
    const brief = (await docs().createDocument(mia.actor, { title: "Counts: brief", spaceId: marketing.id })).id;
    const note = (await docs().createDocument(pia.actor, { title: "Counts: note", spaceId: company.id, visibility: "company" })).id;
    let now = await countsFor();
    expect(now.max![marketing.id]).toBe(start.max![marketing.id]! + 1);
    expect(now.pat![marketing.id]).toBe(start.pat![marketing.id]);
    for (const who of ["mia", "max", "pia", "pat", "nod"]) expect(now[who]![company.id], who).toBe(start[who]![company.id]! + 1);

    // Private: only the owner counts it; a share brings it back for the people it reaches.
    await docs().updateDocument(mia.actor, brief, { visibility: "private" });
    now = await countsFor();
    expect(now.max![marketing.id]).toBe(start.max![marketing.id]);
    expect(now.mia![marketing.id]).toBe(start.mia![marketing.id]! + 1);
    await docs().shareDocument(mia.actor, brief, { principalType: "user", principalId: pat.user.id, role: "viewer" });
    await docs().shareDocument(mia.actor, brief, { principalType: "team", principalId: w.teams.platform.id, role: "editor" });
    await docs().shareDocument(mia.actor, brief, { principalType: "department", principalId: w.departments.product.id, role: "viewer" });
    now = await countsFor();
    expect(now.pat![marketing.id]).toBe(start.pat![marketing.id]! + 1);
    expect(now.pia![marketing.id]).toBe(start.pia![marketing.id]! + 1);
    expect(now.max![marketing.id]).toBe(start.max![marketing.id]);

    // The audience role moves the document to another group without changing who reads it.
    await docs().updateDocument(pia.actor, note, { audienceRole: "viewer" });
    now = await countsFor();
    expect(now.nod![company.id]).toBe(start.nod![company.id]! + 1);

    // Trash and restore.
    await docs().trashDocument(pia.actor, note);
    now = await countsFor();
    for (const who of ["mia", "pia", "nod", "admin"]) expect(now[who]![company.id], who).toBe(start[who]![company.id]);
    await docs().restoreDocument(pia.actor, note);
    now = await countsFor();
    expect(now.nod![company.id]).toBe(start.nod![company.id]! + 1);

    // A deleted row (any writer, not only the verbs) leaves its group.
    const gone = (await docs().createDocument(pat.actor, { title: "Counts: removed", spaceId: product.id })).id;
    expect((await countsFor()).pia![product.id]).toBe(start.pia![product.id]! + 1);
    await app.atrium.db.document.delete({ where: { id: gone } });
    expect((await countsFor()).pia![product.id]).toBe(start.pia![product.id]);

    // A department's deletion clears its documents' department (a foreign-key action, no verb).
    const legal = await makeDepartment(app.atrium, "Counts Legal");
    await docs().ensureSpaces();
    const legalSpace = (await app.atrium.db.space.findFirstOrThrow({ where: { departmentId: legal.id } })).id;
    const filed = (await docs().createDocument(admin.actor, { title: "Counts: legal file", spaceId: legalSpace, visibility: "department" })).id;
    expect((await app.atrium.db.document.findUniqueOrThrow({ where: { id: filed } })).departmentId).toBe(legal.id);
    await countsFor();
    await app.atrium.domain.org.deleteDepartment(admin.actor, legal.id);
    expect((await app.atrium.db.document.findUniqueOrThrow({ where: { id: filed } })).departmentId).toBeNull();
    await countsFor();
  });
});
