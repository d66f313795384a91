import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ForbiddenError, ValidationError } from "../../../server/domain/errors.js";
import { resolveSkills } from "../../../server/domain/skills.js";
import type { DomainEvents } from "../../../server/events.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson, profileInput } from "../../factories.js";
import { manualClock } from "../../helpers/clock.js";

const clock = manualClock("2030-06-01T12:00:00Z");
let app: TestApp;
let domain: TestApp["atrium"]["domain"];
type P = Awaited<ReturnType<typeof makePerson>>;
let admin: P, member: P, holder: P;
const events: DomainEvents["org.changed"][] = [];

async function rejects<E extends Error>(p: Promise<unknown>, type: new (...a: any[]) => E): Promise<E> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}

const search = (q: string) => app.atrium.ctx.peopleIndex.search(q).map((r) => r.id);
const synonyms = async () => (await app.atrium.db.skillSynonym.findMany({ orderBy: { name: "asc" } })).map((s) => s.name);
const audits = (action: string, targetId: string) => app.atrium.db.auditEvent.findMany({ where: { action, targetId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
let seq = 0;
/** A vocabulary entry of this test's own, optionally with synonyms. */
const makeSkill = (name: string, label = name, syn: string[] = []) =>
  app.atrium.db.skill.create({ data: { name: `${name}${++seq}`, label, synonyms: { create: syn.map((n) => ({ name: `${n}${seq}` })) } }, include: { synonyms: true } });

beforeAll(async () => {
  app = await startTestApp({ clock });
  domain = app.atrium.domain;
  app.atrium.ctx.bus.subscribe("org.changed", (p) => void events.push(p));
  admin = await makePerson(app.atrium, { role: "admin" });
  member = await makePerson(app.atrium);
  holder = await makePerson(app.atrium, { name: "Hal Holder", skills: { javascript: "expert", postgresql: "mentor" } });
});
afterAll(() => app?.close());

describe("resolveSkills", () => {
  test("known names map to their skill, unknown names join the vocabulary with a label", async () => {
    const js = await app.atrium.db.skill.findUniqueOrThrow({ where: { name: "javascript" } });
    const out = await resolveSkills(app.atrium.db, ["  JavaScript ", "machine learning"]);
    expect(out.get("javascript")).toBe(js.id);
    const ml = await app.atrium.db.skill.findUniqueOrThrow({ where: { name: "machine learning" } });
    expect(ml.label).toBe("Machine Learning");
    expect(out.get("machine learning")).toBe(ml.id);
    // Resolving again does not duplicate the vocabulary entry.
    const again = await resolveSkills(app.atrium.db, ["machine learning"]);
    expect(again.get("machine learning")).toBe(ml.id);
    expect(await app.atrium.db.skill.count({ where: { name: "machine learning" } })).toBe(1);
  });

  test('a synonym resolves to its skill: "k8s" → kubernetes, without creating a "k8s" skill', async () => {
    const k = await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes", synonyms: { create: { name: "k8s" } } } });
    const out = await resolveSkills(app.atrium.db, ["K8S"]);
    expect(out.get("k8s")).toBe(k.id);
    expect(await app.atrium.db.skill.findUnique({ where: { name: "k8s" } })).toBeNull();
  });
});

describe("addSynonym", () => {
  test("adding a synonym later makes existing holders findable by it", async () => {
    expect(search("js")).not.toContain(holder.user.id);
    events.length = 0;
    await domain.skills.addSynonym(admin.actor, { skill: "JavaScript", synonym: " JS " });
    expect(await synonyms()).toContain("js");
    expect(search("js")).toContain(holder.user.id);
    expect(events).toEqual([{ kind: "skill" }]);
    const js = await app.atrium.db.skill.findUniqueOrThrow({ where: { name: "javascript" } });
    const [row, ...more] = await audits("skill.synonym_added", js.id);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ actorId: admin.user.id, targetType: "skill", targetId: js.id, summary: 'Made "js" a synonym of javascript' });
    // And a profile typed with the synonym now lands on the canonical skill.
    const p = await makePerson(app.atrium);
    await domain.people.updateProfile(p.actor, p.user.id, profileInput({ skills: [{ name: "js", level: "learning" }] }));
    expect((await domain.people.getEditableProfile(p.actor, p.user.id)).skills).toEqual([{ name: "javascript", level: "learning" }]);
  });

  test("a member cannot add synonyms; the vocabulary and index are unchanged", async () => {
    const before = await synonyms();
    events.length = 0;
    await rejects(domain.skills.addSynonym(member.actor, { skill: "postgresql", synonym: "postgres" }), ForbiddenError);
    expect(await synonyms()).toEqual(before);
    // Prefix search still finds "postgresql"; what must not exist is the indexed term "postgres".
    const found = app.atrium.ctx.peopleIndex.search("postgres", {});
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((r) => !r.terms.includes("postgres"))).toBe(true);
    expect(events).toEqual([]);
  });

  test.each([
    ["the same name as the skill", { skill: "postgresql", synonym: "PostgreSQL" }, "synonym", "A synonym must differ from the skill."],
    ["an unknown skill", { skill: "cobol-2099", synonym: "c99" }, "skill", "No such skill in the vocabulary."],
    ["a name that is itself a skill", { skill: "postgresql", synonym: "javascript" }, "synonym", '"javascript" is itself a skill; merge is not supported yet.'],
    ["a synonym already in use", { skill: "postgresql", synonym: "psql" }, "synonym", '"psql" is already a synonym.'],
    ["an empty synonym", { skill: "postgresql", synonym: "  " }, "synonym", "Synonym is required."],
    ["a too-long synonym", { skill: "postgresql", synonym: "p".repeat(41) }, "synonym", "Synonyms are at most 40 characters."],
  ])("%s is refused with a field message and nothing written", async (_label, input, field, message) => {
    await app.atrium.db.skillSynonym.upsert({ where: { name: "psql" }, create: { name: "psql", skill: { connect: { name: "postgresql" } } }, update: {} });
    const before = await synonyms();
    const audited = await app.atrium.db.auditEvent.count();
    events.length = 0;
    const err = await rejects(domain.skills.addSynonym(admin.actor, input), ValidationError);
    expect(err.fieldErrors).toEqual({ [field]: [message] });
    expect(await synonyms()).toEqual(before);
    expect(await app.atrium.db.auditEvent.count()).toBe(audited);
    expect(events).toEqual([]);
  });
});

describe("removeSynonym", () => {
  test("holders are no longer found by a removed synonym", async () => {
    await domain.skills.addSynonym(admin.actor, { skill: "postgresql", synonym: "pg" });
    expect(search("pg")).toEqual([holder.user.id]);
    await domain.skills.removeSynonym(admin.actor, " PG ");
    expect(await synonyms()).not.toContain("pg");
    expect(search("pg")).toEqual([]);
    expect(search("postgresql")).toEqual([holder.user.id]);
  });

  test("a member cannot remove synonyms; the synonym stays", async () => {
    await domain.skills.addSynonym(admin.actor, { skill: "postgresql", synonym: "postgre" });
    const audited = await app.atrium.db.auditEvent.count();
    events.length = 0;
    await rejects(domain.skills.removeSynonym(member.actor, "postgre"), ForbiddenError);
    expect(await synonyms()).toContain("postgre");
    expect(await app.atrium.db.auditEvent.count()).toBe(audited);
    expect(events).toEqual([]);
  });

  test("removing an unknown synonym is a field error; nothing written", async () => {
    const before = await synonyms();
    const audited = await app.atrium.db.auditEvent.count();
    events.length = 0;
    const err = await rejects(domain.skills.removeSynonym(admin.actor, "never-was"), ValidationError);
    expect(err.fieldErrors).toEqual({ synonym: ["No such synonym."] });
    expect(await synonyms()).toEqual(before);
    expect(await app.atrium.db.auditEvent.count()).toBe(audited);
    expect(events).toEqual([]);
  });

  test("removing a synonym is audited against its skill and announced", async () => {
    const s = await makeSkill("rust", "Rust", ["rs"]);
    const [syn] = s.synonyms;
    events.length = 0;
    await domain.skills.removeSynonym(admin.actor, syn.name);
    const [row, ...more] = await audits("skill.synonym_removed", s.id);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ actorId: admin.user.id, targetType: "skill", targetId: s.id, summary: `Removed the synonym "${syn.name}"` });
    expect(row.createdAt.toISOString()).toBe("2030-06-01T12:00:00.000Z");
    expect(events).toEqual([{ kind: "skill" }]);
    expect(await app.atrium.db.skillSynonym.findUnique({ where: { name: syn.name } })).toBeNull();
  });
});

test("listVocabulary gives skills by name with labels, synonyms and holder counts", async () => {
  // Written out of name order, so the list's order is its own.
  const zig = await makeSkill("zig", "Zig", ["ziglang", "zg"]);
  const ada = await makeSkill("ada", "Ada");
  await makePerson(app.atrium, { skills: { [zig.name]: "expert" } });
  await makePerson(app.atrium, { skills: { [zig.name]: "learning", [ada.name]: "mentor" } });
  const vocab = await domain.skills.listVocabulary();
  expect(vocab.map((s) => s.name)).toEqual([...vocab.map((s) => s.name)].sort());
  expect(vocab.findIndex((s) => s.id === ada.id)).toBeLessThan(vocab.findIndex((s) => s.id === zig.id));
  expect(vocab.find((s) => s.id === zig.id)).toEqual({ id: zig.id, name: zig.name, label: "Zig", synonyms: expect.arrayContaining(zig.synonyms.map((x) => x.name)), holders: 2 });
  expect(vocab.find((s) => s.id === zig.id)?.synonyms).toHaveLength(2);
  expect(vocab.find((s) => s.id === ada.id)).toEqual({ id: ada.id, name: ada.name, label: "Ada", synonyms: [], holders: 1 });
});
