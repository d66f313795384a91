/**
 * The involvement metrics, computed by a handful of aggregate SQL queries (decision 071 defines
 * each figure; decision 072 explains why SQL window functions rather than loading rows).
 * Durations are seconds. Percentiles are nearest-rank: the value at rank ceil(p·n).
 */
import type { Db } from "../db.js";

export interface Percentiles {
  /** Items measured (answered and still open). */
  n: number;
  /** Items still open: they count at their age so far (as of `asOf`). */
  open: number;
  p50: number | null;
  /** True when the median is an open item's age so far: the real figure is at least this. */
  p50Open: boolean;
  p90: number | null;
  p90Open: boolean;
}

export interface MetricsInput {
  from: Date;
  to: Date;
  /** When open items stop ageing: normally now. */
  asOf: Date;
  /** null: the whole company. */
  departmentId: string | null;
}

export interface TeamInsightFigures {
  teamId: string;
  teamName: string;
  departmentId: string | null;
  insights: number;
  ack: Percentiles;
  resolve: Percentiles;
  ackBreaches: number;
  resolveBreaches: number;
}

export interface WeekFigures {
  week: number;
  start: string;
  asked: number;
  withinDay: number;
  eligible: number;
  ttfaP50: number | null;
}

export interface Metrics {
  questions: { asked: number; answered: number; open: number; accepted: number; withinDay: number; eligible: number; ttfa: Percentiles; weeks: WeekFigures[] };
  insights: { total: TeamInsightFigures; teams: TeamInsightFigures[] };
  contributors: { active: number; staff: number; byDepartment: { departmentId: string | null; active: number; staff: number }[] };
  helpMatrix: { askerDepartmentId: string | null; answererDepartmentId: string | null; answers: number }[];
  coauthored: { documents: number; byDepartment: { departmentId: string; documents: number }[] };
}

const DAY_S = 86_400;
const WEEK_MS = 7 * 86_400_000;

/** Prisma's SQLite adapter stores DateTime as ISO text with an explicit +00:00 offset. */
export const sqlTime = (d: Date) => d.toISOString().replace("Z", "+00:00");
const num = (v: unknown) => (v == null ? 0 : Number(v));
const numOrNull = (v: unknown) => (v == null ? null : Number(v));

/**
 * Percentiles per group over a CTE `items(grp, secs, open)`, in one statement: rank within the
 * group, keep the rows at ranks ceil(n/2) and ceil(0.9n).
 */
function percentileSql(itemsSql: string): string {
  return `WITH items AS (${itemsSql}),
  ranked AS (
    SELECT grp, secs, open,
           ROW_NUMBER() OVER (PARTITION BY grp ORDER BY secs, open) AS rn,
           COUNT(*) OVER (PARTITION BY grp) AS cnt,
           SUM(open) OVER (PARTITION BY grp) AS opens
      FROM items)
  SELECT grp, MAX(cnt) AS n, MAX(opens) AS open,
         MAX(CASE WHEN rn = (cnt * 50 + 99) / 100 THEN secs END) AS p50,
         MAX(CASE WHEN rn = (cnt * 50 + 99) / 100 THEN open END) AS p50Open,
         MAX(CASE WHEN rn = (cnt * 90 + 99) / 100 THEN secs END) AS p90,
         MAX(CASE WHEN rn = (cnt * 90 + 99) / 100 THEN open END) AS p90Open
    FROM ranked GROUP BY grp`;
}

type PctRow = { grp: string; n: unknown; open: unknown; p50: unknown; p50Open: unknown; p90: unknown; p90Open: unknown };
const EMPTY: Percentiles = { n: 0, open: 0, p50: null, p50Open: false, p90: null, p90Open: false };
function toPct(r: PctRow | undefined): Percentiles {
  if (!r) return { ...EMPTY };
  return { n: num(r.n), open: num(r.open), p50: numOrNull(r.p50), p50Open: num(r.p50Open) === 1, p90: numOrNull(r.p90), p90Open: num(r.p90Open) === 1 };
}

export async function computeMetrics(db: Db, input: MetricsInput): Promise<Metrics> {
  const from = sqlTime(input.from);
  const to = sqlTime(input.to);
  const asOf = sqlTime(input.asOf);
  const dept = input.departmentId;
  const [questions, weeks, insights, contributors, helpMatrix, coauthored] = await Promise.all([
    questionSummary(db, from, to, asOf, dept),
    questionPercentiles(db, from, to, asOf, dept, input.from),
    insightFigures(db, from, to, asOf, dept),
    activeContributors(db, from, to, dept),
    helpMatrixOf(db, from, to, dept),
    coauthoredDocs(db, from, to, dept),
  ]);
  return { questions: { ...questions, ...weeks }, insights, contributors, helpMatrix, coauthored };
}

/** Questions asked in the period (not deleted), with their first answer by someone else. */
const QUESTIONS_CTE = `
  SELECT q."id", q."createdAt",
         (SELECT MIN(a."createdAt") FROM "Answer" a
           WHERE a."questionId" = q."id" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId") AS firstAt,
         EXISTS (SELECT 1 FROM "Answer" a
           WHERE a."id" = q."acceptedAnswerId" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId") AS accepted
    FROM "Question" q JOIN "User" u ON u."id" = q."authorId"
   WHERE q."deletedAt" IS NULL AND q."createdAt" >= ? AND q."createdAt" < ? AND (? IS NULL OR u."departmentId" = ?)`;

async function questionSummary(db: Db, from: string, to: string, asOf: string, dept: string | null) {
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `WITH q AS (${QUESTIONS_CTE}),
     d AS (SELECT firstAt IS NOT NULL AS answered, accepted,
                  ROUND((julianday(COALESCE(firstAt, ?)) - julianday("createdAt")) * 86400, 1) AS secs FROM q)
     SELECT COUNT(*) AS asked, SUM(answered) AS answered, SUM(accepted) AS accepted,
            SUM(answered AND secs <= ${DAY_S}) AS withinDay,
            SUM(answered OR secs >= ${DAY_S}) AS eligible
       FROM d`,
    from, to, dept, dept, asOf,
  );
  const r = rows[0] ?? {};
  const asked = num(r.asked);
  const answered = num(r.answered);
  return { asked, answered, open: asked - answered, accepted: num(r.accepted), withinDay: num(r.withinDay), eligible: num(r.eligible) };
}

/** Time to first answer for the whole period and per week of it (week 0 starts at `from`). */
async function questionPercentiles(db: Db, from: string, to: string, asOf: string, dept: string | null, fromDate: Date) {
  const fromMs = fromDate.getTime();
  const items = `
    SELECT 'all' AS grp, secs, open FROM d
    UNION ALL SELECT 'w' || week, secs, open FROM d`;
  const sql = percentileSql(
    `WITH q AS (${QUESTIONS_CTE}),
       d AS (SELECT ROUND((julianday(COALESCE(firstAt, ?)) - julianday("createdAt")) * 86400, 1) AS secs,
                    firstAt IS NULL AS open,
                    CAST(((julianday("createdAt") - 2440587.5) * 86400000 - ?) / ${WEEK_MS} AS INTEGER) AS week
               FROM q)
     ${items}`,
  );
  const pctRows = await db.$queryRawUnsafe<PctRow[]>(sql, from, to, dept, dept, asOf, fromMs);
  const weekCounts = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `WITH q AS (${QUESTIONS_CTE}),
     d AS (SELECT firstAt IS NOT NULL AS answered,
                  ROUND((julianday(COALESCE(firstAt, ?)) - julianday("createdAt")) * 86400, 1) AS secs,
                  CAST(((julianday("createdAt") - 2440587.5) * 86400000 - ?) / ${WEEK_MS} AS INTEGER) AS week FROM q)
     SELECT week, COUNT(*) AS asked, SUM(answered AND secs <= ${DAY_S}) AS withinDay, SUM(answered OR secs >= ${DAY_S}) AS eligible
       FROM d GROUP BY week ORDER BY week`,
    from, to, dept, dept, asOf, fromMs,
  );
  const byGrp = new Map(pctRows.map((r) => [String(r.grp), r]));
  const weeks: WeekFigures[] = weekCounts.map((w) => {
    const week = num(w.week);
    return {
      week,
      start: new Date(fromMs + week * WEEK_MS).toISOString().slice(0, 10),
      asked: num(w.asked),
      withinDay: num(w.withinDay),
      eligible: num(w.eligible),
      ttfaP50: toPct(byGrp.get(`w${week}`)).p50,
    };
  });
  return { ttfa: toPct(byGrp.get("all")), weeks };
}

/** Insights created in the period, per routed team and in total (each insight once). */
async function insightFigures(db: Db, from: string, to: string, asOf: string, dept: string | null) {
  const base = `
    SELECT i."id", r."teamId", i."createdAt",
           COALESCE(i."acknowledgedAt", i."resolvedAt") AS ackAt, i."resolvedAt",
           i."ackBreachedAt", i."resolveBreachedAt"
      FROM "Insight" i JOIN "InsightRoute" r ON r."insightId" = i."id" JOIN "Team" t ON t."id" = r."teamId"
     WHERE i."createdAt" >= ? AND i."createdAt" < ? AND (? IS NULL OR t."departmentId" = ?)`;
  const args = [from, to, dept, dept];
  const each = (col: string) =>
    percentileSql(
      `WITH b AS (${base}),
         one AS (SELECT DISTINCT "id", "createdAt", ackAt, "resolvedAt" FROM b)
       SELECT "teamId" AS grp, ROUND((julianday(COALESCE(${col}, ?)) - julianday("createdAt")) * 86400, 1) AS secs, ${col} IS NULL AS open FROM b
       UNION ALL
       SELECT '*' AS grp, ROUND((julianday(COALESCE(${col}, ?)) - julianday("createdAt")) * 86400, 1), ${col} IS NULL FROM one`,
    );
  const [ack, resolve, counts, teams] = await Promise.all([
    db.$queryRawUnsafe<PctRow[]>(each("ackAt"), ...args, asOf, asOf),
    db.$queryRawUnsafe<PctRow[]>(each(`"resolvedAt"`), ...args, asOf, asOf),
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `WITH b AS (${base})
       SELECT "teamId" AS grp, COUNT(*) AS n, COUNT("ackBreachedAt") AS ackB, COUNT("resolveBreachedAt") AS resB FROM b GROUP BY "teamId"
       UNION ALL
       SELECT '*', COUNT(DISTINCT "id"), COUNT(DISTINCT CASE WHEN "ackBreachedAt" IS NOT NULL THEN "id" END),
              COUNT(DISTINCT CASE WHEN "resolveBreachedAt" IS NOT NULL THEN "id" END) FROM b`,
      ...args,
    ),
    db.team.findMany({ where: dept ? { departmentId: dept } : {}, select: { id: true, name: true, departmentId: true }, orderBy: { name: "asc" } }),
  ]);
  const ackBy = new Map(ack.map((r) => [String(r.grp), r]));
  const resBy = new Map(resolve.map((r) => [String(r.grp), r]));
  const countBy = new Map(counts.map((r) => [String(r.grp), r]));
  const figures = (teamId: string, teamName: string, departmentId: string | null): TeamInsightFigures => {
    const c = countBy.get(teamId);
    return { teamId, teamName, departmentId, insights: num(c?.n), ack: toPct(ackBy.get(teamId)), resolve: toPct(resBy.get(teamId)), ackBreaches: num(c?.ackB), resolveBreaches: num(c?.resB) };
  };
  return {
    total: figures("*", "All teams", dept),
    teams: teams.map((t) => figures(t.id, t.name, t.departmentId)),
  };
}

/** Everyone who asked, answered, commented, edited a document or handled an insight in the period. */
async function activeContributors(db: Db, from: string, to: string, dept: string | null) {
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `WITH c AS (
        SELECT "authorId" AS uid FROM "Question" WHERE "deletedAt" IS NULL AND "createdAt" >= ? AND "createdAt" < ?
        UNION SELECT "authorId" FROM "Answer" WHERE "deletedAt" IS NULL AND "createdAt" >= ? AND "createdAt" < ?
        UNION SELECT "authorId" FROM "QaComment" WHERE "deletedAt" IS NULL AND "createdAt" >= ? AND "createdAt" < ?
        UNION SELECT "authorId" FROM "DocComment" WHERE "createdAt" >= ? AND "createdAt" < ?
        UNION SELECT j.value FROM "DocRevision" r, json_each(r."contributorIds") j WHERE r."createdAt" >= ? AND r."createdAt" < ?
        UNION SELECT "actorId" FROM "InsightEvent"
               WHERE "actorId" IS NOT NULL AND "type" NOT IN ('created', 'routed') AND "createdAt" >= ? AND "createdAt" < ?),
      staff AS (SELECT "departmentId" AS dept, COUNT(*) AS n FROM "User" WHERE "active" = 1 GROUP BY "departmentId"),
      act AS (SELECT u."departmentId" AS dept, COUNT(*) AS n FROM c JOIN "User" u ON u."id" = c.uid WHERE u."active" = 1 GROUP BY u."departmentId")
     SELECT staff.dept AS dept, staff.n AS staff, COALESCE(act.n, 0) AS active FROM staff LEFT JOIN act ON act.dept IS staff.dept`,
    ...Array.from({ length: 6 }, () => [from, to]).flat(),
  );
  const all = rows.map((r) => ({ departmentId: (r.dept as string | null) ?? null, active: num(r.active), staff: num(r.staff) }));
  const byDepartment = dept ? all.filter((r) => r.departmentId === dept) : all;
  return {
    active: byDepartment.reduce((s, r) => s + r.active, 0),
    staff: byDepartment.reduce((s, r) => s + r.staff, 0),
    byDepartment,
  };
}

/** Answers given in the period to someone else's question: asker's department × answerer's. */
async function helpMatrixOf(db: Db, from: string, to: string, dept: string | null) {
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT qu."departmentId" AS asker, au."departmentId" AS answerer, COUNT(*) AS n
       FROM "Answer" a
       JOIN "Question" q ON q."id" = a."questionId"
       JOIN "User" qu ON qu."id" = q."authorId"
       JOIN "User" au ON au."id" = a."authorId"
      WHERE a."deletedAt" IS NULL AND q."deletedAt" IS NULL AND a."authorId" <> q."authorId"
        AND a."createdAt" >= ? AND a."createdAt" < ?
        AND (? IS NULL OR qu."departmentId" = ? OR au."departmentId" = ?)
      GROUP BY 1, 2`,
    from, to, dept, dept, dept,
  );
  return rows.map((r) => ({ askerDepartmentId: (r.asker as string | null) ?? null, answererDepartmentId: (r.answerer as string | null) ?? null, answers: num(r.n) }));
}

/** Documents (not in the trash) whose revisions in the period name editors from ≥ 2 departments. */
async function coauthoredDocs(db: Db, from: string, to: string, dept: string | null) {
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `WITH c AS (
        SELECT DISTINCT r."docId", u."departmentId" AS dept
          FROM "DocRevision" r, json_each(r."contributorIds") j
          JOIN "User" u ON u."id" = j.value
          JOIN "Document" d ON d."id" = r."docId"
         WHERE d."deletedAt" IS NULL AND r."createdAt" >= ? AND r."createdAt" < ? AND u."departmentId" IS NOT NULL),
      x AS (SELECT "docId" FROM c GROUP BY "docId" HAVING COUNT(*) >= 2)
     SELECT c.dept AS dept, COUNT(*) AS n FROM c JOIN x ON x."docId" = c."docId" GROUP BY c.dept
     UNION ALL SELECT '*', COUNT(*) FROM x
     UNION ALL SELECT '#', COUNT(*) FROM x WHERE EXISTS (SELECT 1 FROM c WHERE c."docId" = x."docId" AND c.dept = ?)`,
    from, to, dept,
  );
  const byDepartment = rows.filter((r) => r.dept !== "*" && r.dept !== "#").map((r) => ({ departmentId: String(r.dept), documents: num(r.n) }));
  const total = num(rows.find((r) => r.dept === (dept ? "#" : "*"))?.n);
  return { documents: total, byDepartment: dept ? byDepartment.filter((b) => b.departmentId === dept) : byDepartment };
}
