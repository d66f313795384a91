/**
 * The platform's admin verbs one by one, at the domain level: API tokens (what is stored, listed,
 * revoked and accepted, to the millisecond), webhook management (refusals, audit entries,
 * delivery counts, redelivery) and the audit log's edges (day boundaries, bad page links,
 * malformed rows, exports longer than one batch).
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AUDIT_PAGE_SIZE } from "../../../server/domain/audit.js";
import { authenticateToken } from "../../../server/domain/api-tokens.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makePerson } from "../../factories.js";
import { manualClock } from "../../helpers/clock.js";

const clock = manualClock("2031-08-20T10:00:00Z");
const DAY = 86_400_000;

let app: TestApp;
let domain: TestApp["atrium"]["domain"];
type P = Awaited<ReturnType<typeof makePerson>>;
let admin: P, member: P;

// Port 9 on loopback: allowed by the list, and nothing listens (deliveries only fail).
const URL_A = "http://127.0.0.1:9/a";
const URL_B = "http://127.0.0.1:9/b";

beforeAll(async () => {
  app = await startTestApp({ clock, env: { WEBHOOK_ALLOW_HOSTS: "127.0.0.1", WEBHOOK_POLL_MS: "60000", WEBHOOK_RETRY_BASE_MS: "60000" } });
  domain = app.atrium.domain;
  admin = await makePerson(app.atrium, { role: "admin", name: "Vera Verbs", email: "vera@verbs.test" });
  member = await makePerson(app.atrium, { name: "Max Member", email: "max@verbs.test" });
});
afterAll(() => app?.close());

const auditOf = (targetId: string) => app.atrium.db.auditEvent.findMany({ where: { targetId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });

describe("API tokens", () => {
  test("creating stores only the hash and the prefix, dates the expiry from the clock, and records who made what", async () => {
    const personal = await domain.apiTokens.createApiToken(member.actor, { name: "Calendar", scope: "write", expiresInDays: 30 });
    expect(personal.secret).toMatch(/^atr_p_[A-Za-z0-9_-]{43}$/);
    expect(personal).toMatchObject({ name: "Calendar", scopes: "read,write", expiresAt: new Date(clock.t + 30 * DAY) });
    const row = await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: personal.id } });
    expect(row).toMatchObject({
      kind: "personal",
      ownerId: member.user.id,
      tokenHash: createHash("sha256").update(personal.secret).digest("hex"),
      prefix: personal.secret.slice(0, 12),
      scopes: "read,write",
      createdAt: new Date(clock.t),
      expiresAt: new Date(clock.t + 30 * DAY),
      lastUsedAt: null,
      revokedAt: null,
    });
    const [created] = await auditOf(personal.id);
    expect(created).toMatchObject({ actorId: member.user.id, action: "api_token.created", targetType: "api_token", summary: "Created the personal API token “Calendar” (read,write)" });
    expect(JSON.parse(created!.details)).toEqual({ kind: "personal", scopes: "read,write", prefix: row.prefix, expiresAt: new Date(clock.t + 30 * DAY).toISOString() });

    const integration = await domain.apiTokens.createApiToken(admin.actor, { name: "Helpdesk", kind: "integration", scope: "insights", expiresInDays: 0 });
    expect(integration.secret).toMatch(/^atr_i_/);
    expect(integration).toMatchObject({ scopes: "insights:ingest", expiresAt: null });
    await expect(domain.apiTokens.createApiToken(member.actor, { name: "Sneaky", kind: "integration" })).rejects.toMatchObject({ status: 403 });
  });

  test("my tokens are my personal ones, newest first; an admin lists every token, integrations first, then personal ones newest first", async () => {
    const owner = await makePerson(app.atrium, { name: "Tia Tokens" });
    const first = await domain.apiTokens.createApiToken(owner.actor, { name: "first" });
    clock.t += 1000;
    const second = await domain.apiTokens.createApiToken(owner.actor, { name: "second" });
    const integration = await domain.apiTokens.createApiToken(admin.actor, { name: "Integration of Tia's era", kind: "integration" });
    const mine = await domain.apiTokens.listMyTokens(owner.actor);
    expect(mine.map((t) => t.id)).toEqual([second.id, first.id]);
    expect(mine[0]).toMatchObject({ name: "second", insights: 0, owner: { id: owner.user.id, name: "Tia Tokens" } });
    expect(mine[0]).not.toHaveProperty("_count");
    expect((await domain.apiTokens.listMyTokens(admin.actor)).map((t) => t.id)).not.toContain(integration.id);
    const all = (await domain.apiTokens.listAllTokens(admin.actor)).map((t) => t.id);
    expect(all.indexOf(integration.id)).toBeLessThan(all.indexOf(second.id));
    expect(all.indexOf(second.id)).toBeLessThan(all.indexOf(first.id));
    await expect(domain.apiTokens.listAllTokens(member.actor)).rejects.toMatchObject({ status: 403 });
  });

  test("revoking records once; a missing token is a 404; someone else's is refused", async () => {
    const t = await domain.apiTokens.createApiToken(member.actor, { name: "to revoke" });
    await expect(domain.apiTokens.revokeApiToken(member.actor, "no-such-token")).rejects.toMatchObject({ status: 404, message: "That token was not found." });
    const other = await makePerson(app.atrium);
    await expect(domain.apiTokens.revokeApiToken(other.actor, t.id)).rejects.toMatchObject({ status: 403 });
    await domain.apiTokens.revokeApiToken(member.actor, t.id);
    const revokedAt = (await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).revokedAt;
    expect(revokedAt).toEqual(new Date(clock.t));
    clock.t += 1000;
    await domain.apiTokens.revokeApiToken(admin.actor, t.id);
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).revokedAt).toEqual(revokedAt);
    const entries = (await auditOf(t.id)).filter((e) => e.action === "api_token.revoked");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: member.user.id, summary: "Revoked the personal API token “to revoke”" });
    expect(JSON.parse(entries[0]!.details)).toEqual({ ownerId: member.user.id });
  });

  test("a token stops at the millisecond it expires; bad secrets say why; a used token notes the time", async () => {
    const t = await domain.apiTokens.createApiToken(member.actor, { name: "short", expiresInDays: 1 });
    const viaPrisma = { ...app.atrium.ctx, reads: undefined };
    for (const ctx of [app.atrium.ctx, viaPrisma]) {
      await expect(authenticateToken(ctx, "")).rejects.toMatchObject({ code: "unauthenticated", message: "Send an API token in the Authorization header: “Bearer atr_…”." });
      await expect(authenticateToken(ctx, `atr_${"x".repeat(197)}`)).rejects.toMatchObject({ code: "token_invalid", message: "That API token is not valid." });
      await expect(authenticateToken(ctx, t.secret.replace("atr_", "atx_"))).rejects.toMatchObject({ code: "token_invalid" });
      await expect(authenticateToken(ctx, `${t.secret}x`)).rejects.toMatchObject({ code: "token_invalid", message: "That API token is not valid." });
    }
    const auth = await authenticateToken(app.atrium.ctx, t.secret);
    expect(auth).toEqual({
      actor: { id: member.user.id, role: "member", departmentId: null, active: true },
      token: { id: t.id, kind: "personal", scopes: ["read"], name: "short" },
    });
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt).toEqual(new Date(clock.t));
    const start = clock.t;
    clock.t = start + 59_999;
    await authenticateToken(app.atrium.ctx, t.secret);
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt).toEqual(new Date(start));
    clock.t = start + 60_000;
    await authenticateToken(app.atrium.ctx, t.secret);
    expect((await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt).toEqual(new Date(start + 60_000));
    clock.t = start + DAY - 1;
    await expect(authenticateToken(app.atrium.ctx, t.secret)).resolves.toMatchObject({ token: { id: t.id } });
    clock.t = start + DAY;
    await expect(authenticateToken(app.atrium.ctx, t.secret)).rejects.toMatchObject({ code: "token_expired", message: "That API token has expired." });
    await expect(authenticateToken(viaPrisma, t.secret)).rejects.toMatchObject({ code: "token_expired" });
  });

  test("a revoked token, or one whose owner left, is refused with the reason", async () => {
    const leaver = await makePerson(app.atrium, { name: "Lee Leaver" });
    const t = await domain.apiTokens.createApiToken(leaver.actor, { name: "leaving" });
    const r = await domain.apiTokens.createApiToken(leaver.actor, { name: "revoked" });
    await domain.apiTokens.revokeApiToken(leaver.actor, r.id);
    await app.atrium.db.user.update({ where: { id: leaver.user.id }, data: { active: false } });
    for (const ctx of [app.atrium.ctx, { ...app.atrium.ctx, reads: undefined }]) {
      await expect(authenticateToken(ctx, t.secret)).rejects.toMatchObject({ code: "token_invalid", message: "The account that owns this API token is deactivated." });
      await expect(authenticateToken(ctx, r.secret)).rejects.toMatchObject({ code: "token_revoked", message: "That API token was revoked." });
    }
  });
  test("through the Prisma read too, a used token notes the time at most once a minute", async () => {
    const viaPrisma = { ...app.atrium.ctx, reads: undefined };
    const t = await domain.apiTokens.createApiToken(member.actor, { name: "prisma-read" });
    const lastUsed = async () => (await app.atrium.db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt;
    const start = clock.t;
    await authenticateToken(viaPrisma, t.secret);
    expect(await lastUsed()).toEqual(new Date(start));
    clock.t = start + 59_999;
    await authenticateToken(viaPrisma, t.secret);
    expect(await lastUsed()).toEqual(new Date(start));
    clock.t = start + 60_000;
    await authenticateToken(viaPrisma, t.secret);
    expect(await lastUsed()).toEqual(new Date(start + 60_000));
  });
});

describe("webhooks", () => {
  test("an address with a user name, a private address, or a name that does not resolve is refused on the url field", async () => {
    const before = await app.atrium.db.webhook.count();
    await expect(domain.webhooks.createWebhook(admin.actor, { url: "http://user:pw@127.0.0.1:9/x", events: ["person.updated"] })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { url: ["Leave user names and passwords out of the address; receivers verify the signature instead."] },
    });
    for (const url of ["http://user@127.0.0.1:9/x", "http://:pw@127.0.0.1:9/x"]) {
      await expect(domain.webhooks.createWebhook(admin.actor, { url, events: ["person.updated"] })).rejects.toMatchObject({ fieldErrors: { url: [expect.stringMatching(/^Leave user names/)] } });
    }
    const refused = await domain.webhooks.createWebhook(admin.actor, { url: "http://10.0.0.8/x", events: ["person.updated"] }).catch((e) => e);
    expect(refused).toMatchObject({ status: 422 });
    expect(refused.fieldErrors.url[0]).not.toMatch(/could not be resolved/);
    await expect(domain.webhooks.createWebhook(admin.actor, { url: "http://no-such-host.invalid/x", events: ["person.updated"] })).rejects.toMatchObject({
      fieldErrors: { url: ["no-such-host.invalid could not be resolved. Check the address."] },
    });
    expect(await app.atrium.db.webhook.count()).toBe(before);
  });

  test("updating, rotating and deleting are recorded with what changed; a missing webhook is a 404 for each", async () => {
    const h = await domain.webhooks.createWebhook(admin.actor, { url: URL_A, events: ["question.asked", "person.updated"], description: "first" });
    expect(h).toMatchObject({ url: URL_A, events: ["person.updated", "question.asked"], description: "first", active: true });
    await domain.webhooks.updateWebhook(admin.actor, h.id, { url: URL_B, events: ["insight.routed"], active: false });
    const { webhook } = await domain.webhooks.getWebhook(admin.actor, h.id);
    expect(webhook).toMatchObject({ url: URL_B, events: ["insight.routed"], active: false, description: "", secret: h.secret });
    const oldSecret = h.secret;
    const secret = await domain.webhooks.rotateWebhookSecret(admin.actor, h.id);
    expect(secret).not.toBe(oldSecret);
    expect((await domain.webhooks.getWebhook(admin.actor, h.id)).webhook.secret).toBe(secret);
    await domain.webhooks.updateWebhook(admin.actor, h.id, { url: URL_A, events: ["insight.routed"] });
    await domain.webhooks.deleteWebhook(admin.actor, h.id);
    const entries = await auditOf(h.id);
    expect(entries.map((e) => [e.action, e.summary])).toEqual([
      ["webhook.created", `Subscribed ${URL_A} to person.updated, question.asked`],
      ["webhook.updated", `Updated the webhook to ${URL_B} (disabled)`],
      ["webhook.updated", `Rotated the signing secret of ${URL_B}`],
      ["webhook.updated", `Updated the webhook to ${URL_A}`],
      ["webhook.deleted", `Deleted the webhook to ${URL_A}`],
    ]);
    expect(JSON.parse(entries[0]!.details)).toEqual({ url: URL_A, events: ["person.updated", "question.asked"] });
    expect(JSON.parse(entries[1]!.details)).toEqual({
      from: { url: URL_A, events: ["person.updated", "question.asked"], active: true },
      to: { url: URL_B, events: ["insight.routed"], active: false },
    });
    expect(entries.every((e) => e.actorId === admin.user.id)).toBe(true);
    for (const call of [
      () => domain.webhooks.getWebhook(admin.actor, h.id),
      () => domain.webhooks.updateWebhook(admin.actor, h.id, { url: URL_A, events: ["insight.routed"] }),
      () => domain.webhooks.rotateWebhookSecret(admin.actor, h.id),
      () => domain.webhooks.deleteWebhook(admin.actor, h.id),
    ]) {
      await expect(call()).rejects.toMatchObject({ status: 404, message: "That webhook was not found." });
    }
    await expect(domain.webhooks.redeliver(admin.actor, "no-such-delivery")).rejects.toMatchObject({ status: 404, message: "That delivery was not found." });
    expect((await auditOf(h.id)).length).toBe(5);
  });

  test("members manage no webhook at all", async () => {
    const h = await domain.webhooks.createWebhook(admin.actor, { url: URL_A, events: ["insight.routed"], active: false });
    const calls = [
      () => domain.webhooks.listWebhooks(member.actor),
      () => domain.webhooks.getWebhook(member.actor, h.id),
      () => domain.webhooks.updateWebhook(member.actor, h.id, { url: URL_B, events: ["insight.routed"] }),
      () => domain.webhooks.rotateWebhookSecret(member.actor, h.id),
      () => domain.webhooks.deleteWebhook(member.actor, h.id),
      () => domain.webhooks.redeliver(member.actor, "any"),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ status: 403 });
    expect(await app.atrium.db.webhook.findUniqueOrThrow({ where: { id: h.id } })).toMatchObject({ url: URL_A, secret: h.secret });
    await domain.webhooks.deleteWebhook(admin.actor, h.id);
  });

  test("the list counts each webhook's deliveries by status, oldest webhook first; the page shows the newest 50; a redelivery is a new pending copy, announced", async () => {
    const h = await domain.webhooks.createWebhook(admin.actor, { url: URL_A, events: ["insight.routed"], active: false });
    expect(h.createdAt).toEqual(new Date(clock.t));
    clock.t += 1000;
    const other = await domain.webhooks.createWebhook(admin.actor, { url: URL_B, events: ["insight.routed"], active: false });
    const at = (i: number) => new Date(clock.t - (60 - i) * 60_000);
    const statuses = ["succeeded", "succeeded", "failed", ...Array.from({ length: 57 }, () => "pending")];
    await app.atrium.db.webhookDelivery.createMany({
      data: statuses.map((status, i) => ({ webhookId: h.id, event: "insight.routed", payload: `{"n":${i}}`, status, createdAt: at(i), nextAttemptAt: new Date(clock.t + DAY) })),
    });
    await app.atrium.db.webhookDelivery.create({ data: { webhookId: other.id, event: "insight.routed", payload: "{}", status: "failed", createdAt: at(0), nextAttemptAt: at(0) } });
    const list = await domain.webhooks.listWebhooks(admin.actor);
    expect(list.map((w) => w.id)).toEqual([h.id, other.id]);
    expect(list[0]).toMatchObject({ delivered: 2, failed: 1, pending: 57, events: ["insight.routed"], secret: undefined });
    expect(list[1]).toMatchObject({ delivered: 0, failed: 1, pending: 0 });
    const page = await domain.webhooks.getWebhook(admin.actor, h.id);
    expect(page.deliveries).toHaveLength(50);
    expect(page.deliveries[0]!.createdAt).toEqual(at(59));
    expect(page.deliveries[49]!.createdAt).toEqual(at(10));

    const failed = await app.atrium.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: h.id, status: "failed" } });
    const announced: string[] = [];
    const off = app.atrium.ctx.bus.subscribe("webhook.redelivery", (p) => void announced.push(p.deliveryId));
    const copyId = await domain.webhooks.redeliver(admin.actor, failed.id);
    off();
    expect(copyId).not.toBe(failed.id);
    expect(announced).toEqual([copyId]);
    expect(await app.atrium.db.webhookDelivery.findUniqueOrThrow({ where: { id: copyId } })).toMatchObject({
      webhookId: h.id,
      event: "insight.routed",
      payload: failed.payload,
      createdAt: new Date(clock.t),
      nextAttemptAt: new Date(clock.t),
    });
    await domain.webhooks.deleteWebhook(admin.actor, h.id);
    await domain.webhooks.deleteWebhook(admin.actor, other.id);
  });
  test("the list orders webhooks by when they were created, not by when their rows were written", async () => {
    const first = await domain.webhooks.createWebhook(admin.actor, { url: URL_A, events: ["insight.routed"], active: false });
    const second = await domain.webhooks.createWebhook(admin.actor, { url: URL_B, events: ["insight.routed"], active: false });
    // An imported subscription dated after the one written next to it.
    await app.atrium.db.webhook.update({ where: { id: first.id }, data: { createdAt: new Date(clock.t + 60_000) } });
    const ids = (await domain.webhooks.listWebhooks(admin.actor)).map((w) => w.id).filter((id) => id === first.id || id === second.id);
    expect(ids).toEqual([second.id, first.id]);
    for (const h of [first, second]) await domain.webhooks.deleteWebhook(admin.actor, h.id);
  });

  test("a delivery in the webhook's log shows its attempts and the receiver's answer, never its payload", async () => {
    const h = await domain.webhooks.createWebhook(admin.actor, { url: URL_A, events: ["insight.routed"], active: false });
    const at = new Date(clock.t - 5 * 60_000);
    const d = await app.atrium.db.webhookDelivery.create({
      data: {
        webhookId: h.id,
        event: "insight.routed",
        payload: '{"secret":"not for the log"}',
        status: "failed",
        attempts: 3,
        createdAt: at,
        lastAttemptAt: new Date(at.getTime() + 1000),
        nextAttemptAt: new Date(at.getTime() + 2000),
        lastStatusCode: 503,
        lastResponse: "busy",
        lastError: "HTTP 503",
      },
    });
    const { deliveries } = await domain.webhooks.getWebhook(admin.actor, h.id);
    expect(deliveries).toEqual([
      {
        id: d.id,
        event: "insight.routed",
        status: "failed",
        attempts: 3,
        createdAt: at,
        lastAttemptAt: new Date(at.getTime() + 1000),
        nextAttemptAt: new Date(at.getTime() + 2000),
        lastStatusCode: 503,
        lastResponse: "busy",
        lastError: "HTTP 503",
        deliveredAt: null,
      },
    ]);
    await domain.webhooks.deleteWebhook(admin.actor, h.id);
  });
});

describe("audit log edges", () => {
  test("a day filter includes its first millisecond and ends before the next day's", async () => {
    const who = await makePerson(app.atrium, { name: "Day Walker" });
    const times = ["2031-09-13T23:59:59.999Z", "2031-09-14T00:00:00.000Z", "2031-09-14T23:59:59.999Z", "2031-09-15T00:00:00.000Z"];
    await app.atrium.db.auditEvent.createMany({ data: times.map((t) => ({ action: "user.created", summary: t, actorId: who.user.id, createdAt: new Date(t) })) });
    const on14 = await domain.audit.listAuditEvents(admin.actor, { actor: who.user.id, from: "2031-09-14", to: "2031-09-14" });
    expect(on14.events.map((e) => e.summary)).toEqual(["2031-09-14T23:59:59.999Z", "2031-09-14T00:00:00.000Z"]);
    const from15 = await domain.audit.listAuditEvents(admin.actor, { actor: who.user.id, from: "2031-09-15" });
    expect(from15.events.map((e) => e.summary)).toEqual(["2031-09-15T00:00:00.000Z"]);
  });

  test("exactly one page has no next page; a page link that does not decode is a field error", async () => {
    const who = await makePerson(app.atrium, { name: "Page Filler" });
    await app.atrium.db.auditEvent.createMany({
      data: Array.from({ length: AUDIT_PAGE_SIZE }, (_, i) => ({ action: "user.created", summary: `fill ${i}`, actorId: who.user.id, createdAt: new Date(clock.t - i) })),
    });
    const page = await domain.audit.listAuditEvents(admin.actor, { actor: who.user.id });
    expect(page.events).toHaveLength(AUDIT_PAGE_SIZE);
    expect(page.nextCursor).toBeNull();
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    for (const cursor of [b64("not-a-time|abc"), b64(String(clock.t)), "%%%"]) {
      await expect(domain.audit.listAuditEvents(admin.actor, { cursor })).rejects.toMatchObject({ status: 422, fieldErrors: { cursor: ["That page link is no longer valid."] } });
    }
    // A valid link to an old position: only what is older, and in the same millisecond only lower ids.
    const older = async (id: string) => (await domain.audit.listAuditEvents(admin.actor, { actor: who.user.id, cursor: b64(`${clock.t - 97}|${id}`) })).events.map((e) => e.summary);
    expect(await older("zzzzzzzz")).toEqual(["fill 97", "fill 98", "fill 99"]);
    expect(await older("0")).toEqual(["fill 98", "fill 99"]);
  });

  test("a row whose details do not parse, or whose action is unknown, still lists", async () => {
    const who = await makePerson(app.atrium, { name: "Odd Rows" });
    await app.atrium.db.auditEvent.create({ data: { action: "legacy.thing", summary: "odd", details: "{not json", actorId: who.user.id, createdAt: new Date(clock.t) } });
    await app.atrium.db.auditEvent.create({ data: { action: "user.created", summary: "fine", details: '{"a":1}', actorId: who.user.id, createdAt: new Date(clock.t - 1) } });
    const { events } = await domain.audit.listAuditEvents(admin.actor, { actor: who.user.id });
    expect(events.map((e) => [e.summary, e.actionLabel, e.details])).toEqual([
      ["odd", "legacy.thing", {}],
      ["fine", "User created", { a: 1 }],
    ]);
  });

  test("an export longer than one batch streams every row once, oldest first, each column in place", async () => {
    const who = await makePerson(app.atrium, { name: "Bulk Writer", email: "bulk@verbs.test" });
    const at = new Date(clock.t - DAY);
    await app.atrium.db.auditEvent.createMany({
      // The first batch of 1000 ends inside a millisecond that 1100 rows share: the next batch goes on by id.
      data: Array.from({ length: 1203 }, (_, i) => ({ action: "user.created", summary: `row ${i}`, actorId: who.user.id, actorLabel: "Bulk Writer", createdAt: i < 1100 ? at : new Date(at.getTime() + i) })),
    });
    const out = await domain.audit.exportAuditCsv(admin.actor, { actor: who.user.id });
    expect(out.rows).toBe(1203);
    expect(out.filename).toBe(`atrium-audit-${new Date(clock.t).toISOString().slice(0, 10)}.csv`);
    const lines: string[] = [];
    for await (const line of out.lines) lines.push(line);
    expect(lines).toHaveLength(1204);
    const summaries = lines.slice(1).map((l) => l.split(",")[6]);
    expect(new Set(summaries).size).toBe(1203);
    expect(summaries.slice(1100)).toEqual(Array.from({ length: 103 }, (_, i) => `row ${1100 + i}`));
    expect(lines[1]).toBe(`${at.toISOString()},${who.user.id},Bulk Writer,user.created,,,${summaries[0]},{},,\r\n`);
    const exported = await app.atrium.db.auditEvent.findFirstOrThrow({ where: { action: "audit.exported", actorId: admin.user.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(exported.summary).toBe("Exported 1203 audit events as CSV");
    expect(JSON.parse(exported.details)).toEqual({ filters: { actor: who.user.id }, rows: 1203 });
  });
});
