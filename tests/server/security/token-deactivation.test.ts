/**
 * A deactivated person's API tokens are revoked for good: they stop working at once, and
 * reactivating the person does not bring them back (new tokens must be issued). Both ways of
 * deactivating are covered: the admin action and the directory import's "deactivate missing".
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson } from "../../factories.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const me = (secret: string) => fetch(`${app.url}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } });

describe("deactivation revokes API tokens for good", () => {
  test("admin deactivation, then reactivation: the old personal and integration tokens stay dead", async () => {
    const admin = await makePerson(app.atrium, { role: "admin", email: "tok-admin@example.test" });
    const other = await makePerson(app.atrium, { role: "admin", email: "tok-other-admin@example.test" });
    const personal = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "mine", scope: "read" });
    const integration = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "HR sync", kind: "integration", scope: "read" });
    const bystander = await app.atrium.domain.apiTokens.createApiToken(other.actor, { name: "theirs", scope: "read" });
    expect((await me(personal.secret)).status).toBe(200);
    expect((await me(integration.secret)).status).toBe(200);

    await app.atrium.domain.accounts.deactivateUser(other.actor, admin.user.id);
    const rows = await app.atrium.db.apiToken.findMany({ where: { ownerId: admin.user.id } });
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);

    await app.atrium.domain.accounts.reactivateUser(other.actor, admin.user.id);
    for (const secret of [personal.secret, integration.secret]) {
      const res = await me(secret);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("token_revoked");
    }
    // Someone else's token is untouched.
    expect((await me(bystander.secret)).status).toBe(200);
    // A token issued after reactivation works.
    const fresh = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "new", scope: "read" });
    expect((await me(fresh.secret)).status).toBe(200);
  });

  test("deactivated by the directory import, then reactivated: the token stays dead", async () => {
    const importer = await makePerson(app.atrium, { role: "admin", email: "tok-importer@example.test" });
    const leaver = await makePerson(app.atrium, { email: "tok-leaver@example.test" });
    const t = await app.atrium.domain.apiTokens.createApiToken(leaver.actor, { name: "leaver's", scope: "read" });
    expect((await me(t.secret)).status).toBe(200);
    const csv = "email,name,title,department,team,manager_email,location,time_zone,skills\nkept@acme.test,Kept Person,,,,,,,\n";
    const { result } = await app.atrium.domain.directoryImport.commitImport(importer.actor, csv, { deactivateMissing: true });
    expect(result.deactivated).toBeGreaterThanOrEqual(1);
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).revokedAt).not.toBeNull();
    await app.atrium.domain.accounts.reactivateUser(importer.actor, leaver.user.id);
    expect((await me(t.secret)).status).toBe(401);
  });
});
