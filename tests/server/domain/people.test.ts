import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, onTestFinished, test } from "vitest";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../server/domain/errors.js";
import { PHOTO_MAX_BYTES, sniffImage } from "../../../server/domain/people.js";
import type { DomainEvents } from "../../../server/events.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeDepartment, makePerson, makeTeam, profileInput, snapshotPerson } from "../../factories.js";
import { manualClock } from "../../helpers/clock.js";

const clock = manualClock("2030-06-01T12:00:00Z");
const HOUR = 3_600_000;

let app: TestApp;
let domain: TestApp["atrium"]["domain"];
let admin: Awaited<ReturnType<typeof makePerson>>;
let member: Awaited<ReturnType<typeof makePerson>>;
let other: Awaited<ReturnType<typeof makePerson>>;
const events: { name: keyof DomainEvents; payload: unknown }[] = [];

async function rejects<E extends Error>(p: Promise<unknown>, type: new (...a: any[]) => E): Promise<E> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}

const search = (q: string) => app.atrium.ctx.peopleIndex.search(q).map((r) => r.id);

// An app and fixture of their own for each test: none depends on rows another test wrote.
beforeEach(async () => {
  app = await startTestApp({ clock });
  domain = app.atrium.domain;
  for (const name of ["person.updated", "person.status", "notification.created"] as const) {
    app.atrium.ctx.bus.subscribe(name, (payload) => void events.push({ name, payload }));
  }
  admin = await makePerson(app.atrium, { role: "admin", name: "Admin Aalto" });
  member = await makePerson(app.atrium, { name: "Mira Member" });
  other = await makePerson(app.atrium, { name: "Otto Other", bio: "original bio", skills: { cobol: "expert" } });
});
afterEach(() => app?.close());

// ─── Images ──────────────────────────────────────────────────────────────────────────────────────
const pad = (head: number[], size = 64) => {
  const b = new Uint8Array(size);
  b.set(head);
  return b;
};
const PNG = pad([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = pad([0xff, 0xd8, 0xff, 0xe0]);
const GIF = pad([..."GIF89a"].map((c) => c.charCodeAt(0)));
const WEBP = pad([..."RIFF"].map((c) => c.charCodeAt(0)).concat([0x24, 0, 0, 0], [..."WEBP"].map((c) => c.charCodeAt(0))));
const SVG = new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`);

describe("sniffImage", () => {
  test("recognises PNG, JPEG, GIF and WebP by their first bytes", () => {
    expect(sniffImage(PNG)).toBe("png");
    expect(sniffImage(JPEG)).toBe("jpg");
    expect(sniffImage(GIF)).toBe("gif");
    expect(sniffImage(WEBP)).toBe("webp");
  });

  test("refuses SVG, text, HTML, truncated headers and a RIFF that is not WebP", () => {
    expect(sniffImage(SVG)).toBeNull();
    expect(sniffImage(new TextEncoder().encode("just some text, not an image"))).toBeNull();
    expect(sniffImage(new TextEncoder().encode("<html><script>alert(1)</script></html>"))).toBeNull();
    expect(sniffImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    expect(sniffImage(new Uint8Array([0xff, 0xd8]))).toBeNull();
    expect(sniffImage(new Uint8Array([]))).toBeNull();
    expect(sniffImage(pad([..."RIFF....WAVE"].map((c) => c.charCodeAt(0))))).toBeNull();
  });
});

test("the shortest headers are recognised and one byte less is not", () => {
  const bytes = (xs: (number | string)[]) => new Uint8Array(xs.flatMap((x) => (typeof x === "string" ? [...x].map((c) => c.charCodeAt(0)) : [x])));
  const cases: [Uint8Array, string][] = [
    [bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "png"],
    [bytes([0xff, 0xd8, 0xff]), "jpg"],
    [bytes(["GIF89a"]), "gif"],
    [bytes(["RIFF", 0x24, 0, 0, 0, "WEBP"]), "webp"],
  ];
  for (const [b, kind] of cases) {
    expect(sniffImage(b)).toBe(kind);
    expect(sniffImage(b.slice(0, b.length - 1))).toBeNull();
  }
  // Each check reads its own bytes: one wrong byte is not an image.
  expect(sniffImage(bytes([0x89, 0x50, 0x4e, 0x00, 0, 0, 0, 0]))).toBeNull();
  expect(sniffImage(bytes([0x89, 0x50, 0x00, 0x47, 0, 0, 0, 0]))).toBeNull();
  expect(sniffImage(bytes([0x89, 0x00, 0x4e, 0x47, 0, 0, 0, 0]))).toBeNull();
  expect(sniffImage(bytes([0x00, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).toBeNull();
  expect(sniffImage(bytes([0xff, 0xd8, 0x00]))).toBeNull();
  expect(sniffImage(bytes([0xff, 0x00, 0xff]))).toBeNull();
  expect(sniffImage(bytes([0x00, 0xd8, 0xff]))).toBeNull();
  expect(sniffImage(bytes(["GIF7a9"]))).toBeNull();
  expect(sniffImage(bytes(["RIFX", 0x24, 0, 0, 0, "WEBP"]))).toBeNull();
});

describe("setPhoto / removePhoto", () => {
  const upload = (name: string) => path.join(app.atrium.ctx.env.UPLOAD_DIR, name);

  test("a person uploads a photo; a new one replaces the old file; removal deletes it", async () => {
    const p = await makePerson(app.atrium);
    const first = await domain.people.setPhoto(p.actor, p.user.id, PNG);
    expect(first).toMatch(new RegExp(`^${p.user.id}-[0-9a-f]{12}\\.png$`));
    expect(readFileSync(upload(first))).toEqual(Buffer.from(PNG));
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).photoPath).toBe(first);

    const second = await domain.people.setPhoto(p.actor, p.user.id, JPEG);
    expect(second).toMatch(/\.jpg$/);
    expect(existsSync(upload(first))).toBe(false);
    expect(existsSync(upload(second))).toBe(true);
    expect((await domain.people.getProfile(p.actor, p.user.id)).photoUrl).toBe(`/uploads/${second}`);

    await domain.people.removePhoto(p.actor, p.user.id);
    expect(existsSync(upload(second))).toBe(false);
    const profile = await domain.people.getProfile(p.actor, p.user.id);
    expect(profile.photoUrl).toBeNull();
    expect(profile.initials).toMatch(/^[A-Z0-9]{1,2}$/);
  });

  test("oversized, empty and non-image uploads are refused with a message and nothing is written", async () => {
    const p = await makePerson(app.atrium);
    const before = await snapshotPerson(app.atrium, p.user.id);
    const big = new Uint8Array(PHOTO_MAX_BYTES + 1);
    big.set(PNG);
    expect((await rejects(domain.people.setPhoto(p.actor, p.user.id, big), ValidationError)).fieldErrors.photo).toEqual([
      "Photos must be 2 MB or smaller.",
    ]);
    expect((await rejects(domain.people.setPhoto(p.actor, p.user.id, SVG), ValidationError)).fieldErrors.photo).toEqual([
      "Photos must be PNG, JPEG, GIF or WebP images.",
    ]);
    expect((await rejects(domain.people.setPhoto(p.actor, p.user.id, new Uint8Array()), ValidationError)).fieldErrors.photo).toEqual([
      "Choose an image file.",
    ]);
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
  });

  test("exactly 2 MB is accepted", async () => {
    const p = await makePerson(app.atrium);
    const max = new Uint8Array(PHOTO_MAX_BYTES);
    max.set(GIF);
    expect(await domain.people.setPhoto(p.actor, p.user.id, max)).toMatch(/\.gif$/);
  });

  test("a member cannot set or remove someone else's photo; an admin can", async () => {
    const p = await makePerson(app.atrium);
    await domain.people.setPhoto(p.actor, p.user.id, PNG);
    const before = await snapshotPerson(app.atrium, p.user.id);
    await rejects(domain.people.setPhoto(member.actor, p.user.id, WEBP), ForbiddenError);
    await rejects(domain.people.removePhoto(member.actor, p.user.id), ForbiddenError);
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
    expect(existsSync(upload(before.user.photoPath!))).toBe(true);

    await domain.people.setPhoto(admin.actor, p.user.id, WEBP);
    await domain.people.removePhoto(admin.actor, p.user.id);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).photoPath).toBeNull();
  });

  test("the check made before an upload's body is read: the person and admins may, another member may not", async () => {
    const p = await makePerson(app.atrium);
    await domain.people.assertCanSetPhoto(p.actor, p.user.id);
    await domain.people.assertCanSetPhoto(admin.actor, p.user.id);
    await rejects(domain.people.assertCanSetPhoto(member.actor, p.user.id), ForbiddenError);
    await rejects(domain.people.assertCanSetPhoto({ ...p.actor, active: false }, p.user.id), ForbiddenError);
  });

  test("unknown people are 404", async () => {
    await rejects(domain.people.setPhoto(admin.actor, "nobody", PNG), NotFoundError);
    await rejects(domain.people.removePhoto(admin.actor, "nobody"), NotFoundError);
  });
});

// ─── Profiles ────────────────────────────────────────────────────────────────────────────────────
describe("updateProfile", () => {
  test("a person edits their own profile; the directory sees it at once", async () => {
    const p = await makePerson(app.atrium);
    events.length = 0;
    await domain.people.updateProfile(p.actor, p.user.id, {
      name: "  Ada Lovelace ",
      pronouns: "she/her",
      location: "London",
      timeZone: "Europe/London",
      bio: "Analytical engines.",
      links: [{ label: "Site", url: "https://ada.example" }, { label: "Mail", url: "mailto:ada@example.test" }],
      skills: [
        { name: "Mathematics", level: "expert" },
        { name: "poetry", level: "learning" },
      ],
    });
    const e = await domain.people.getEditableProfile(p.actor, p.user.id);
    expect(e).toMatchObject({
      name: "Ada Lovelace",
      pronouns: "she/her",
      location: "London",
      timeZone: "Europe/London",
      bio: "Analytical engines.",
      links: [{ label: "Site", url: "https://ada.example" }, { label: "Mail", url: "mailto:ada@example.test" }],
    });
    expect(e.skills.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "mathematics", level: "expert" },
      { name: "poetry", level: "learning" },
    ]);
    expect(await app.atrium.db.skill.findUnique({ where: { name: "mathematics" } })).toMatchObject({ label: "Mathematics" });
    expect(search("mathematics")).toEqual([p.user.id]);
    expect(search("lovelace")).toEqual([p.user.id]);
    expect(events).toContainEqual({ name: "person.updated", payload: { userId: p.user.id } });
  });

  test("saving again replaces the skill list", async () => {
    const p = await makePerson(app.atrium, { skills: { fortran: "expert" } });
    expect(search("fortran")).toEqual([p.user.id]);
    await domain.people.updateProfile(p.actor, p.user.id, profileInput({ skills: [{ name: "ocaml", level: "mentor" }] }));
    expect((await domain.people.getEditableProfile(p.actor, p.user.id)).skills).toEqual([{ name: "ocaml", level: "mentor" }]);
    expect(search("fortran")).toEqual([]);
    expect(search("ocaml")).toEqual([p.user.id]);
  });

  test("saving one person's skills leaves everyone else's", async () => {
    const bystander = await makePerson(app.atrium, { skills: { elixir: "mentor" } });
    const p = await makePerson(app.atrium, { skills: { elixir: "learning" } });
    await domain.people.updateProfile(p.actor, p.user.id, profileInput({ skills: [] }));
    expect((await snapshotPerson(app.atrium, p.user.id)).skills).toEqual([]);
    expect((await domain.people.getEditableProfile(bystander.actor, bystander.user.id)).skills).toEqual([{ name: "elixir", level: "mentor" }]);
  });

  test("a member cannot edit someone else's profile: 403, and the row and index are unchanged", async () => {
    const before = await snapshotPerson(app.atrium, other.user.id);
    events.length = 0;
    const err = await rejects(
      domain.people.updateProfile(member.actor, other.user.id, profileInput({ name: "Hacked", bio: "pwned", skills: [{ name: "pwnage", level: "expert" }] })),
      ForbiddenError,
    );
    expect(err.status).toBe(403);
    expect(await snapshotPerson(app.atrium, other.user.id)).toEqual(before);
    expect(search("pwnage")).toEqual([]);
    expect(search("cobol")).toEqual([other.user.id]);
    expect(await app.atrium.db.skill.findUnique({ where: { name: "pwnage" } })).toBeNull();
    expect(events).toEqual([]);
  });

  test("an admin may edit someone's profile", async () => {
    const p = await makePerson(app.atrium);
    await domain.people.updateProfile(admin.actor, p.user.id, profileInput({ name: "Edited By Admin" }));
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).name).toBe("Edited By Admin");
    await rejects(domain.people.updateProfile(admin.actor, "nobody", profileInput()), NotFoundError);
  });

  test.each([
    ["a too-long bio", { bio: "x".repeat(2001) }, "bio", "Bio must be at most 2000 characters."],
    ["a bad time zone", { timeZone: "Mars/Olympus_Mons" }, "timeZone", "Choose a valid time zone, e.g. Europe/Paris."],
    ["an empty name", { name: "   " }, "name", "Name is required."],
    ["a link that is not a URL", { links: [{ label: "Home", url: "not a url" }] }, "links.0.url", "Enter a full address starting with https://"],
    ["a javascript: link", { links: [{ label: "Click", url: "javascript:alert(1)" }] }, "links.0.url", "Only http, https and mailto links are allowed."],
    ["a link without a label", { links: [{ label: "", url: "https://ok.example" }] }, "links.0.label", "Link label is required."],
    ["duplicate skills (case-insensitive)", { skills: [{ name: "Go", level: "expert" }, { name: "go", level: "learning" }] }, "skills", "Each skill may appear only once."],
    ["a skill with markup in its name", { skills: [{ name: "<b>x</b>", level: "expert" }] }, "skills.0.name", "Skill names use letters, digits, spaces and . + # - /"],
    ["a skill without a level", { skills: [{ name: "rust", level: "guru" }] }, "skills.0.level", "Choose a level."],
    ["too many links", { links: Array.from({ length: 9 }, (_, i) => ({ label: `L${i}`, url: `https://e.example/${i}` })) }, "links", "At most 8 links."],
  ])("%s is refused with a field message and nothing is written", async (_label, over, field, message) => {
    const before = await snapshotPerson(app.atrium, member.user.id);
    const skillCount = await app.atrium.db.skill.count();
    const err = await rejects(domain.people.updateProfile(member.actor, member.user.id, profileInput({ bio: "changed", ...over })), ValidationError);
    // The first message for the field is the one that explains it (a non-URL also fails the scheme check).
    expect(err.fieldErrors[field]?.[0]).toBe(message);
    expect(Object.keys(err.fieldErrors)).toEqual([field]);
    expect(await snapshotPerson(app.atrium, member.user.id)).toEqual(before);
    expect(await app.atrium.db.skill.count()).toBe(skillCount);
  });

  test("several bad fields are all reported at once", async () => {
    const err = await rejects(
      domain.people.updateProfile(member.actor, member.user.id, profileInput({ bio: "x".repeat(2001), timeZone: "Nowhere/Land", pronouns: "p".repeat(41) })),
      ValidationError,
    );
    expect(Object.keys(err.fieldErrors).sort()).toEqual(["bio", "pronouns", "timeZone"]);
  });

  test("HTML and script text is stored verbatim, not escaped or stripped", async () => {
    const p = await makePerson(app.atrium);
    const bio = `<script>alert("x")</script> & <b>bold</b> "quotes" 'single' <img src=x onerror=alert(1)>`;
    const name = `</title><script>1</script>`;
    await domain.people.updateProfile(p.actor, p.user.id, profileInput({ name, bio, location: "<i>Oslo</i>" }));
    const row = await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } });
    expect(row.bio).toBe(bio);
    expect(row.name).toBe(name);
    expect(row.location).toBe("<i>Oslo</i>");
    const profile = await domain.people.getProfile(member.actor, p.user.id);
    expect(profile.bio).toBe(bio);
    expect(profile.name).toBe(name);
  });
});

describe("skills with synonyms in profiles", () => {
  test('a profile skill "k8s" resolves to kubernetes when the synonym exists', async () => {
    await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes", synonyms: { create: { name: "k8s" } } } });
    const p = await makePerson(app.atrium);
    await domain.people.updateProfile(p.actor, p.user.id, profileInput({ skills: [{ name: "K8s", level: "mentor" }] }));
    expect((await domain.people.getEditableProfile(p.actor, p.user.id)).skills).toEqual([{ name: "kubernetes", level: "mentor" }]);
    expect(await app.atrium.db.skill.findUnique({ where: { name: "k8s" } })).toBeNull();
    expect(search("k8s")).toContain(p.user.id);
    expect(search("kubernetes")).toContain(p.user.id);
  });

  test('"tf" and "terraform" on one profile become one skill, keeping the first level', async () => {
    await app.atrium.db.skill.create({ data: { name: "terraform", label: "Terraform", synonyms: { create: { name: "tf" } } } });
    const p = await makePerson(app.atrium);
    await domain.people.updateProfile(
      p.actor,
      p.user.id,
      profileInput({
        skills: [
          { name: "tf", level: "expert" },
          { name: "terraform", level: "learning" },
        ],
      }),
    );
    expect((await domain.people.getEditableProfile(p.actor, p.user.id)).skills).toEqual([{ name: "terraform", level: "expert" }]);
  });
});

describe("getEditableProfile", () => {
  test("self and admins get the form values; another member is refused", async () => {
    expect((await domain.people.getEditableProfile(member.actor, member.user.id)).id).toBe(member.user.id);
    expect((await domain.people.getEditableProfile(admin.actor, other.user.id)).bio).toBe("original bio");
    await rejects(domain.people.getEditableProfile(member.actor, other.user.id), ForbiddenError);
    await rejects(domain.people.getEditableProfile(admin.actor, "nobody"), NotFoundError);
  });
});

describe("updateHrFields", () => {
  test("an admin sets title, department, manager and teams; the person and the manager are notified", async () => {
    const dept = await makeDepartment(app.atrium, "Platform Engineering");
    const [t1, t2] = [await makeTeam(app.atrium, { name: "SRE Guild" }), await makeTeam(app.atrium, { name: "Infra" })];
    const boss = await makePerson(app.atrium, { name: "Boss Person" });
    const p = await makePerson(app.atrium, { name: "Report Person" });
    events.length = 0;
    await domain.people.updateHrFields(admin.actor, p.user.id, {
      email: "Report.Person@Example.test",
      title: "Staff Engineer",
      departmentId: dept.id,
      managerId: boss.user.id,
      teamIds: [t1.id, t2.id, t1.id],
    });
    const snap = await snapshotPerson(app.atrium, p.user.id);
    expect(snap.user).toMatchObject({ email: "report.person@example.test", title: "Staff Engineer", departmentId: dept.id, managerId: boss.user.id });
    expect(snap.teams.map((t) => t.teamId).sort()).toEqual([t1.id, t2.id].sort());
    expect(snap.notifications.map((n) => n.title)).toEqual([
      expect.stringMatching(/^An administrator updated your profile and added you to (SRE Guild, Infra|Infra, SRE Guild)$/),
    ]);
    const bossNotes = await app.atrium.db.notification.findMany({ where: { userId: boss.user.id } });
    expect(bossNotes.map((n) => n.title)).toEqual(["Report Person now reports to you"]);
    expect(app.atrium.ctx.peopleIndex.filterOnly({ departmentId: dept.id })).toEqual([p.user.id]);
    expect(app.atrium.ctx.peopleIndex.filterOnly({ teamId: t2.id })).toEqual([p.user.id]);
    expect(search("staff engineer")[0]).toBe(p.user.id);

    // Dropping a team removes only that membership.
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: "report.person@example.test", title: "Staff Engineer", departmentId: dept.id, managerId: boss.user.id, teamIds: [t2.id] });
    expect((await snapshotPerson(app.atrium, p.user.id)).teams.map((t) => t.teamId)).toEqual([t2.id]);
    expect(app.atrium.ctx.peopleIndex.filterOnly({ teamId: t1.id })).toEqual([]);
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: "report.person@example.test", teamIds: [] });
    expect((await snapshotPerson(app.atrium, p.user.id)).teams).toEqual([]);
    expect(app.atrium.ctx.peopleIndex.filterOnly({ teamId: t2.id })).toEqual([]);
  });

  test("a member cannot change HR fields, not even their own: 403 and nothing changes", async () => {
    const dept = await makeDepartment(app.atrium);
    for (const target of [member, other]) {
      const before = await snapshotPerson(app.atrium, target.user.id);
      await rejects(
        domain.people.updateHrFields(member.actor, target.user.id, { email: target.user.email, title: "CEO", departmentId: dept.id, managerId: null, teamIds: [] }),
        ForbiddenError,
      );
      expect(await snapshotPerson(app.atrium, target.user.id)).toEqual(before);
    }
  });

  test("unknown department, team and manager, self-management and a taken email are field errors; nothing written", async () => {
    const p = await makePerson(app.atrium);
    const before = await snapshotPerson(app.atrium, p.user.id);
    const err = await rejects(
      domain.people.updateHrFields(admin.actor, p.user.id, {
        email: other.user.email,
        title: "New title",
        departmentId: "no-such-department",
        managerId: "no-such-person",
        teamIds: ["no-such-team"],
      }),
      ValidationError,
    );
    expect(err.fieldErrors).toEqual({
      email: ["Someone else already has this email address."],
      departmentId: ["Choose an existing department."],
      managerId: ["Choose an existing person."],
      teamIds: ["Choose existing teams."],
    });
    const self = await rejects(
      domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, managerId: p.user.id }),
      ValidationError,
    );
    expect(self.fieldErrors.managerId).toEqual(["A person cannot be their own manager."]);
    const bad = await rejects(domain.people.updateHrFields(admin.actor, p.user.id, { email: "not-an-email", title: "t".repeat(101) }), ValidationError);
    expect(Object.keys(bad.fieldErrors).sort()).toEqual(["email", "title"]);
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
  });

  test("a manager cycle is refused and nothing is written", async () => {
    const top = await makePerson(app.atrium, { name: "Top" });
    const mid = await makePerson(app.atrium, { name: "Mid", managerId: top.user.id });
    const low = await makePerson(app.atrium, { name: "Low", managerId: mid.user.id });
    const before = await snapshotPerson(app.atrium, top.user.id);
    const err = await rejects(domain.people.updateHrFields(admin.actor, top.user.id, { email: top.user.email, managerId: low.user.id }), ValidationError);
    expect(err.fieldErrors.managerId).toEqual(["That would make a reporting cycle (the manager reports to this person)."]);
    expect(await snapshotPerson(app.atrium, top.user.id)).toEqual(before);
  });

  test("an admin editing themselves is not notified; unknown people are 404", async () => {
    const before = await app.atrium.db.notification.count({ where: { userId: admin.user.id } });
    await domain.people.updateHrFields(admin.actor, admin.user.id, { email: admin.user.email, title: "Head of People" });
    expect(await app.atrium.db.notification.count({ where: { userId: admin.user.id } })).toBe(before);
    await rejects(domain.people.updateHrFields(admin.actor, "nobody", { email: "x@example.test" }), NotFoundError);
  });
});

describe("getProfile", () => {
  test("shows the manager chain, active direct reports, and what the viewer may edit", async () => {
    const ceo = await makePerson(app.atrium, { name: "Cee Eo" });
    const vp = await makePerson(app.atrium, { name: "Vee Pee", managerId: ceo.user.id });
    const lead = await makePerson(app.atrium, { name: "Lee Dee", managerId: vp.user.id, timeZone: "Asia/Tokyo" });
    await makePerson(app.atrium, { name: "Bea Report", managerId: lead.user.id });
    await makePerson(app.atrium, { name: "Al Report", managerId: lead.user.id });
    await makePerson(app.atrium, { name: "Gone Report", managerId: lead.user.id, active: false });

    const asMember = await domain.people.getProfile(member.actor, lead.user.id);
    expect(asMember.managerChain.map((m) => m.name)).toEqual(["Vee Pee", "Cee Eo"]);
    expect(asMember.reports.map((m) => m.name)).toEqual(["Al Report", "Bea Report"]);
    expect(asMember.timeZone).toBe("Asia/Tokyo");
    expect(asMember).toMatchObject({ canEdit: false, canEditHr: false, isSelf: false, presence: "offline" });
    expect(JSON.stringify(asMember)).not.toMatch(/passwordHash|argon2/);

    expect(await domain.people.getProfile(lead.actor, lead.user.id)).toMatchObject({ canEdit: true, canEditHr: false, isSelf: true });
    expect(await domain.people.getProfile(admin.actor, lead.user.id)).toMatchObject({ canEdit: true, canEditHr: true });
  });

  test("a corrupted manager cycle in the data does not loop", async () => {
    const a = await makePerson(app.atrium);
    const b = await makePerson(app.atrium, { managerId: a.user.id });
    await app.atrium.db.user.update({ where: { id: a.user.id }, data: { managerId: b.user.id } });
    const profile = await domain.people.getProfile(member.actor, a.user.id);
    expect(profile.managerChain.map((m) => m.id)).toEqual([b.user.id]);
  });

  test("links that are not http(s)/mailto are never shown, even if stored", async () => {
    const p = await makePerson(app.atrium);
    await app.atrium.db.user.update({
      where: { id: p.user.id },
      data: { links: JSON.stringify([{ label: "x", url: "javascript:alert(1)" }, { label: "ok", url: "https://ok.example" }]) },
    });
    expect((await domain.people.getProfile(member.actor, p.user.id)).links).toEqual([{ label: "ok", url: "https://ok.example" }]);
  });

  test("unknown person → 404", async () => {
    const err = await rejects(domain.people.getProfile(member.actor, "no-such-id"), NotFoundError);
    expect(err.status).toBe(404);
  });
});

describe("setStatus", () => {
  test("sets a custom status with emoji and until, announces it, and it lapses after until", async () => {
    const p = await makePerson(app.atrium);
    const until = new Date(clock.t + 2 * HOUR).toISOString();
    events.length = 0;
    await domain.people.setStatus(p.actor, { text: "<b>In a workshop</b>", emoji: "🛠️", until });
    expect(events).toEqual([
      { name: "person.status", payload: { userId: p.user.id, statusText: "<b>In a workshop</b>", statusEmoji: "🛠️", statusUntil: until } },
    ]);
    expect((await domain.people.getProfile(member.actor, p.user.id)).status).toEqual({ text: "<b>In a workshop</b>", emoji: "🛠️", until });
    clock.t += 2 * HOUR;
    expect((await domain.people.getProfile(member.actor, p.user.id)).status).toBeNull();
  });

  test("a form's zone-less until is a wall time in the person's profile zone", async () => {
    // clock: 2030-06-01 12:00 UTC = 22:00 in Sydney (AEST, UTC+10 in June); restored afterwards.
    const saved = clock.t;
    clock.t = Date.parse("2030-06-01T12:00:00Z");
    onTestFinished(() => void (clock.t = saved));
    const p = await makePerson(app.atrium, { timeZone: "Australia/Sydney" });
    await domain.people.setStatus(p.actor, { text: "Off tonight", until: "2030-06-01T23:30" });
    const row = await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } });
    expect(row.statusUntil?.toISOString()).toBe("2030-06-01T13:30:00.000Z");
    // The same wall time in UTC would be later, and for a London person it is BST (UTC+1).
    const q = await makePerson(app.atrium, { timeZone: "Europe/London" });
    await domain.people.setStatus(q.actor, { text: "Out", until: "2030-06-01T23:30" });
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: q.user.id } })).statusUntil?.toISOString()).toBe("2030-06-01T22:30:00.000Z");
    // 21:00 in Sydney has already passed at 22:00 there: refused, though 21:00 UTC is still ahead.
    expect((await rejects(domain.people.setStatus(p.actor, { text: "x", until: "2030-06-01T21:00" }), ValidationError)).fieldErrors.until).toEqual(["Choose a time in the future."]);
  });

  test("clearing a status", async () => {
    const p = await makePerson(app.atrium);
    await domain.people.setStatus(p.actor, { text: "Lunch", emoji: "🥪" });
    await domain.people.setStatus(p.actor, {});
    expect(await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).toMatchObject({ statusText: "", statusEmoji: "", statusUntil: null });
  });

  test("a past until, an invalid date and too-long text are refused; nothing written", async () => {
    const p = await makePerson(app.atrium);
    await domain.people.setStatus(p.actor, { text: "Before" });
    const before = await snapshotPerson(app.atrium, p.user.id);
    events.length = 0;
    expect((await rejects(domain.people.setStatus(p.actor, { text: "x", until: new Date(clock.t - 1000).toISOString() }), ValidationError)).fieldErrors.until).toEqual([
      "Choose a time in the future.",
    ]);
    expect((await rejects(domain.people.setStatus(p.actor, { text: "x", until: "next tuesday-ish" }), ValidationError)).fieldErrors.until).toEqual([
      "Enter a valid date and time.",
    ]);
    expect((await rejects(domain.people.setStatus(p.actor, { text: "x".repeat(101) }), ValidationError)).fieldErrors.text).toEqual([
      "Status must be at most 100 characters.",
    ]);
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
    expect(events).toEqual([]);
  });

  test("a deactivated actor cannot set a status", async () => {
    const p = await makePerson(app.atrium);
    await rejects(domain.people.setStatus({ ...p.actor, active: false }, { text: "ghost" }), ForbiddenError);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).statusText).toBe("");
  });
});

describe("directoryFilters, whoIsAround, listPeopleOptions", () => {
  test("filters list departments, teams, distinct locations and only skills someone holds", async () => {
    await makeDepartment(app.atrium, "Filter Listed Dept");
    await makeTeam(app.atrium, { name: "Zulu Filter Team" });
    await makeTeam(app.atrium, { name: "Alpha Filter Team" });
    await makePerson(app.atrium, { location: "Lisbon" });
    await makePerson(app.atrium, { location: "Lisbon" });
    await app.atrium.db.skill.create({ data: { name: "unheld-skill", label: "Unheld" } });
    const f = await domain.people.directoryFilters();
    expect(f.locations.filter((l) => l === "Lisbon")).toEqual(["Lisbon"]);
    expect(f.locations).not.toContain("");
    expect(f.skills.map((s) => s.name)).toContain("cobol");
    expect(f.skills.map((s) => s.name)).not.toContain("unheld-skill");
    expect(f.departments.map((d) => d.name)).toContain("Filter Listed Dept");
    expect(f.teams.map((t) => t.name)).toEqual([...f.teams.map((t) => t.name)].sort());
  });

  test("who is around lists online and away people, not the viewer, not the deactivated", async () => {
    const on = await makePerson(app.atrium, { name: "Zed Online" });
    const away = await makePerson(app.atrium, { name: "Yan Away" });
    const gone = await makePerson(app.atrium, { name: "Xo Gone" });
    const presence = app.atrium.presence;
    presence.connect(on.user.id, "sock-on");
    presence.connect(away.user.id, "sock-away");
    presence.setIdle("sock-away", true);
    presence.connect(member.user.id, "sock-me");
    presence.connect(gone.user.id, "sock-gone");
    await domain.accounts.deactivateUser(admin.actor, gone.user.id);
    try {
      const around = await domain.people.whoIsAround(member.actor);
      expect(around.map((p) => [p.name, p.presence])).toEqual([
        ["Yan Away", "away"],
        ["Zed Online", "online"],
      ]);
    } finally {
      for (const u of [on, away, member]) presence.forget(u.user.id);
    }
  });

  test("people options are the active people by name", async () => {
    const opts = await domain.people.listPeopleOptions();
    const names = opts.map((o) => o.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(names).not.toContain("Xo Gone");
    expect(names).toContain("Mira Member");
    expect(Object.keys(opts[0]!).sort()).toEqual(["id", "name"]);
  });
});

describe("updateHrFields: what is recorded and who is told", () => {
  const hrAudits = async (userId: string) =>
    (await app.atrium.db.auditEvent.findMany({ where: { action: "person.hr_updated", targetId: userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((r) => ({
      actorId: r.actorId,
      targetType: r.targetType,
      summary: r.summary,
      changes: JSON.parse(r.details).changes,
    }));

  test("each changed field is audited with its old and new value; saving the same values records nothing", async () => {
    const dept = await makeDepartment(app.atrium);
    const t = await makeTeam(app.atrium);
    const boss = await makePerson(app.atrium);
    const p = await makePerson(app.atrium, { name: "Hana Hr", title: "Engineer" });
    const input = { email: p.user.email, title: "Senior Engineer", departmentId: dept.id, managerId: boss.user.id, teamIds: [t.id] };
    await domain.people.updateHrFields(admin.actor, p.user.id, input);
    await domain.people.updateHrFields(admin.actor, p.user.id, input);
    await domain.people.updateHrFields(admin.actor, p.user.id, { ...input, email: "hana@example.test" });
    expect(await hrAudits(p.user.id)).toEqual([
      {
        actorId: admin.user.id,
        targetType: "user",
        summary: "Changed Hana Hr's HR fields: title, departmentId, managerId, teamIds",
        changes: {
          title: { from: "Engineer", to: "Senior Engineer" },
          departmentId: { from: null, to: dept.id },
          managerId: { from: null, to: boss.user.id },
          teamIds: { from: [], to: [t.id] },
        },
      },
      { actorId: admin.user.id, targetType: "user", summary: "Changed Hana Hr's HR fields: email", changes: { email: { from: p.user.email, to: "hana@example.test" } } },
    ]);
  });

  test("changing one person's teams keeps their other memberships as they were and leaves everyone else's", async () => {
    const [kept, dropped] = [await makeTeam(app.atrium), await makeTeam(app.atrium)];
    const bystander = await makePerson(app.atrium, { teamIds: [kept.id, dropped.id] });
    const p = await makePerson(app.atrium, { teamIds: [kept.id, dropped.id] });
    const joinedAt = new Date("2029-01-01T00:00:00Z");
    await app.atrium.db.teamMembership.update({ where: { userId_teamId: { userId: p.user.id, teamId: kept.id } }, data: { joinedAt } });
    const others = await snapshotPerson(app.atrium, bystander.user.id);
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, teamIds: [kept.id] });
    expect((await snapshotPerson(app.atrium, p.user.id)).teams).toEqual([{ userId: p.user.id, teamId: kept.id, joinedAt }]);
    expect((await snapshotPerson(app.atrium, bystander.user.id)).teams).toEqual(others.teams);
  });

  test("teams given out of order are recorded in order; an unknown person's 404 names a person", async () => {
    const [a, b] = [await makeTeam(app.atrium), await makeTeam(app.atrium)];
    const [first, second] = [a.id, b.id].sort();
    const p = await makePerson(app.atrium);
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, teamIds: [second, first] });
    expect((await hrAudits(p.user.id)).map((r) => r.changes)).toEqual([{ teamIds: { from: [], to: [first, second] } }]);
    const err = await rejects(domain.people.updateHrFields(admin.actor, "nobody", { email: "nobody@example.test" }), NotFoundError);
    expect(err.message).toBe("That person was not found.");
  });

  test("a reporting cycle elsewhere in the data does not stop someone joining it from outside", async () => {
    const a = await makePerson(app.atrium);
    const b = await makePerson(app.atrium, { managerId: a.user.id });
    await app.atrium.db.user.update({ where: { id: a.user.id }, data: { managerId: b.user.id } });
    const p = await makePerson(app.atrium);
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, managerId: a.user.id });
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).managerId).toBe(a.user.id);
  });

  test("the same teams in another order are no change", async () => {
    const [a, b] = [await makeTeam(app.atrium), await makeTeam(app.atrium)];
    const p = await makePerson(app.atrium, { teamIds: [a.id, b.id] });
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, teamIds: [b.id, a.id] });
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, teamIds: [a.id, b.id] });
    expect(await hrAudits(p.user.id)).toEqual([]);
    expect((await snapshotPerson(app.atrium, p.user.id)).teams.map((m) => m.teamId).sort()).toEqual([a.id, b.id].sort());
  });

  test("the person is told about their job details, naming only teams they newly joined, and it is announced", async () => {
    const [kept, added] = [await makeTeam(app.atrium, { name: "Kept Team" }), await makeTeam(app.atrium, { name: "Added Team" })];
    const p = await makePerson(app.atrium, { teamIds: [kept.id] });
    events.length = 0;
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, title: "Analyst", teamIds: [kept.id, added.id] });
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, title: "Lead Analyst", teamIds: [kept.id, added.id] });
    const notes = (await snapshotPerson(app.atrium, p.user.id)).notifications;
    expect(notes.map((n) => ({ type: n.type, title: n.title, link: n.link }))).toEqual([
      { type: "profile.hr-updated", title: "An administrator updated your profile and added you to Added Team", link: `/people/${p.user.id}` },
      { type: "profile.hr-updated", title: "An administrator updated your job details", link: `/people/${p.user.id}` },
    ]);
    expect(events.filter((e) => e.name === "person.updated")).toEqual([
      { name: "person.updated", payload: { userId: p.user.id } },
      { name: "person.updated", payload: { userId: p.user.id } },
    ]);
  });

  test("a new manager is told once, with a link to the person; not again on a re-save, and not when the manager made the change", async () => {
    const boss = await makePerson(app.atrium, { name: "Bo Boss" });
    const p = await makePerson(app.atrium, { name: "Rae Report" });
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, managerId: boss.user.id });
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, managerId: boss.user.id, title: "Re-saved" });
    const notes = (await snapshotPerson(app.atrium, boss.user.id)).notifications;
    expect(notes.map((n) => ({ type: n.type, title: n.title, link: n.link }))).toEqual([{ type: "org.report", title: "Rae Report now reports to you", link: `/people/${p.user.id}` }]);

    const adminBoss = await makePerson(app.atrium, { role: "admin" });
    const q = await makePerson(app.atrium);
    await domain.people.updateHrFields(adminBoss.actor, q.user.id, { email: q.user.email, managerId: adminBoss.user.id });
    expect((await snapshotPerson(app.atrium, adminBoss.user.id)).notifications).toEqual([]);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: q.user.id } })).managerId).toBe(adminBoss.user.id);
  });

  test("a manager further up a long chain is no cycle; the person at its top is", async () => {
    const chain = [await makePerson(app.atrium)];
    for (let i = 0; i < 5; i++) chain.push(await makePerson(app.atrium, { managerId: chain[i]!.user.id }));
    const p = await makePerson(app.atrium);
    // p under the bottom of the chain: p is nowhere above it.
    await domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, managerId: chain[5]!.user.id });
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).managerId).toBe(chain[5]!.user.id);
    // The top of the chain under p: p reports (through six people) to the top.
    const before = await snapshotPerson(app.atrium, chain[0]!.user.id);
    const err = await rejects(domain.people.updateHrFields(admin.actor, chain[0]!.user.id, { email: chain[0]!.user.email, managerId: p.user.id }), ValidationError);
    expect(err.fieldErrors).toEqual({ managerId: ["That would make a reporting cycle (the manager reports to this person)."] });
    expect(await snapshotPerson(app.atrium, chain[0]!.user.id)).toEqual(before);
  });

  test("one unknown team among known ones is refused; nothing written", async () => {
    const t = await makeTeam(app.atrium);
    const p = await makePerson(app.atrium);
    const before = await snapshotPerson(app.atrium, p.user.id);
    const err = await rejects(domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, teamIds: [t.id, "no-such-team"] }), ValidationError);
    expect(err.fieldErrors).toEqual({ teamIds: ["Choose existing teams."] });
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
  });

  test("a manager who is deactivated is still a person, but one who does not exist is refused alone", async () => {
    const p = await makePerson(app.atrium);
    const err = await rejects(domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, managerId: "no-such-person" }), ValidationError);
    expect(err.fieldErrors).toEqual({ managerId: ["Choose an existing person."] });
    const dept = await rejects(domain.people.updateHrFields(admin.actor, p.user.id, { email: p.user.email, departmentId: "no-such-department" }), ValidationError);
    expect(dept.fieldErrors).toEqual({ departmentId: ["Choose an existing department."] });
  });
});

describe("status, photo and profile edges", () => {
  test("an until of exactly now is refused", async () => {
    const p = await makePerson(app.atrium);
    const err = await rejects(domain.people.setStatus(p.actor, { text: "now", until: new Date(clock.t).toISOString() }), ValidationError);
    expect(err.fieldErrors).toEqual({ until: ["Choose a time in the future."] });
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).statusText).toBe("");
    await domain.people.setStatus(p.actor, { text: "soon", until: new Date(clock.t + 60_000).toISOString() });
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).statusUntil?.getTime()).toBe(clock.t + 60_000);
  });

  test("a form's until with spaces around it is read in the person's zone; a status without until announces null", async () => {
    const p = await makePerson(app.atrium, { timeZone: "Asia/Tokyo" });
    const wall = new Date(clock.t + 9 * HOUR + 2 * HOUR).toISOString().slice(0, 16); // two hours ahead, Tokyo's wall time
    await domain.people.setStatus(p.actor, { text: "Away", until: `  ${wall} ` });
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).statusUntil?.getTime()).toBe(clock.t + 2 * HOUR);
    events.length = 0;
    await domain.people.setStatus(p.actor, { text: "Here", emoji: "👋" });
    expect(events).toEqual([{ name: "person.status", payload: { userId: p.user.id, statusText: "Here", statusEmoji: "👋", statusUntil: null } }]);
  });

  test("a photo change and a removal are announced", async () => {
    const p = await makePerson(app.atrium);
    events.length = 0;
    await domain.people.setPhoto(p.actor, p.user.id, PNG);
    await domain.people.removePhoto(p.actor, p.user.id);
    expect(events).toEqual([
      { name: "person.updated", payload: { userId: p.user.id } },
      { name: "person.updated", payload: { userId: p.user.id } },
    ]);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).photoPath).toBeNull();
  });

  test("a manager chain shows at most twelve managers", async () => {
    const chain = [await makePerson(app.atrium)];
    for (let i = 0; i < 13; i++) chain.push(await makePerson(app.atrium, { managerId: chain[i]!.user.id }));
    const bottom = chain[13]!;
    const expected = chain.slice(1, 13).reverse().map((c) => c.user.id);
    const { getProfile } = await import("../../../server/domain/people.js");
    for (const reads of [app.atrium.ctx.reads, undefined]) {
      const profile = await getProfile({ ...app.atrium.ctx, reads }, member.actor, bottom.user.id);
      expect(profile.managerChain.map((m) => m.id)).toEqual(expected);
    }
  });

  test("the edit form's values are the profile's own fields", async () => {
    const dept = await makeDepartment(app.atrium);
    const t = await makeTeam(app.atrium);
    const boss = await makePerson(app.atrium);
    const p = await makePerson(app.atrium, { name: "Eda Edit", title: "Designer", location: "Rome", timeZone: "Europe/Rome", departmentId: dept.id, managerId: boss.user.id, teamIds: [t.id], skills: { figma: "expert" } });
    await app.atrium.db.user.update({ where: { id: p.user.id }, data: { pronouns: "she/her", links: JSON.stringify([{ label: "Site", url: "https://eda.example" }]) } });
    expect(await domain.people.getEditableProfile(p.actor, p.user.id)).toEqual({
      id: p.user.id,
      name: "Eda Edit",
      email: p.user.email,
      pronouns: "she/her",
      location: "Rome",
      timeZone: "Europe/Rome",
      bio: "",
      links: [{ label: "Site", url: "https://eda.example" }],
      skills: [{ name: "figma", level: "expert" }],
      photoPath: null,
      title: "Designer",
      departmentId: dept.id,
      managerId: boss.user.id,
      teamIds: [t.id],
    });
  });

  test("directory filters read the same with prepared SQL as through Prisma, each list in order", async () => {
    await makeDepartment(app.atrium, "Zz Filter Dept");
    await makeDepartment(app.atrium, "Aa Filter Dept");
    await makePerson(app.atrium, { location: "Zagreb", skills: { "zz-skill": "expert" } });
    await makePerson(app.atrium, { location: "Aachen", skills: { "aa-skill": "learning" } });
    await makePerson(app.atrium, { location: "Zagreb" });
    await makePerson(app.atrium, { location: "Atlantis", active: false });
    await makeTeam(app.atrium, { name: "Zz Filter Team" });
    await makeTeam(app.atrium, { name: "Aa Filter Team" });
    await app.atrium.db.skill.create({ data: { name: "unheld-filter-skill", label: "Unheld" } });
    const { directoryFilters } = await import("../../../server/domain/people.js");
    // Through the prepared reads: one statement per list, no Prisma.
    const real = app.atrium.ctx.reads!;
    const statements: string[] = [];
    const reads = { ...real, all: <T,>(q: string, ...params: Parameters<typeof real.all>[1][]) => (statements.push(q), real.all<T>(q, ...params)) };
    const sql = await directoryFilters({ ...app.atrium.ctx, reads });
    expect(statements).toHaveLength(4);
    expect(sql).toEqual(await directoryFilters({ ...app.atrium.ctx, reads: undefined }));
    const sorted = (xs: string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(sql.locations.filter((l) => l === "Zagreb")).toEqual(["Zagreb"]);
    expect(sql.skills.map((k) => k.name)).not.toContain("unheld-filter-skill");
    expect(sql.teams.map((t) => t.name)).toEqual(sorted(sql.teams.map((t) => t.name)));
    expect(sql.teams.map((t) => t.name)).toEqual(expect.arrayContaining(["Aa Filter Team", "Zz Filter Team"]));
    expect(sql.departments.map((d) => d.name)).toEqual(sorted(sql.departments.map((d) => d.name)));
    expect(sql.locations).toEqual(sorted(sql.locations));
    expect(sql.skills.map((k) => k.name)).toEqual(sorted(sql.skills.map((k) => k.name)));
    expect(sql.locations).toEqual(expect.arrayContaining(["Aachen", "Zagreb"]));
    expect(sql.locations).not.toContain("Atlantis");
    expect(sql.skills).toEqual(expect.arrayContaining([{ name: "aa-skill", label: "aa-skill" }]));
  });

  test("who is around is at most the limit, by name", async () => {
    const people = [await makePerson(app.atrium, { name: "Lim C" }), await makePerson(app.atrium, { name: "Lim A" }), await makePerson(app.atrium, { name: "Lim B" })];
    const presence = app.atrium.presence;
    for (const p of people) presence.connect(p.user.id, `sock-${p.user.id}`);
    try {
      expect((await domain.people.whoIsAround(member.actor, 2)).map((p) => p.name)).toEqual(["Lim A", "Lim B"]);
    } finally {
      for (const p of people) presence.forget(p.user.id);
    }
    expect(await domain.people.whoIsAround(member.actor)).toEqual([]);
  });
});

describe("people verbs: the edges a broken version would pass", () => {
  test("people options leave out a deactivated person and are by name, not by when they joined", async () => {
    await makePerson(app.atrium, { name: "Zoe Options" });
    await makePerson(app.atrium, { name: "Bea Options" });
    const gone = await makePerson(app.atrium, { name: "Cal Gone" });
    await app.atrium.db.user.update({ where: { id: gone.user.id }, data: { active: false } });
    expect((await domain.people.listPeopleOptions()).map((o) => o.name)).toEqual(["Admin Aalto", "Bea Options", "Mira Member", "Otto Other", "Zoe Options"]);
  });

  test("removing a photo from someone who has none clears nothing else and is announced", async () => {
    const p = await makePerson(app.atrium);
    const before = await snapshotPerson(app.atrium, p.user.id);
    events.length = 0;
    await domain.people.removePhoto(p.actor, p.user.id);
    const after = await snapshotPerson(app.atrium, p.user.id);
    expect({ ...after, user: { ...after.user, updatedAt: null } }).toEqual({ ...before, user: { ...before.user, updatedAt: null } });
    expect(events).toEqual([{ name: "person.updated", payload: { userId: p.user.id } }]);
  });

  test("a new photo replaces one whose file is already gone", async () => {
    const p = await makePerson(app.atrium);
    await app.atrium.db.user.update({ where: { id: p.user.id }, data: { photoPath: `${p.user.id}-gone.png` } });
    const file = await domain.people.setPhoto(p.actor, p.user.id, PNG);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).photoPath).toBe(file);
    await app.atrium.db.user.update({ where: { id: p.user.id }, data: { photoPath: `${p.user.id}-gone.png` } });
    await domain.people.removePhoto(p.actor, p.user.id);
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).photoPath).toBeNull();
  });

  test("every person verb's 404 names a person", async () => {
    // Each call starts when its turn comes: one started early would reject with no one awaiting it yet.
    const calls: [string, () => Promise<unknown>][] = [
      ["getProfile", () => domain.people.getProfile(admin.actor, "nobody")],
      ["getEditableProfile", () => domain.people.getEditableProfile(admin.actor, "nobody")],
      ["updateProfile", () => domain.people.updateProfile(admin.actor, "nobody", profileInput())],
      ["setPhoto", () => domain.people.setPhoto(admin.actor, "nobody", PNG)],
      ["removePhoto", () => domain.people.removePhoto(admin.actor, "nobody")],
    ];
    for (const [verb, call] of calls) expect((await rejects(call(), NotFoundError)).message, verb).toBe("That person was not found.");
    expect(await app.atrium.db.user.count({ where: { id: "nobody" } })).toBe(0);
  });

  test("a status that is not a form (null, a string, a list) is a field error, not a crash; nothing written", async () => {
    const p = await makePerson(app.atrium);
    const before = await snapshotPerson(app.atrium, p.user.id);
    events.length = 0;
    for (const input of [null, "Away", ["Away"], 42]) {
      const err = await rejects(domain.people.setStatus(p.actor, input), ValidationError);
      expect(err.status, JSON.stringify(input)).toBe(422);
    }
    expect(await snapshotPerson(app.atrium, p.user.id)).toEqual(before);
    expect(events).toEqual([]);
  });

  test("an until that is already a full ISO instant is taken as it is, not moved by the person's zone", async () => {
    const p = await makePerson(app.atrium, { timeZone: "Asia/Tokyo" });
    const until = new Date(clock.t + 3 * HOUR).toISOString();
    await domain.people.setStatus(p.actor, { text: "Flying", until });
    expect((await app.atrium.db.user.findUniqueOrThrow({ where: { id: p.user.id } })).statusUntil?.toISOString()).toBe(until);
  });

  test("the index document holds every searchable field, an empty department for someone without one", async () => {
    const dept = await makeDepartment(app.atrium, "Doc Dept");
    const t = await makeTeam(app.atrium, { name: "Doc Team" });
    const t2 = await makeTeam(app.atrium, { name: "Second Crew" });
    await app.atrium.db.skill.create({ data: { name: "kubernetes", label: "Kubernetes", synonyms: { create: [{ name: "k8s" }] } } });
    const p = await makePerson(app.atrium, { name: "Dee Doc", title: "Writer", bio: "Writes docs", location: "Oslo", departmentId: dept.id, teamIds: [t.id, t2.id], skills: { kubernetes: "expert", go: "mentor", rust: "learning" } });
    const { toPersonDoc } = await import("../../../server/domain/people.js");
    const row = await app.atrium.db.user.findUniqueOrThrow({
      where: { id: p.user.id },
      include: {
        department: { select: { id: true, name: true } },
        teams: { select: { team: { select: { id: true, name: true } } } },
        skills: { select: { level: true, skill: { select: { id: true, name: true, label: true, synonyms: { select: { name: true } } } } } },
      },
    });
    const doc = toPersonDoc(row);
    expect({ ...doc, teams: doc.teams.split(" ").sort().join(" "), teamIds: [...doc.teamIds].sort(), skillNames: [...doc.skillNames].sort() }).toEqual({
      id: p.user.id,
      name: "Dee Doc",
      title: "Writer",
      bio: "Writes docs",
      department: "Doc Dept",
      teams: "Crew Doc Second Team",
      location: "Oslo",
      skillsExpert: "kubernetes k8s",
      skillsMentor: "go",
      skillsLearning: "rust",
      departmentId: dept.id,
      teamIds: [t.id, t2.id].sort(),
      skillNames: ["go", "kubernetes", "rust"],
    });
    expect(toPersonDoc({ ...row, department: null, departmentId: null }).department).toBe("");
  });

  test("reports with the same name are listed by id, through both reads, whichever joined first", async () => {
    const boss = await makePerson(app.atrium, { name: "Tie Boss" });
    for (const id of ["zz-tie-report", "aa-tie-report"]) {
      await app.atrium.db.user.create({ data: { id, email: `${id}@example.test`, name: "Sam Same", managerId: boss.user.id } });
    }
    const { getProfile } = await import("../../../server/domain/people.js");
    for (const reads of [app.atrium.ctx.reads, undefined]) {
      expect((await getProfile({ ...app.atrium.ctx, reads }, member.actor, boss.user.id)).reports.map((r) => r.id)).toEqual(["aa-tie-report", "zz-tie-report"]);
    }
  });

  test("re-indexing a skill's holders re-reads those holders, the active ones only, and no one else", async () => {
    const holder = await makePerson(app.atrium, { skills: { haskell: "mentor", ocaml: "expert" } });
    await makePerson(app.atrium, { skills: { haskell: "expert" }, active: false });
    await makePerson(app.atrium, { skills: { ocaml: "expert" } });
    const { reindexPeopleWithSkill } = await import("../../../server/domain/people.js");
    const skill = await app.atrium.db.skill.findUniqueOrThrow({ where: { name: "haskell" } });
    const upserted: string[] = [];
    const removed: string[] = [];
    const recorder = { upsert: (doc: { id: string }) => void upserted.push(doc.id), remove: (id: string) => void removed.push(id) };
    await reindexPeopleWithSkill({ ...app.atrium.ctx, peopleIndex: recorder as unknown as typeof app.atrium.ctx.peopleIndex }, skill.id);
    expect(upserted).toEqual([holder.user.id]);
    expect(removed).toEqual([]);
  });

  test("a profile is read through the prepared statements: the person, each manager up the chain and the reports", async () => {
    const top = await makePerson(app.atrium, { name: "Pat Top" });
    const mid = await makePerson(app.atrium, { name: "Pam Mid", managerId: top.user.id });
    const p = await makePerson(app.atrium, { name: "Pip Prepared", managerId: mid.user.id });
    await makePerson(app.atrium, { name: "Rae Report", managerId: p.user.id });
    const real = app.atrium.ctx.reads!;
    const ones: unknown[][] = [];
    const alls: unknown[][] = [];
    const reads = {
      one: <T,>(q: string, ...params: Parameters<typeof real.one>[1][]) => (ones.push(params), real.one<T>(q, ...params)),
      all: <T,>(q: string, ...params: Parameters<typeof real.all>[1][]) => (alls.push(params), real.all<T>(q, ...params)),
      close: () => undefined,
    };
    const { getProfile } = await import("../../../server/domain/people.js");
    const profile = await getProfile({ ...app.atrium.ctx, reads }, member.actor, p.user.id);
    expect(profile.managerChain.map((m) => m.name)).toEqual(["Pam Mid", "Pat Top"]);
    expect(profile.reports.map((r) => r.name)).toEqual(["Rae Report"]);
    expect(ones).toEqual([[p.user.id], [mid.user.id], [top.user.id]]);
    expect(alls).toContainEqual([p.user.id]);
  });
});
