/**
 * The API's hot reads — the token check and the people list — go through prepared SQL on the read
 * connection (ctx.reads); each must answer exactly what the Prisma read answers on the same data.
 * Runs on SQLite and, with ATRIUM_TEST_DB=postgresql, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeDepartment, makePerson, makeTeam } from "../../factories.js";
import { authenticateToken } from "../../../server/domain/api-tokens.js";
import { listPeople } from "../../../server/domain/directory.js";
import { manualClock } from "../../helpers/clock.js";

const clock = manualClock("2032-03-10T09:00:00Z");

let app: TestApp;
let admin: Awaited<ReturnType<typeof makePerson>>;
let member: Awaited<ReturnType<typeof makePerson>>;
let dept: { id: string };
let team: { id: string };

beforeAll(async () => {
  app = await startTestApp({ clock });
  dept = await makeDepartment(app.atrium, "Reads");
  team = await makeTeam(app.atrium, { name: "Readers" });
  const other = await makeTeam(app.atrium, { name: "Archivists" });
  admin = await makePerson(app.atrium, { role: "admin", name: "Ada Admin", email: "ada@reads.test" });
  member = await makePerson(app.atrium, { name: "Mel Member", email: "mel@reads.test", departmentId: dept.id, teamIds: [team.id, other.id], skills: { go: "expert", sql: "learning" }, title: "Engineer", bio: "Reads things" });
  // Names that sort differently byte-wise and by locale, and a tie broken by id.
  for (const name of ["bea lower", "Bea Upper", "Cal", "Cal", "Émile Accent", "Zoë"]) await makePerson(app.atrium, { name, departmentId: dept.id, teamIds: [team.id] });
  await makePerson(app.atrium, { name: "Gone Person", active: false, skills: { go: "mentor" } });
  await app.atrium.db.user.update({ where: { id: member.user.id }, data: { photoPath: "photos/mel.png", managerId: admin.user.id } });
});
afterAll(() => app?.close());

describe("the API's prepared reads equal the Prisma reads", () => {
  test("people list: every page of a cursor walk, filters, limits, and deactivated people for an admin", async () => {
    const ctx = app.atrium.ctx;
    expect(ctx.reads).toBeDefined();
    const viaPrisma = { ...ctx, reads: undefined };
    const inputs: Record<string, string>[] = [{}, { limit: "1" }, { limit: "200" }, { department: dept.id }, { team: team.id }, { email: "MEL@reads.test" }, { active: "all" }, { active: "false" }];
    for (const input of inputs) {
      const sql = await listPeople(ctx, admin.actor, input);
      expect(sql, JSON.stringify(input)).toEqual(await listPeople(viaPrisma, admin.actor, input));
    }
    // A walk in pages of two, each page compared, until the end.
    let cursor: string | null = null;
    let seen = 0;
    do {
      const input: Record<string, string> = { limit: "2", active: "all", ...(cursor ? { cursor } : {}) };
      const sql = await listPeople(ctx, admin.actor, input);
      expect(sql).toEqual(await listPeople(viaPrisma, admin.actor, input));
      seen += sql.data.length;
      cursor = sql.nextCursor;
    } while (cursor);
    expect(seen).toBe(await app.atrium.db.user.count());
    const mel = (await listPeople(ctx, member.actor, { email: "mel@reads.test" })).data[0];
    expect(mel).toMatchObject({ name: "Mel Member", department: { id: dept.id, name: "Reads" }, managerId: admin.user.id, photoUrl: "/uploads/photos/mel.png", active: true });
    expect(mel!.teams.map((t) => t.name).sort()).toEqual(["Archivists", "Readers"]);
    expect(mel!.skills.map((s) => `${s.name}:${s.level}`).sort()).toEqual(["go:expert", "sql:learning"]);
  });

  test("token check: valid, expired, revoked, deactivated owner and unknown tokens answer alike", async () => {
    const ctx = app.atrium.ctx;
    const viaPrisma = { ...ctx, reads: undefined };
    const d = app.atrium.domain.apiTokens;
    const valid = (await d.createApiToken(member.actor, { name: "valid", scope: "write" })).secret;
    const integration = (await d.createApiToken(admin.actor, { name: "ingest", kind: "integration", scope: "insights" })).secret;
    const expiring = (await d.createApiToken(member.actor, { name: "expiring", expiresInDays: 1 })).secret;
    const revoked = await d.createApiToken(member.actor, { name: "revoked" });
    await d.revokeApiToken(member.actor, revoked.id);
    const leaver = await makePerson(app.atrium, { name: "Leaver" });
    const leaversToken = (await d.createApiToken(leaver.actor, { name: "leaver" })).secret;
    await app.atrium.db.user.update({ where: { id: leaver.user.id }, data: { active: false } });
    const outcome = (p: Promise<unknown>) => p.then((v) => ({ ok: v }), (e: { code?: string; status?: number }) => ({ error: e.code, status: e.status }));
    const secrets = [valid, integration, expiring, revoked.secret, leaversToken, "atr_p_unknown", undefined];
    for (const when of [clock.t, clock.t + 2 * 86_400_000]) {
      clock.t = when;
      for (const secret of secrets) {
        const sql = await outcome(authenticateToken(ctx, secret));
        expect(sql, String(secret)).toEqual(await outcome(authenticateToken(viaPrisma, secret)));
      }
    }
    expect(await outcome(authenticateToken(ctx, valid))).toMatchObject({ ok: { actor: { id: member.user.id, role: "member", departmentId: dept.id, active: true }, token: { kind: "personal", scopes: ["read", "write"], name: "valid" } } });
    expect(await outcome(authenticateToken(ctx, expiring))).toMatchObject({ error: "token_expired", status: 401 });
    expect(await outcome(authenticateToken(ctx, revoked.secret))).toMatchObject({ error: "token_revoked" });
    expect(await outcome(authenticateToken(ctx, leaversToken))).toMatchObject({ error: "token_invalid" });
  });
});
