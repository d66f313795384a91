/**
 * Who may do what to a document, and the spaces: the reader's teams, the role the socket layer
 * asks for (accessForUser), the company and department spaces kept in step with the departments
 * (ensureSpaces), the /docs list of spaces with each one's number of readable documents, and the
 * SQL pre-filter of readable documents that the Prisma reads use. Every read is checked through
 * the prepared reads and through Prisma (`reads` left out), against values worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as docsDomain from "../../../server/domain/docs.js";
import { ForbiddenError } from "../../../server/domain/errors.js";
import type { Ctx } from "../../../server/domain/context.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { makeDepartment, makePerson, makeTeam } from "../../factories.js";
import { docsWorld, type World } from "./world.js";

const clock = manualClock("2031-05-06T08:00:00Z", { stepMs: 1000 });

let app: TestApp;
let w: World;
const docs = () => app.atrium.domain.docs;
const db = () => app.atrium.db;
/** The prepared reads and the Prisma reads (the reference), by name. */
const paths = (): [string, Ctx][] => {
  const ctx = app.atrium.ctx;
  expect(ctx.reads).toBeDefined();
  return [
    ["prepared reads", ctx],
    ["Prisma", { ...ctx, reads: undefined }],
  ];
};
const spaceRow = (s: { id: string; name: string; slug: string; kind: string; departmentId: string | null }) => ({ id: s.id, name: s.name, slug: s.slug, kind: s.kind, departmentId: s.departmentId });
const allSpaces = async () => (await db().space.findMany({ orderBy: { id: "asc" } })).map(spaceRow);

beforeAll(async () => {
  app = await startTestApp({ clock });
  w = await docsWorld(app.atrium);
});
afterAll(() => app?.close());

describe("the reader's teams", () => {
  test("every team a person is in, by id whatever order they joined in; none for a person in no team", async () => {
    const first = await makeTeam(app.atrium, { name: "Teams: first" });
    const second = await makeTeam(app.atrium, { name: "Teams: second" });
    const [low, high] = [first.id, second.id].sort();
    const both = await makePerson(app.atrium, { name: "Teams: in two" });
    await db().teamMembership.create({ data: { userId: both.user.id, teamId: high! } });
    await db().teamMembership.create({ data: { userId: both.user.id, teamId: low! } });
    const none = await makePerson(app.atrium, { name: "Teams: in none" });
    for (const [name, ctx] of paths()) {
      expect(await docsDomain.teamIdsOf(ctx, both.user.id), name).toEqual([low, high]);
      expect(await docsDomain.teamIdsOf(ctx, none.user.id), name).toEqual([]);
      expect(await docsDomain.teamIdsOf(ctx, w.people.mia.user.id), name).toEqual([w.teams.growth.id]);
    }
  });
});

describe("the role the collaboration socket is given", () => {
  test("owner, audience, team share, outsider, deactivated, admin, trashed, unknown document or person", async () => {
    const { mia, max, pia, pat, nod, admin } = w.people;
    const gone = await makePerson(app.atrium, { name: "Access: deactivated", departmentId: w.departments.marketing.id, active: false });
    const brief = (await docs().createDocument(mia.actor, { title: "Access: brief", spaceId: w.space.marketing.id, audienceRole: "viewer" })).id;
    const plan = (await docs().createDocument(pia.actor, { title: "Access: plan", spaceId: w.space.product.id, visibility: "private" })).id;
    await docs().shareDocument(pia.actor, plan, { principalType: "team", principalId: w.teams.growth.id, role: "editor" });
    const binned = (await docs().createDocument(mia.actor, { title: "Access: binned", spaceId: w.space.marketing.id })).id;
    await docs().trashDocument(mia.actor, binned);
    const cases: [string, string, { role: string; name: string }][] = [
      [mia.user.id, brief, { role: "owner", name: "Mia Marketing" }],
      [max.user.id, brief, { role: "viewer", name: "Max Marketing" }],
      [pia.user.id, brief, { role: "none", name: "Pia Product" }],
      [gone.user.id, brief, { role: "none", name: "Access: deactivated" }],
      [admin.user.id, plan, { role: "none", name: "Ada Admin" }],
      [mia.user.id, plan, { role: "editor", name: "Mia Marketing" }],
      [pat.user.id, plan, { role: "none", name: "Pat Product" }],
      [pia.user.id, plan, { role: "owner", name: "Pia Product" }],
      [mia.user.id, binned, { role: "none", name: "Mia Marketing" }],
      [max.user.id, binned, { role: "none", name: "Max Marketing" }],
      [nod.user.id, "no-such-document", { role: "none", name: "Nod Nodepartment" }],
      ["no-such-person", brief, { role: "none", name: "" }],
      ["no-such-person", "no-such-document", { role: "none", name: "" }],
    ];
    for (const [name, ctx] of paths()) {
      for (const [userId, docId, expected] of cases) expect(await docsDomain.accessForUser(ctx, userId, docId), `${name}: ${userId} on ${docId}`).toEqual(expected);
    }
  });
});

describe("spaces kept in step with the departments", () => {
  test("a missing company space is made again, beside the departments' spaces", async () => {
    const other = await startTestApp({ clock });
    try {
      const odb = other.atrium.db;
      const dept = await makeDepartment(other.atrium, "Spaces: Ops");
      await other.atrium.domain.docs.ensureSpaces();
      const company = await odb.space.findFirstOrThrow({ where: { kind: "company" } });
      expect(spaceRow(company)).toEqual({ id: company.id, name: "Company", slug: "company", kind: "company", departmentId: null });
      await odb.space.delete({ where: { id: company.id } });
      await other.atrium.domain.docs.ensureSpaces();
      const spaces = (await odb.space.findMany({ orderBy: { kind: "asc" } })).map(({ id: _id, ...s }) => ({ name: s.name, slug: s.slug, kind: s.kind, departmentId: s.departmentId }));
      expect(spaces).toEqual([
        { name: "Company", slug: "company", kind: "company", departmentId: null },
        { name: "Spaces: Ops", slug: "spaces-ops", kind: "department", departmentId: dept.id },
      ]);
    } finally {
      await other.close();
    }
  });

  test("a new department gets a space (its slug made unique when a space holds it), a renamed one renames it, and running again changes nothing", async () => {
    const before = await allSpaces();
    await docs().ensureSpaces();
    expect(await allSpaces()).toEqual(before);

    const legal = await makeDepartment(app.atrium, "Legal");
    await docs().ensureSpaces();
    const first = await db().space.findUniqueOrThrow({ where: { departmentId: legal.id } });
    expect(spaceRow(first)).toEqual({ id: first.id, name: "Legal", slug: "legal", kind: "department", departmentId: legal.id });
    // Deleted: its space stays (without a department) and keeps the slug.
    await db().department.delete({ where: { id: legal.id } });
    const again = await makeDepartment(app.atrium, "Legal");
    expect(again.slug).toBe("legal");
    await docs().ensureSpaces();
    const second = await db().space.findUniqueOrThrow({ where: { departmentId: again.id } });
    expect(spaceRow(second)).toEqual({ id: second.id, name: "Legal", slug: `legal-${again.id.slice(-6)}`, kind: "department", departmentId: again.id });
    expect(spaceRow(await db().space.findUniqueOrThrow({ where: { id: first.id } }))).toEqual({ ...spaceRow(first), departmentId: null });

    await db().department.update({ where: { id: again.id }, data: { name: "Legal & Compliance" } });
    const settled = await allSpaces();
    await docs().ensureSpaces();
    expect(await allSpaces()).toEqual(settled.map((s) => (s.id === second.id ? { ...s, name: "Legal & Compliance" } : s)));
    await docs().ensureSpaces();
    expect(await allSpaces()).toEqual(settled.map((s) => (s.id === second.id ? { ...s, name: "Legal & Compliance" } : s)));
    expect(await db().space.count({ where: { kind: "company" } })).toBe(1);
  });
});

describe("the list of spaces", () => {
  test("a space whose department was deleted takes new documents from nobody but an admin, not even a person without a department", async () => {
    const orphan = await db().space.create({ data: { id: "zzzz-orphan", name: "Orphaned", slug: "orphaned", kind: "department" } });
    const { nod, admin } = w.people;
    const before = await db().document.count();
    await expect(() => docs().createDocument(nod.actor, { title: "Orphan: not allowed", spaceId: orphan.id, visibility: "company" })).rejects.toThrow(ForbiddenError);
    expect(await db().document.count()).toBe(before);
    expect(await db().document.count({ where: { spaceId: orphan.id } })).toBe(0);
    // The refusal is the space's, not the person's: nod may create in the company space.
    const company = await db().space.findFirstOrThrow({ where: { kind: "company" } });
    await docs().createDocument(nod.actor, { title: "Orphan: company instead", spaceId: company.id });
    await docs().createDocument(admin.actor, { title: "Orphan: by an admin", spaceId: orphan.id, visibility: "company" });
    expect(await db().document.count({ where: { spaceId: orphan.id } })).toBe(1);
    await db().document.deleteMany({ where: { title: { startsWith: "Orphan:" } } });
    await db().space.delete({ where: { id: orphan.id } });
  });

  test("by kind, name and id; each space's readable documents, whether it is the reader's department and whether they may create there", async () => {
    // A space left by a deleted department, named like a department made later, with an id
    // after every generated one though stored first.
    const old = await db().space.create({ data: { id: "zzzz-old-atlas", name: "Atlas", slug: "atlas-old", kind: "department" } });
    const atlas = await makeDepartment(app.atrium, "Atlas");
    const borealis = await makeDepartment(app.atrium, "Borealis");
    await docs().ensureSpaces();
    const space = async (departmentId: string) => db().space.findUniqueOrThrow({ where: { departmentId } });
    const [atlasSpace, borealisSpace] = [await space(atlas.id), await space(borealis.id)];
    const crew = await makeTeam(app.atrium, { name: "Atlas crew", departmentId: atlas.id });
    const ana = await makePerson(app.atrium, { name: "Ana Atlas", departmentId: atlas.id, teamIds: [crew.id] });
    const ben = await makePerson(app.atrium, { name: "Ben Atlas", departmentId: atlas.id });
    const bea = await makePerson(app.atrium, { name: "Bea Borealis", departmentId: borealis.id });
    const off = await makePerson(app.atrium, { name: "Off Atlas", departmentId: atlas.id, active: false });
    const { nod, admin } = w.people;

    await docs().createDocument(ana.actor, { title: "Spaces: Atlas plan", spaceId: atlasSpace.id });
    await docs().createDocument(ben.actor, { title: "Spaces: Ben's notes", spaceId: atlasSpace.id, visibility: "private" });
    const binned = (await docs().createDocument(ana.actor, { title: "Spaces: binned", spaceId: atlasSpace.id })).id;
    await docs().trashDocument(ana.actor, binned);
    await docs().createDocument(bea.actor, { title: "Spaces: Borealis plan", spaceId: borealisSpace.id });
    const toCrew = (await docs().createDocument(bea.actor, { title: "Spaces: to the crew", spaceId: borealisSpace.id, visibility: "private" })).id;
    await docs().shareDocument(bea.actor, toCrew, { principalType: "team", principalId: crew.id, role: "viewer" });
    const toBen = (await docs().createDocument(bea.actor, { title: "Spaces: to Ben", spaceId: borealisSpace.id, visibility: "private" })).id;
    await docs().shareDocument(bea.actor, toBen, { principalType: "user", principalId: ben.user.id, role: "editor" });
    const toAtlas = (await docs().createDocument(bea.actor, { title: "Spaces: to Atlas", spaceId: borealisSpace.id, visibility: "private" })).id;
    await docs().shareDocument(bea.actor, toAtlas, { principalType: "department", principalId: atlas.id, role: "viewer" });

    const readers = { ana, ben, bea, off, nod, admin };
    // [documents in Atlas, in Borealis], [may create in Atlas, in Borealis, in the company space]
    const expected: Record<keyof typeof readers, { documents: [number, number]; canCreate: [boolean, boolean, boolean]; mine: "atlas" | "borealis" | null }> = {
      ana: { documents: [1, 2], canCreate: [true, false, true], mine: "atlas" },
      ben: { documents: [2, 2], canCreate: [true, false, true], mine: "atlas" },
      bea: { documents: [0, 4], canCreate: [false, true, true], mine: "borealis" },
      off: { documents: [0, 0], canCreate: [false, false, false], mine: "atlas" },
      nod: { documents: [0, 0], canCreate: [false, false, true], mine: null },
      admin: { documents: [0, 0], canCreate: [true, true, true], mine: null },
    };
    const byKindNameId = (a: { kind: string; name: string; id: string }, b: { kind: string; name: string; id: string }) =>
      a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.id < b.id ? -1 : 1;
    const stored = (await db().space.findMany()).map(spaceRow);
    expect(stored.length).toBeGreaterThanOrEqual(6);

    for (const [name, ctx] of paths()) {
      for (const [who, person] of Object.entries(readers) as [keyof typeof readers, (typeof readers)[keyof typeof readers]][]) {
        const e = expected[who];
        const spaces = await docsDomain.listSpaces(ctx, person.actor);
        const label = `${name}: ${who}`;
        expect(spaces.map(spaceRow), label).toEqual([...stored].sort(byKindNameId));
        const find = (id: string) => spaces.find((s) => s.id === id)!;
        expect(find(atlasSpace.id), label).toEqual({ ...spaceRow(atlasSpace), documents: e.documents[0], mine: e.mine === "atlas", canCreate: e.canCreate[0] });
        expect(find(borealisSpace.id), label).toEqual({ ...spaceRow(borealisSpace), documents: e.documents[1], mine: e.mine === "borealis", canCreate: e.canCreate[1] });
        const company = find(w.space.company.id);
        expect(company, label).toMatchObject({ ...spaceRow(w.space.company), mine: false, canCreate: e.canCreate[2] });
        // Nobody belongs to a space whose department is gone, not even a person without a department.
        expect(find(old.id), label).toMatchObject({ ...spaceRow(old), documents: 0, mine: false });
        if (who === "off") expect(spaces.map((s) => s.documents), label).toEqual(spaces.map(() => 0));
      }
    }
    // The generated ids come before the hand-made one: the two Atlas spaces by id.
    const names = (await docsDomain.listSpaces(app.atrium.ctx, ana.actor)).map((s) => s.id);
    expect(names.indexOf(atlasSpace.id)).toBe(names.indexOf(old.id) - 1);
  });
});

describe("the Prisma reads' pre-filter of readable documents", () => {
  // The recent list reads twice the asked number of rows and lets the policy drop the unreadable
  // ones, so a pre-filter that let unreadable documents through would fill those rows with them.
  test("documents shared with others only (a person, a team, a department) do not take a reader's places in the recent list", async () => {
    const { mia, pia, pat } = w.people;
    clock.tick(86_400_000);
    const readable = (await docs().createDocument(pia.actor, { title: "Recent: company note", spaceId: w.space.company.id })).id;
    for (const n of [1, 2]) {
      const id = (await docs().createDocument(pia.actor, { title: `Recent: shared elsewhere ${n}`, spaceId: w.space.product.id, visibility: "private" })).id;
      await docs().shareDocument(pia.actor, id, { principalType: "user", principalId: pat.user.id, role: "viewer" });
      await docs().shareDocument(pia.actor, id, { principalType: "team", principalId: w.teams.platform.id, role: "viewer" });
      await docs().shareDocument(pia.actor, id, { principalType: "department", principalId: w.departments.product.id, role: "viewer" });
    }
    for (const [name, ctx] of paths()) {
      expect((await docsDomain.listRecent(ctx, mia.actor, { limit: 1 })).map((d) => d.id), name).toEqual([readable]);
    }
  });

  test("a deleted department's documents do not take the places of a person without a department", async () => {
    const { nod, admin } = w.people;
    clock.tick(86_400_000);
    const gone = await makeDepartment(app.atrium, "Recent: gone");
    await docs().ensureSpaces();
    const goneSpace = await db().space.findUniqueOrThrow({ where: { departmentId: gone.id } });
    const readable = (await docs().createDocument(admin.actor, { title: "Recent: for everyone", spaceId: w.space.company.id })).id;
    for (const n of [1, 2]) await docs().createDocument(admin.actor, { title: `Recent: department ${n}`, spaceId: goneSpace.id });
    await db().department.delete({ where: { id: gone.id } });
    expect(await db().document.count({ where: { spaceId: goneSpace.id, visibility: "department", departmentId: null } })).toBe(2);
    for (const [name, ctx] of paths()) {
      expect((await docsDomain.listRecent(ctx, nod.actor, { limit: 1 })).map((d) => d.id), name).toEqual([readable]);
    }
  });
});
