/**
 * What every ingested insight reads after it is stored — its search entry, its feed row — goes
 * through prepared SQL on the read connection; each equals the Prisma read on the same data.
 * Runs on SQLite and, with ATRIUM_TEST_DB=postgresql, on PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { makeAccount, makeAdmin, makeBillingRule, makeTeam } from "./factories.js";
import { insightRowPrisma, insightRowSql } from "../../../server/search/unified-sync.js";
import { feedCandidates, recordInsightRouted } from "../../../server/domain/feed.js";

let app: TestApp;
let admin: Awaited<ReturnType<typeof makeAdmin>>;

// An app and fixture of their own for each test: none depends on rows another test wrote.
beforeEach(async () => {
  app = await startTestApp({ withPages: true });
  admin = await makeAdmin(app.atrium);
  const dept = await app.atrium.db.department.create({ data: { name: "Finance", slug: "finance" } });
  const finance = await makeTeam(app.atrium, admin.actor, "Finance Operations", ["Femi", "Fran"]);
  await app.atrium.db.team.update({ where: { id: finance.team.id }, data: { departmentId: dept.id } });
  const support = await makeTeam(app.atrium, admin.actor, "Support", ["Sol"]);
  await makeBillingRule(app.atrium, admin.actor, finance.team.id);
  await makeBillingRule(app.atrium, admin.actor, support.team.id, { name: "Billing, second line", conditions: { topics: ["billing"] } });
  await makeAccount(app.atrium, admin.actor, "Globex Corporation", "gold");
  const { secret } = await app.atrium.domain.apiTokens.createApiToken(admin.actor, { name: "ingest", kind: "integration", scope: "insights" });
  const auth = await app.atrium.domain.apiTokens.authenticateToken(secret);
  const sends = [
    { externalId: "a", text: "Your invoices are wrong AGAIN. Terrible.", channel: "twitter", account: "Globex Corporation", topics: ["billing", "refunds"], products: ["mobile app"] },
    { externalId: "b", text: "Lovely staff in the Leeds store", channel: "store" },
    { externalId: "c", text: "Charged twice, awful", channel: "email", topics: ["billing"], postedByEmail: admin.user.email },
  ];
  for (const body of sends) await app.atrium.domain.insights.ingestInsight(auth, body);
  await app.atrium.ctx.searchIndex.settle();
});
afterEach(() => app?.close());

const sorted = <T>(xs: T[]) => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe("an ingested insight's follow-up reads", () => {
  test("the search entry's row read with prepared SQL equals the Prisma read (account, tags, routed departments; none for an unknown id)", async () => {
    const reads = app.atrium.ctx.reads!;
    expect(reads).toBeDefined();
    const ids = (await app.atrium.db.insight.findMany({ select: { id: true } })).map((r) => r.id);
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      const prisma = await insightRowPrisma(app.atrium.db, id);
      const sql = await insightRowSql(reads, id);
      expect({ ...sql, tags: sorted(sql!.tags), routes: sorted(sql!.routes) }).toEqual({ ...prisma, tags: sorted(prisma!.tags), routes: sorted(prisma!.routes) });
    }
    expect(await insightRowSql(reads, "no-such-insight")).toBeNull();
  });

  test("the feed row and its live audience: prepared reads equal the Prisma reads", async () => {
    const ctx = app.atrium.ctx;
    const viaPrisma = { ...ctx, reads: undefined };
    let withAudience = 0;
    for (const i of await app.atrium.db.insight.findMany({ select: { id: true, postedById: true, createdAt: true } })) {
      const [viaSql] = await recordInsightRouted(ctx, { insight: { id: i.id } });
      const [viaOrm] = await recordInsightRouted(viaPrisma, { insight: { id: i.id } });
      const rows = await app.atrium.db.activityItem.findMany({ where: { id: { in: [viaSql!, viaOrm!] } }, select: { kind: true, createdAt: true, actorId: true, departmentId: true, insightId: true } });
      expect(rows).toHaveLength(2);
      expect(rows[0]).toEqual(rows[1]);
      expect(rows[0]).toMatchObject({ kind: "insight.routed", createdAt: i.createdAt, actorId: i.postedById, insightId: i.id });
      const audience = (await feedCandidates(ctx, viaSql!)).sort();
      expect(audience).toEqual((await feedCandidates(viaPrisma, viaSql!)).sort());
      if (audience.length) withAudience++;
    }
    expect(withAudience).toBe(2); // the two billing complaints reach Finance and Support; praise goes to an empty triage team
    expect(await recordInsightRouted(ctx, { insight: { id: "no-such-insight" } })).toEqual([]);
  });

  test("a repeat is known by (token, externalId): the same externalId from another integration is a new insight", async () => {
    const d = app.atrium.domain;
    const other = await d.apiTokens.authenticateToken((await d.apiTokens.createApiToken(admin.actor, { name: "other tool", kind: "integration", scope: "insights" })).secret);
    const body = { externalId: "shared-42", text: "Parcel arrived late", channel: "email" };
    const first = await d.insights.ingestInsight(other, body);
    expect(first.duplicate).toBe(false);
    expect(await d.insights.ingestInsight(other, body)).toEqual({ id: first.id, duplicate: true });
    const third = await d.apiTokens.authenticateToken((await d.apiTokens.createApiToken(admin.actor, { name: "third tool", kind: "integration", scope: "insights" })).secret);
    const elsewhere = await d.insights.ingestInsight(third, body);
    expect(elsewhere.duplicate).toBe(false);
    expect(elsewhere.id).not.toBe(first.id);
  });
});
