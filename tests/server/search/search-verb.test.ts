/**
 * The search verbs (server/domain/search.ts) on a real database and a real index, with the injected
 * clock: the reader's teams open team-shared documents and nothing else (by prepared SQL and by
 * Prisma alike), each filter the page takes reaches the index (dates as whole days, both ends
 * included), pages of twenty, every field of a result and of a suggestion, snippets cut from the
 * current rows, and the page's state while the index is still filling.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { search, suggest } from "../../../server/domain/search.js";
import type { Ctx } from "../../../server/domain/context.js";
import { ValidationError } from "../../../server/domain/errors.js";
import { UnifiedIndex } from "../../../server/search/unified-index.js";
import { buildUnifiedIndex } from "../../../server/search/unified-sync.js";
import { makeDepartment, makePerson, makeTeam } from "../../factories.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { recordingReads } from "../../helpers/recording-reads.js";
import { ask, body } from "../questions/helpers.js";

const clock = manualClock("2031-04-10T12:00:00Z", { stepMs: 1 });

let app: TestApp;
type P = Awaited<ReturnType<typeof makePerson>>;
let olga: P, tia: P, nate: P, admin: P, rhea: P, sol: P;
let dept: { id: string };
let teamDoc: string;
let companySpace: string;
const ocelots: string[] = [];
const at: Record<string, string> = {};

/** The app's context, and the same without the prepared reads (every read through Prisma). */
const ctxs = () => ({ sql: app.atrium.ctx, prisma: { ...app.atrium.ctx, reads: undefined } as Ctx });
const text = (segments: { text: string }[]) => segments.map((s) => s.text).join("");
const marked = (segments: { text: string; mark?: true }[]) => segments.filter((s) => s.mark).map((s) => s.text);

beforeAll(async () => {
  app = await startTestApp({ clock });
  const ctx = app.atrium.ctx;
  dept = await makeDepartment(app.atrium, "Research");
  const sales = await makeDepartment(app.atrium, "Sales");
  const harbour = await makeTeam(app.atrium, { name: "Harbour" });
  const other = await makeTeam(app.atrium, { name: "Lighthouse" });
  olga = await makePerson(app.atrium, { name: "Olga Owner", departmentId: dept.id });
  tia = await makePerson(app.atrium, { name: "Tia Teammate", teamIds: [harbour.id] });
  nate = await makePerson(app.atrium, { name: "Nate Nonmember", teamIds: [other.id] });
  admin = await makePerson(app.atrium, { name: "Ada Admin", role: "admin" });
  // A person's snippet joins title, location and bio, leaving out the empty ones.
  rhea = await makePerson(app.atrium, { name: "Rhea Ranger", title: "Warden", location: "", bio: "Keeps the marmoset ledger.", departmentId: dept.id });
  sol = await makePerson(app.atrium, { name: "Sol Seller", title: "Account lead", location: "Lisbon", bio: "Sells marmoset feed.", departmentId: sales.id });
  companySpace = (await app.atrium.db.space.findFirstOrThrow({ where: { kind: "company" } })).id;

  const docs = app.atrium.domain.docs;
  teamDoc = (await docs.createDocument(olga.actor, { title: "Pelican harbour roadmap", spaceId: companySpace, visibility: "private" })).id;
  await docs.shareDocument(olga.actor, teamDoc, { principalType: "team", principalId: harbour.id, role: "viewer" });

  // A document with the people's word, for the type filter to leave out.
  await docs.createDocument(olga.actor, { title: "Marmoset enclosure plan", spaceId: companySpace, visibility: "company" });
  for (let i = 1; i <= 23; i++) ocelots.push((await docs.createDocument(olga.actor, { title: `Ocelot survey ${String(i).padStart(2, "0")}`, spaceId: companySpace, visibility: "company" })).id);

  // Insights on the edges of whole days (their date is when they were posted, by the clock).
  const post = async (key: string, iso: string) => {
    clock.t = Date.parse(iso);
    at[key] = (await app.atrium.domain.insights.createInsight(olga.actor, { text: `The capybara export stalls (${key})`, channel: "email" })).id;
  };
  await post("before", "2031-02-28T23:59:59.999Z");
  await post("firstDayStart", "2031-03-01T00:00:00.000Z");
  await post("lastDayEnd", "2031-03-05T23:59:59.999Z");
  await post("after", "2031-03-06T00:00:00.000Z");
  clock.t = Date.parse("2031-04-10T12:00:00Z");

  await ask(app.atrium, olga.actor, { title: "Who feeds the tapir at night?", body: body("The tapir rota is unclear."), tags: ["zookeeping"] });
  await ask(app.atrium, olga.actor, { title: "Where is the tapir enclosure map?", body: body("Looking for the tapir map."), tags: ["maps"] });
  // People made by the factory are in the directory index; the unified index is filled as at start.
  await buildUnifiedIndex(app.atrium.db, ctx.searchIndex);
}, 300_000);
afterAll(() => app?.close());

describe("what a reader may see", () => {
  test("a document shared with a team: found by its members, never by anyone else (prepared SQL and Prisma reads)", async () => {
    for (const [how, ctx] of Object.entries(ctxs())) {
      for (const [who, reader, sees] of [["tia", tia, true], ["nate", nate, false], ["admin", admin, false]] as const) {
        const page = await search(ctx, reader.actor, { q: "pelican" });
        expect(page.results.map((r) => r.id), `${who} via ${how}`).toEqual(sees ? [teamDoc] : []);
        expect(page.total, `${who} via ${how}`).toBe(sees ? 1 : 0);
        expect(page.byType.doc, `${who} via ${how}`).toBe(sees ? 1 : 0);
        const pal = await suggest(ctx, reader.actor, { q: "pelican" });
        expect(pal.items.map((i) => i.id), `${who} via ${how}`).toEqual(sees ? [teamDoc] : []);
        const picked = await suggest(ctx, reader.actor, { q: "pelican", type: "doc" });
        expect(picked.items.map((i) => i.id), `${who} via ${how}`).toEqual(sees ? [teamDoc] : []);
      }
    }
  });

  test("the reader's teams are read by prepared statement when the context has one", async () => {
    const { reads: recording, statements } = recordingReads(app.atrium.ctx.reads!);
    const ctx = { ...app.atrium.ctx, reads: recording } as Ctx;
    expect((await search(ctx, tia.actor, { q: "pelican" })).results.map((r) => r.id)).toEqual([teamDoc]);
    expect(statements.filter((s) => s.includes(`FROM "TeamMembership"`))).toHaveLength(1);
    expect(statements.filter((s) => s.includes(`FROM "Document"`))).toHaveLength(1);
    // No statement for a type the page lacks.
    expect(statements.filter((s) => /FROM "(User|Question|Answer|Insight)"/.test(s))).toEqual([]);
  });
});

describe("the search page", () => {
  test("pages of twenty: the second page has the rest, the page count rounds up", async () => {
    const first = await search(app.atrium.ctx, nate.actor, { q: "ocelot" });
    expect(first).toMatchObject({ total: 23, page: 1, pages: 2, blank: false, relaxed: false, capped: false });
    expect(first.results).toHaveLength(20);
    const second = await search(app.atrium.ctx, nate.actor, { q: "ocelot", page: "2" });
    expect(second).toMatchObject({ total: 23, page: 2, pages: 2 });
    expect(second.results).toHaveLength(3);
    expect([...first.results, ...second.results].map((r) => r.id).sort()).toEqual([...ocelots].sort());
    const beyond = await search(app.atrium.ctx, nate.actor, { q: "ocelot", page: "3" });
    expect(beyond.results).toEqual([]);
    expect(beyond.pages).toBe(2);
  });

  test("no match and no words: one page, nothing in it, blank only when there was no word", async () => {
    const none = await search(app.atrium.ctx, nate.actor, { q: "zzyzxqu" });
    expect(none).toMatchObject({ query: "zzyzxqu", total: 0, pages: 1, page: 1, results: [], blank: false, truncated: false, maxChars: 200, indexing: null });
    const empty = await search(app.atrium.ctx, nate.actor, { q: "  " });
    expect(empty).toMatchObject({ total: 0, pages: 1, results: [], blank: true });
    const long = await search(app.atrium.ctx, nate.actor, { q: "ocelot ".repeat(100) });
    expect(long.truncated).toBe(true);
    expect(long.query.length).toBeLessThanOrEqual(200);
  });

  test("a result carries every field: type, id, link, marked title, subtitle, snippet, tags and date", async () => {
    const docs = app.atrium.domain.docs;
    clock.t = Date.parse("2031-04-11T08:30:00.000Z");
    const { id } = await docs.createDocument(olga.actor, { title: "Quoll census", spaceId: companySpace, visibility: "company" });
    await docs.recordSettledContent(id, { read: { text: "Counting every quoll along the ridge.", mentions: [] }, editors: [olga.user.id], seq: 1, at: clock.now() });
    const row = await app.atrium.db.document.findUniqueOrThrow({ where: { id }, select: { lastEditedAt: true, createdAt: true } });
    const stamp = row.lastEditedAt ?? row.createdAt;
    expect(stamp.getTime()).toBeGreaterThanOrEqual(Date.parse("2031-04-11T08:30:00.000Z"));
    clock.t = Date.parse("2031-04-10T12:00:00Z");
    for (const [how, ctx] of Object.entries(ctxs())) {
      const page = await search(ctx, nate.actor, { q: "quoll" });
      expect(page.results, how).toEqual([
        {
          type: "doc",
          id,
          url: `/docs/${id}`,
          title: [{ text: "Quoll", mark: true }, { text: " census" }],
          subtitle: expect.any(String),
          snippet: [{ text: "Counting every " }, { text: "quoll", mark: true }, { text: " along the ridge." }],
          tags: [],
          date: stamp.toISOString(),
        },
      ]);
      expect(page.results[0]!.subtitle.length).toBeGreaterThan(0);
    }
  });

  test("snippets are cut from the current rows: a person's title, location and bio, the empty ones left out", async () => {
    for (const [how, ctx] of Object.entries(ctxs())) {
      const page = await search(ctx, nate.actor, { q: "marmoset", type: "person" });
      const byId = new Map(page.results.map((r) => [r.id, r]));
      expect(text(byId.get(rhea.user.id)!.snippet), how).toBe("Warden · Keeps the marmoset ledger.");
      expect(marked(byId.get(rhea.user.id)!.snippet), how).toEqual(["marmoset"]);
      expect(text(byId.get(sol.user.id)!.snippet), how).toBe("Account lead · Lisbon · Sells marmoset feed.");
      expect(byId.get(rhea.user.id)!.url).toBe(`/people/${rhea.user.id}`);
    }
    // A row changed without re-indexing: the snippet shows what the database holds now.
    await app.atrium.db.question.updateMany({ where: { title: "Who feeds the tapir at night?" }, data: { bodyText: "Night tapir feeding is on the board." } });
    for (const [how, ctx] of Object.entries(ctxs())) {
      const page = await search(ctx, nate.actor, { q: "tapir feeds", type: "question" });
      expect(page.results.map((r) => text(r.snippet)), how).toContain("Night tapir feeding is on the board.");
    }
  });

  test("a row gone since it was indexed: still listed from the index, with an empty snippet", async () => {
    const { id } = await app.atrium.domain.docs.createDocument(olga.actor, { title: "Kinkajou sightings", spaceId: companySpace, visibility: "company" });
    await app.atrium.ctx.searchIndex.settle();
    await app.atrium.db.document.update({ where: { id }, data: { plainText: "One kinkajou at dusk." } });
    expect((await search(app.atrium.ctx, nate.actor, { q: "kinkajou" })).results.map((r) => text(r.snippet))).toEqual(["One kinkajou at dusk."]);
    await app.atrium.db.document.delete({ where: { id } });
    for (const [how, ctx] of Object.entries(ctxs())) {
      const page = await search(ctx, nate.actor, { q: "kinkajou" });
      expect(page.results.map((r) => [r.id, r.snippet]), how).toEqual([[id, []]]);
    }
  });

  test("filters: type, department, tag", async () => {
    const ctx = app.atrium.ctx;
    expect((await search(ctx, nate.actor, { q: "marmoset" })).results.map((r) => r.type).sort()).toEqual(["doc", "person", "person"]);
    const people = await search(ctx, nate.actor, { q: "marmoset", type: "person" });
    expect(people.results.map((r) => r.id).sort()).toEqual([rhea.user.id, sol.user.id].sort());
    // Olga's document counts for her department too; Sol is in Sales.
    const inDept = (await search(ctx, nate.actor, { q: "marmoset", department: dept.id })).results.map((r) => r.id);
    expect(inDept).toHaveLength(2);
    expect(inDept).toContain(rhea.user.id);
    expect(inDept).not.toContain(sol.user.id);
    const questions = await search(ctx, nate.actor, { q: "tapir", type: "question" });
    expect(questions.results).toHaveLength(2);
    expect(questions.results.every((r) => r.type === "question")).toBe(true);
    const tagged = await search(ctx, nate.actor, { q: "tapir", tag: "zookeeping" });
    expect(tagged.results.map((r) => text(r.title))).toEqual(["Who feeds the tapir at night?"]);
    expect(tagged.results[0]!.tags).toEqual(["Zookeeping"]);
  });

  test("dates are whole days in UTC: the first day from its first millisecond, the last day to its last", async () => {
    const ids = async (f: Record<string, string>) => (await search(app.atrium.ctx, nate.actor, { q: "capybara", ...f })).results.map((r) => r.id).sort();
    const of = (...keys: string[]) => keys.map((k) => at[k]!).sort();
    expect(await ids({})).toEqual(of("before", "firstDayStart", "lastDayEnd", "after"));
    expect(await ids({ from: "2031-03-01", to: "2031-03-05" })).toEqual(of("firstDayStart", "lastDayEnd"));
    expect(await ids({ from: "2031-03-01" })).toEqual(of("firstDayStart", "lastDayEnd", "after"));
    expect(await ids({ to: "2031-03-05" })).toEqual(of("before", "firstDayStart", "lastDayEnd"));
    expect(await ids({ from: "2031-03-06", to: "2031-03-06" })).toEqual(of("after"));
    const dated = (await search(app.atrium.ctx, nate.actor, { q: "capybara", from: "2031-03-06" })).results[0]!;
    expect(dated.date).toBe("2031-03-06T00:00:00.000Z");
    expect(dated.url).toBe(`/insights/${at.after}`);
  });

  test("a change made just before is found: the queued re-indexing is applied first", async () => {
    const { id } = await app.atrium.domain.docs.createDocument(olga.actor, { title: "Draft", spaceId: companySpace, visibility: "company" });
    await app.atrium.ctx.searchIndex.settle();
    await app.atrium.domain.docs.updateDocument(olga.actor, id, { title: "Wombat burrow draft" });
    expect((await search(app.atrium.ctx, nate.actor, { q: "wombat" })).results.map((r) => r.id)).toEqual([id]);
    await app.atrium.domain.docs.updateDocument(olga.actor, id, { title: "Numbat burrow draft" });
    expect((await suggest(app.atrium.ctx, nate.actor, { q: "numbat" })).items.map((i) => i.id)).toEqual([id]);
  });

  test("while the index fills at start the page says how far it is; once filled, nothing", async () => {
    const index = new UnifiedIndex(() => clock.now().getTime());
    const ctx = { ...app.atrium.ctx, searchIndex: index } as Ctx;
    index.beginBuild(40);
    index.addBatch([]);
    const filling = await search(ctx, nate.actor, { q: "ocelot" });
    expect(filling.indexing).toEqual({ done: 0, total: 40 });
    index.endBuild();
    expect((await search(ctx, nate.actor, { q: "ocelot" })).indexing).toBeNull();
  });

  test("relaxed when no entry has every word; capped counts past the index's cap", async () => {
    const relaxed = await search(app.atrium.ctx, nate.actor, { q: "ocelot zzyzxqu" });
    expect(relaxed).toMatchObject({ relaxed: true, total: 23, capped: false });
    // An index over the same database whose exact counting stops at ten readable matches.
    const small = new UnifiedIndex(() => clock.now().getTime(), 10);
    await buildUnifiedIndex(app.atrium.db, small);
    const capped = await search({ ...app.atrium.ctx, searchIndex: small } as Ctx, nate.actor, { q: "ocelot" });
    expect(capped.capped).toBe(true);
    expect(capped.results).toHaveLength(20);
    expect(capped.byType.doc).toBe(10);
  });

  test("bad input is refused with the field named", async () => {
    await expect(() => search(app.atrium.ctx, nate.actor, { q: "ocelot", type: "planet" })).rejects.toBeInstanceOf(ValidationError);
    await expect(() => search(app.atrium.ctx, nate.actor, { q: "ocelot", from: "2031-03-06", to: "2031-03-01" })).rejects.toMatchObject({ fieldErrors: { to: [expect.stringMatching(/start date is after/)] } });
  });
});

describe("the palette", () => {
  test("a few per type while typing; eight of one type when a picker asks for that type only", async () => {
    const ctx = app.atrium.ctx;
    const all = await suggest(ctx, nate.actor, { q: "ocelot" });
    expect(all.items.filter((i) => i.type === "doc")).toHaveLength(4);
    const docsOnly = await suggest(ctx, nate.actor, { q: "ocelot", type: "doc" });
    expect(docsOnly.items).toHaveLength(8);
    expect(docsOnly.items.every((i) => i.type === "doc" && ocelots.includes(i.id))).toBe(true);
    const people = await suggest(ctx, nate.actor, { q: "rhea", type: "person" });
    expect(people).toEqual({
      query: "rhea",
      truncated: false,
      items: [{ type: "person", id: rhea.user.id, url: `/people/${rhea.user.id}`, title: [{ text: "Rhea", mark: true }, { text: " Ranger" }], subtitle: "Warden · Research" }],
    });
    expect((await suggest(ctx, nate.actor, { q: "rhea", type: "doc" })).items).toEqual([]);
  });

  test("no word: nothing, and the query as cut", async () => {
    expect(await suggest(app.atrium.ctx, nate.actor, { q: " * " })).toEqual({ query: expect.any(String), truncated: false, items: [] });
    const long = await suggest(app.atrium.ctx, nate.actor, { q: "x".repeat(400) });
    expect(long.truncated).toBe(true);
  });
});
