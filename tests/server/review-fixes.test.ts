/**
 * Regressions for gaps found while reviewing the foundation: helpers bound as verbs, synonyms in the
 * skill filter, department deletion with deactivated people, team leads as members, sockets that
 * outlive their session, and sockets opened from another site.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, sessionCookieFor, type TestApp } from "./../helpers/app.js";
import { clientFor, connect, waitFor } from "./../helpers/server-socket.js";
import { makeDepartment, makePerson, makeTeam } from "./../factories.js";

let app: TestApp;
let now = new Date("2026-11-23T09:00:00Z");
const clock = { now: () => now };

beforeAll(async () => {
  app = await startTestApp({ clock });
});
afterAll(() => app?.close());

describe("createDomain", () => {
  test("binds verbs only: pure helpers are not exposed as context-bound verbs", () => {
    const d = app.atrium.domain as unknown as Record<string, Record<string, unknown>>;
    expect(d.accounts.hashPassword).toBeUndefined();
    expect(d.people.sniffImage).toBeUndefined();
    expect(d.people.toPersonDoc).toBeUndefined();
    expect(d.skills.resolveSkills).toBeUndefined();
    expect(typeof d.accounts.signIn).toBe("function");
  });
});

describe("directory and organisation", () => {
  test("the skill filter accepts a synonym", async () => {
    const admin = await makePerson(app.atrium, { role: "admin" });
    const holder = await makePerson(app.atrium, { name: "Kube Holder" });
    await app.atrium.domain.people.updateProfile(holder.actor, holder.user.id, {
      name: "Kube Holder",
      timeZone: "UTC",
      skills: [{ name: "kubernetes", level: "expert" }],
    });
    await app.atrium.domain.skills.addSynonym(admin.actor, { skill: "kubernetes", synonym: "k8s" });
    const page = await app.atrium.domain.people.searchDirectory(holder.actor, { skill: "k8s" });
    expect(page.people.map((p) => p.id)).toEqual([holder.user.id]);
  });

  test("deactivated people do not block deleting their department", async () => {
    const admin = await makePerson(app.atrium, { role: "admin" });
    const dept = await makeDepartment(app.atrium);
    const gone = await makePerson(app.atrium, { departmentId: dept.id });
    await app.atrium.domain.accounts.deactivateUser(admin.actor, gone.user.id);
    await app.atrium.domain.org.deleteDepartment(admin.actor, dept.id);
    expect(await app.atrium.db.department.findUnique({ where: { id: dept.id } })).toBeNull();
    expect((await app.atrium.db.user.findUnique({ where: { id: gone.user.id } }))?.departmentId).toBeNull();
  });

  test("a department with one active person names them in the singular", async () => {
    const admin = await makePerson(app.atrium, { role: "admin" });
    const dept = await makeDepartment(app.atrium);
    await makePerson(app.atrium, { departmentId: dept.id });
    await expect(app.atrium.domain.org.deleteDepartment(admin.actor, dept.id)).rejects.toMatchObject({
      fieldErrors: { form: ["Move its 1 person to another department first."] },
    });
  });

  test("a new team lead set by updateTeam becomes a member", async () => {
    const admin = await makePerson(app.atrium, { role: "admin" });
    const lead = await makePerson(app.atrium);
    const team = await makeTeam(app.atrium);
    await app.atrium.domain.org.updateTeam(admin.actor, team.id, { name: team.name, leadId: lead.user.id });
    const m = await app.atrium.db.teamMembership.findUnique({ where: { userId_teamId: { userId: lead.user.id, teamId: team.id } } });
    expect(m).not.toBeNull();
  });
});

describe("sockets", () => {
  test("a socket is closed when its session expires", async () => {
    const p = await makePerson(app.atrium);
    const cookie = await sessionCookieFor(app.atrium, p.user.email, p.password);
    const session = await app.atrium.db.session.findFirstOrThrow({ where: { userId: p.user.id } });
    now = new Date(session.expiresAt.getTime() - 300);
    // In use until a minute ago (inside the idle timeout), so only the absolute lifetime ends it.
    await app.atrium.db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now.getTime() - 60_000) } });
    try {
      const { socket } = await connect(app.url, cookie);
      const ended = await waitFor(socket, "session.ended", () => true, 3_000);
      expect(ended.reason).toBe("expired");
      await new Promise<void>((r) => (socket.connected ? socket.once("disconnect", () => r()) : r()));
      expect(socket.connected).toBe(false);
    } finally {
      now = new Date("2026-11-23T09:00:00Z");
    }
  });

  test("a socket opened from another site's page is refused", async () => {
    const p = await makePerson(app.atrium);
    const cookie = await sessionCookieFor(app.atrium, p.user.email, p.password);
    const { io } = await import("socket.io-client");
    const foreign = io(app.url, { transports: ["websocket"], extraHeaders: { cookie, origin: "https://evil.example" }, reconnection: false, forceNew: true });
    const outcome = await new Promise<string>((resolve) => {
      foreign.once("connect", () => resolve("connected"));
      foreign.once("connect_error", () => resolve("refused"));
    });
    foreign.close();
    expect(outcome).toBe("refused");
    const same = clientFor(app.url, cookie);
    await new Promise<void>((resolve, reject) => {
      same.once("connect", () => resolve());
      same.once("connect_error", reject);
    });
    same.close();
  });
});
