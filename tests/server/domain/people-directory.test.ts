/**
 * The directory verb (people.searchDirectory) over a small fixture: an expert, a mentor and a
 * learner in kubernetes, plus someone unrelated. Proves ranking, filters, synonyms, deactivation
 * and live re-indexing through the real domain verbs.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ValidationError } from "../../../server/domain/errors.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { makeDepartment, makePerson, makeTeam, profileInput } from "../../factories.js";
import { searchDirectory } from "../../../server/domain/people.js";
import type { SqlReads } from "../../../server/db-reads.js";

let app: TestApp;
let clock: ReturnType<typeof manualClock>;
let domain: TestApp["atrium"]["domain"];
type P = Awaited<ReturnType<typeof makePerson>>;
let admin: P, expert: P, mentor: P, learner: P, unrelated: P;
let platform: { id: string }, sales: { id: string }, ops: { id: string }, web: { id: string };

const ids = async (input: Record<string, unknown>) => (await domain.people.searchDirectory(admin.actor, input)).people.map((p) => p.id);

/** 30 people in a department of their own, each a zigbee mentor: more than a page of 24. */
async function makePagers() {
  const dept = await makeDepartment(app.atrium, "Paging");
  for (let i = 0; i < 30; i++) {
    await makePerson(app.atrium, { name: `Pager ${String(i).padStart(2, "0")}`, departmentId: dept.id, skills: { zigbee: "mentor" } });
  }
  return dept;
}

// Each test has an app and fixture of its own (tests below edit profiles, deactivate people and
// add many more), so none depends on what another did before it.
beforeEach(async () => {
  clock = manualClock("2031-06-02T09:00:00Z");
  app = await startTestApp({ clock });
  domain = app.atrium.domain;
  platform = await makeDepartment(app.atrium, "Platform");
  sales = await makeDepartment(app.atrium, "Sales");
  ops = await makeTeam(app.atrium, { name: "Ops" });
  web = await makeTeam(app.atrium, { name: "Web" });
  admin = await makePerson(app.atrium, { role: "admin", name: "Admin Adminson" });
  // Created learner-first so insertion order cannot explain the ranking.
  learner = await makePerson(app.atrium, {
    name: "Lee Learner",
    departmentId: sales.id,
    location: "Berlin",
    bio: "Keen to learn kubernetes this year.",
    skills: { kubernetes: "learning" },
  });
  mentor = await makePerson(app.atrium, { name: "Mo Mentor", departmentId: platform.id, teamIds: [web.id], location: "Lisbon", skills: { kubernetes: "mentor", react: "expert" } });
  expert = await makePerson(app.atrium, {
    name: "Erin Expert",
    departmentId: platform.id,
    teamIds: [ops.id],
    location: "Berlin",
    timeZone: "Europe/Berlin",
    skills: { kubernetes: "expert", terraform: "expert", go: "expert", aws: "mentor" },
  });
  unrelated = await makePerson(app.atrium, { name: "Una Unrelated", departmentId: sales.id, location: "Lisbon", skills: { excel: "expert" } });
});
afterEach(() => app?.close());

describe("ranking", () => {
  test('"kubernetes" ranks the expert first and the learner last', async () => {
    const page = await domain.people.searchDirectory(admin.actor, { q: "kubernetes" });
    expect(page.people.map((p) => p.id)).toEqual([expert.user.id, mentor.user.id, learner.user.id]);
    expect(page.total).toBe(3);
  });

  test("prefix and typo queries keep the same order", async () => {
    expect(await ids({ q: "kube" })).toEqual([expert.user.id, mentor.user.id, learner.user.id]);
    expect(await ids({ q: "kubernets" })).toEqual([expert.user.id, mentor.user.id, learner.user.id]);
  });

  test("a name query finds the person", async () => {
    expect((await ids({ q: "una" }))[0]).toBe(unrelated.user.id);
    expect(await ids({ q: "no-such-person-anywhere" })).toEqual([]);
  });

  test("a synonym added later makes existing holders findable by it, in the same order", async () => {
    expect(await ids({ q: "k8s" })).toEqual([]);
    await domain.skills.addSynonym(admin.actor, { skill: "kubernetes", synonym: "k8s" });
    expect(await ids({ q: "k8s" })).toEqual([expert.user.id, mentor.user.id, learner.user.id]);
  });
});

describe("filters", () => {
  test("department, team, location and skill narrow a query", async () => {
    expect(await ids({ q: "kubernetes", department: platform.id })).toEqual([expert.user.id, mentor.user.id]);
    expect(await ids({ q: "kubernetes", team: web.id })).toEqual([mentor.user.id]);
    expect(await ids({ q: "kubernetes", location: "berlin" })).toEqual([expert.user.id, learner.user.id]);
    expect(await ids({ q: "kubernetes", skill: "react" })).toEqual([mentor.user.id]);
    expect(await ids({ q: "kubernetes", department: sales.id, location: "Lisbon" })).toEqual([]);
  });

  test("without a query, filters browse alphabetically", async () => {
    expect(await ids({ department: sales.id })).toEqual([learner.user.id, unrelated.user.id]);
    expect(await ids({ team: ops.id })).toEqual([expert.user.id]);
    expect(await ids({ location: "Lisbon" })).toEqual([mentor.user.id, unrelated.user.id]);
    expect(await ids({ skill: "Kubernetes" })).toEqual([expert.user.id, learner.user.id, mentor.user.id]);
    expect(await ids({ skill: "excel", location: "Berlin" })).toEqual([]);
  });

  test("a skill filter named by a synonym, in any case and with spaces around it, means its skill", async () => {
    await domain.skills.addSynonym(admin.actor, { skill: "kubernetes", synonym: "k8s" });
    expect(await ids({ skill: "  K8s " })).toEqual([expert.user.id, learner.user.id, mentor.user.id]);
    expect(await ids({ q: "kubernetes", skill: " k8s", department: platform.id })).toEqual([expert.user.id, mentor.user.id]);
    expect(await ids({ skill: "   " })).toHaveLength(5);
  });

  test("an empty query and no filter lists everyone active", async () => {
    const page = await domain.people.searchDirectory(admin.actor, {});
    expect(page.total).toBe(5);
    expect(page.people.map((p) => p.name)).toEqual(["Admin Adminson", "Erin Expert", "Lee Learner", "Mo Mentor", "Una Unrelated"]);
  });

  test("bad query input is a validation error", async () => {
    await expect(domain.people.searchDirectory(admin.actor, { q: "x".repeat(201) })).rejects.toBeInstanceOf(ValidationError);
    await expect(domain.people.searchDirectory(admin.actor, { page: "0" })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("results", () => {
  test("each card carries presence, time zone and skills by level, and nothing private", async () => {
    app.atrium.presence.connect(expert.user.id, "sock-expert");
    try {
      const [card] = (await domain.people.searchDirectory(admin.actor, { q: "erin" })).people;
      expect(card).toMatchObject({
        id: expert.user.id,
        name: "Erin Expert",
        initials: "EE",
        presence: "online",
        timeZone: "Europe/Berlin",
        location: "Berlin",
        department: { id: platform.id, name: "Platform" },
        teams: [{ id: ops.id, name: "Ops" }],
      });
      expect(card!.skills.map((s) => s.level)).toEqual(["expert", "expert", "expert", "mentor"]);
      expect(JSON.stringify(card)).not.toMatch(/passwordHash|argon2|email/);
    } finally {
      app.atrium.presence.forget(expert.user.id);
    }
    const [offline] = (await domain.people.searchDirectory(admin.actor, { q: "erin" })).people;
    expect(offline!.presence).toBe("offline");
  });

  test("pages of 24, ranked or alphabetical", async () => {
    const dept = await makePagers();
    const browse2 = await domain.people.searchDirectory(admin.actor, { department: dept.id, page: "2" });
    expect(browse2).toMatchObject({ total: 30, page: 2, pageSize: 24 });
    expect(browse2.people.map((p) => p.name)).toEqual(["Pager 24", "Pager 25", "Pager 26", "Pager 27", "Pager 28", "Pager 29"]);
    const q1 = await domain.people.searchDirectory(admin.actor, { q: "zigbee", page: 1 });
    const q2 = await domain.people.searchDirectory(admin.actor, { q: "zigbee", page: 2 });
    expect(q1.total).toBe(30);
    expect(q1.people).toHaveLength(24);
    expect(q2.people).toHaveLength(6);
    expect(new Set([...q1.people, ...q2.people].map((p) => p.id)).size).toBe(30);
  });
});

describe("the index follows every change, without a restart", () => {
  test("a profile edit is searchable at once, and old terms are gone", async () => {
    await domain.people.updateProfile(
      learner.actor,
      learner.user.id,
      profileInput({ name: "Lee Learner", bio: "", skills: [{ name: "kubernetes", level: "expert" }, { name: "quantum knitting", level: "mentor" }] }),
    );
    expect(await ids({ q: "quantum knitting" })).toEqual([learner.user.id]);
    expect(await ids({ q: "kubernetes", department: sales.id })).toEqual([learner.user.id]);
    // Now an expert too: no longer ranked below the mentor.
    const order = await ids({ q: "kubernetes" });
    expect(order.indexOf(learner.user.id)).toBeLessThan(order.indexOf(mentor.user.id));
    await domain.people.updateProfile(learner.actor, learner.user.id, profileInput({ name: "Lee Learner", skills: [{ name: "kubernetes", level: "learning" }] }));
    expect(await ids({ q: "quantum knitting" })).toEqual([]);
    expect((await ids({ q: "kubernetes" })).at(-1)).toBe(learner.user.id);
  });

  test("an HR change (department) moves the person between filters", async () => {
    await domain.people.updateHrFields(admin.actor, unrelated.user.id, { email: unrelated.user.email, departmentId: platform.id, title: "Analyst" });
    expect(await ids({ department: platform.id })).toContain(unrelated.user.id);
    expect(await ids({ department: sales.id })).not.toContain(unrelated.user.id);
    expect(await ids({ q: "analyst" })).toEqual([unrelated.user.id]);
  });

  test("deactivated people disappear from search and browsing, and return on reactivation", async () => {
    await domain.accounts.deactivateUser(admin.actor, expert.user.id);
    expect(await ids({ q: "kubernetes" })).toEqual([mentor.user.id, learner.user.id]);
    expect(await ids({ q: "erin" })).not.toContain(expert.user.id);
    expect(await ids({ team: ops.id })).toEqual([]);
    expect(await ids({})).not.toContain(expert.user.id);
    await domain.accounts.reactivateUser(admin.actor, expert.user.id);
    expect(await ids({ q: "kubernetes" })).toEqual([expert.user.id, mentor.user.id, learner.user.id]);
  });

  test("a rebuilt index (as at start) gives the same answers as the live one", async () => {
    const before = await ids({ q: "kubernetes" });
    const { buildPeopleIndex } = await import("../../../server/domain/people.js");
    const count = await buildPeopleIndex(app.atrium.ctx);
    expect(count).toBe(await app.atrium.db.user.count({ where: { active: true } }));
    expect(await ids({ q: "kubernetes" })).toEqual(before);
  });
});

describe("the page's prepared read", () => {
  test("cards read with prepared SQL equal the Prisma read: browsing every page, a ranked query, statuses, teams and skills", async () => {
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    await makePagers();
    await makePerson(app.atrium, { name: "Sam Status", departmentId: sales.id, teamIds: [ops.id, web.id], skills: { kubernetes: "mentor", excel: "learning" } });
    await app.atrium.db.user.updateMany({ where: { name: "Sam Status" }, data: { statusText: "On leave", statusEmoji: "🌴", statusUntil: new Date(clock.now().getTime() + 86_400_000) } });
    await app.atrium.db.user.updateMany({ where: { name: "Una Unrelated" }, data: { statusText: "Old news", statusUntil: new Date(clock.now().getTime() - 86_400_000) } });
    const viaPrisma = { ...ctx, reads: undefined };
    const inputs = [{}, { page: "2" }, { page: "3" }, { q: "kubernetes" }, { q: "pager", page: "2" }];
    for (const input of inputs) {
      const sql = await searchDirectory(ctx, admin.actor, input);
      expect(sql, JSON.stringify(input)).toEqual(await searchDirectory(viaPrisma, admin.actor, input));
    }
    const sam = (await searchDirectory(ctx, admin.actor, { q: "sam status" })).people[0];
    expect(sam).toMatchObject({ name: "Sam Status", teams: [{ name: "Ops" }, { name: "Web" }].sort((a, b) => (a.name < b.name ? -1 : 1)), status: { text: "On leave", emoji: "🌴" } });
    expect((await searchDirectory(ctx, admin.actor, {})).people.length).toBe(24);
  });
});

describe("browsing everyone through Prisma", () => {
  test("lists only active people, like the prepared read, even when the index still holds someone deactivated", async () => {
    const viaPrisma = { ...app.atrium.ctx, reads: undefined };
    // Deactivated in the table behind the index's back (as by another instance, before its event arrives).
    await app.atrium.db.user.update({ where: { id: expert.user.id }, data: { active: false } });
    for (const ctx of [app.atrium.ctx, viaPrisma]) {
      const page = await searchDirectory(ctx, admin.actor, {});
      expect(page.people.map((p) => p.name), ctx.reads ? "prepared" : "Prisma").toEqual(["Admin Adminson", "Lee Learner", "Mo Mentor", "Una Unrelated"]);
    }
  });
});

describe("the profile page's prepared reads", () => {
  test("a profile (manager chain, reports, teams, skills, status), expertise and following read the same with prepared SQL as through Prisma", async () => {
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    const { getProfile } = await import("../../../server/domain/people.js");
    const { expertiseOf } = await import("../../../server/domain/questions.js");
    const { isFollowingPerson } = await import("../../../server/domain/follows.js");
    const boss = await makePerson(app.atrium, { name: "Bo Boss", departmentId: platform.id, teamIds: [web.id, ops.id], skills: { go: "expert" } });
    const gone = await makePerson(app.atrium, { name: "Ex Report", departmentId: platform.id });
    await app.atrium.db.user.update({ where: { id: boss.user.id }, data: { managerId: admin.user.id, statusText: "Travelling", statusEmoji: "✈️", pronouns: "they/them", links: JSON.stringify([{ label: "Site", url: "https://example.test" }, { label: "Bad", url: "javascript:alert(1)" }]) } });
    for (const p of [mentor, expert, gone]) await app.atrium.db.user.update({ where: { id: p.user.id }, data: { managerId: boss.user.id } });
    await app.atrium.db.user.update({ where: { id: gone.user.id }, data: { active: false } });
    const qa = domain.questions;
    const body = (text: string) => ({ json: JSON.stringify({ root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text }] }] } }) });
    for (const [title, tags] of [["How are pods scheduled here?", ["kubernetes", "ops"]], ["Which terraform backend?", ["terraform"]], ["Where do deleted answers go?", ["kubernetes"]]] as const) {
      const { id } = await qa.askQuestion(learner.actor, { title, body: body(`About ${title}`), tags: [...tags] });
      const { id: answerId } = await qa.answerQuestion(expert.actor, id, { body: body("Like this.") });
      if (title.startsWith("How")) {
        await qa.voteAnswer(mentor.actor, answerId, { value: "1" });
        await qa.voteAnswer(unrelated.actor, answerId, { value: "1" });
        await qa.acceptAnswer(learner.actor, answerId);
      }
      if (title.startsWith("Which")) await qa.voteAnswer(mentor.actor, answerId, { value: "-1" });
      if (title.startsWith("Where")) await qa.deleteAnswer(expert.actor, answerId, { reason: "wrong" });
    }
    await domain.follows.followPerson(mentor.actor, expert.user.id);
    for (const viewer of [admin, mentor, expert]) {
      for (const who of [boss, expert, mentor, gone, admin]) {
        expect(await getProfile(ctx, viewer.actor, who.user.id), `${viewer.user.name} on ${who.user.name}`).toEqual(await getProfile(viaPrisma, viewer.actor, who.user.id));
        expect(await expertiseOf(ctx, viewer.actor, who.user.id)).toEqual(await expertiseOf(viaPrisma, viewer.actor, who.user.id));
        expect(await isFollowingPerson(ctx, viewer.actor, who.user.id)).toBe(await isFollowingPerson(viaPrisma, viewer.actor, who.user.id));
      }
    }
    const p = await getProfile(ctx, admin.actor, boss.user.id);
    expect(p.managerChain.map((m) => m.id)).toEqual([admin.user.id]);
    expect(p.reports.map((r) => r.name)).toEqual(["Erin Expert", "Mo Mentor"]);
    expect(p.teams.map((t) => t.name).sort()).toEqual(["Ops", "Web"]);
    expect((await getProfile(ctx, admin.actor, expert.user.id)).managerChain.map((m) => m.id)).toEqual([boss.user.id, admin.user.id]);
    expect(await expertiseOf(ctx, admin.actor, expert.user.id)).toEqual([
      { tag: "kubernetes", label: expect.any(String), answers: 1, accepted: 1, upvotes: 2 },
      { tag: "ops", label: expect.any(String), answers: 1, accepted: 1, upvotes: 2 },
      { tag: "terraform", label: expect.any(String), answers: 1, accepted: 0, upvotes: 0 },
    ]);
    expect(await isFollowingPerson(ctx, mentor.actor, expert.user.id)).toBe(true);
    await expect(getProfile(ctx, admin.actor, "no-such-person")).rejects.toMatchObject({ status: 404 });
  });
});

describe("which read a page takes", () => {
  /** The prepared reads, recording each statement that reads person cards (the user columns with the department joined). */
  function countingReads() {
    const real = app.atrium.ctx.reads!;
    const cardReads: { sql: string; params: unknown[] }[] = [];
    const reads: SqlReads = {
      one: (sql, ...params) => real.one(sql, ...params),
      all: (sql, ...params) => {
        if (sql.includes(`LEFT JOIN "Department" d`)) cardReads.push({ sql, params });
        return real.all(sql, ...params);
      },
      close: () => undefined,
    };
    return { reads, cardReads };
  }

  test("browsing everyone pages in SQL, and a ranked page binds only that page's ids, in rank order", async () => {
    await makePagers();
    const { reads, cardReads } = countingReads();
    const ctx = { ...app.atrium.ctx, reads };
    const page2 = await searchDirectory(ctx, admin.actor, { page: "2" });
    expect(page2.people).toHaveLength(11);
    expect(cardReads.map((r) => [/ OFFSET \?$/.test(r.sql), r.params])).toEqual([[true, [24]]]);
    cardReads.length = 0;
    await searchDirectory(ctx, admin.actor, { q: "kubernetes" });
    expect(cardReads).toHaveLength(1);
    expect(cardReads[0]!.params.filter((p) => p !== null)).toEqual([expert.user.id, mentor.user.id, learner.user.id]);
    cardReads.length = 0;
    const q2 = await searchDirectory(ctx, admin.actor, { q: "zigbee", page: "2" });
    expect(cardReads).toHaveLength(1);
    expect(cardReads[0]!.params.filter((p) => p !== null)).toEqual(q2.people.map((p) => p.id));
  });

  test("people of the same name are listed by id, browsing with a filter and without, through both reads", async () => {
    const dept = await makeDepartment(app.atrium, "Namesakes");
    const { reindexPerson } = await import("../../../server/domain/people.js");
    // Created in the opposite order to their ids, so the order they were written in cannot pass for it.
    for (const id of ["zz-namesake", "aa-namesake"]) {
      await app.atrium.db.user.create({ data: { id, email: `${id}@example.test`, name: "Sam Same", departmentId: dept.id } });
      await reindexPerson(app.atrium.ctx, id);
    }
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }]) {
      for (const input of [{ department: dept.id }, {}]) {
        const listed = (await searchDirectory(ctx, admin.actor, input)).people.map((p) => p.id).filter((id) => id.endsWith("-namesake"));
        expect(listed, `${ctx.reads ? "prepared" : "Prisma"} ${JSON.stringify(input)}`).toEqual(["aa-namesake", "zz-namesake"]);
      }
    }
  });
});
