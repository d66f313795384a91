/**
 * The involvement metrics, computed by a handful of SQL queries (decision 071 defines each figure;
 * decision 072 the aggregate SQL; decision 074 the trigger-kept fact tables that questions and
 * insights are read from, and why their percentiles are ranked here rather than by SQL windows).
 * Durations are seconds. Percentiles are nearest-rank: the value at rank ceil(p·n).
 */
import { dbProvider, type Db } from "../db.js";
import { numberPlaceholders, type SqlReads, type SqlValue } from "../db-reads.js";

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
  insights: { total: TeamInsightFigures; teams: TeamInsightFigures[]; weeks: { week: number; start: string; insights: number; ackP50: number | null }[] };
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
 * Nearest-rank percentiles of a group, as the columns `toPct` reads: the value at rank ceil(n/2)
 * and ceil(0.9n) when ordered by (secs, open), whether that item is still open, and how many are open.
 * Durations are whole tenths of a second (SQL `ROUND(…, 1)`), so each item sorts as one exact number,
 * tenths × 2 + open, in a Float64Array (a native numeric sort, no comparator calls).
 */
function rankColumns<T>(prefix: string, xs: T[], secs: (x: T) => number, open: (x: T) => number): Record<string, number | null> {
  const keys = new Float64Array(xs.length);
  let opened = 0;
  for (let i = 0; i < xs.length; i++) {
    const o = open(xs[i]!) ? 1 : 0;
    opened += o;
    keys[i] = Math.round(secs(xs[i]!) * 10) * 2 + o;
  }
  keys.sort();
  const at = (p: number) => {
    if (!keys.length) return { secs: null, open: null };
    const key = keys[Math.floor((keys.length * p + 99) / 100) - 1]!;
    const tenths = Math.floor(key / 2);
    return { secs: tenths / 10, open: key - tenths * 2 };
  };
  const p50 = at(50);
  const p90 = at(90);
  return {
    [`${prefix}p50`]: p50.secs,
    [`${prefix}p50Open`]: p50.open,
    [`${prefix}p90`]: p90.secs,
    [`${prefix}p90Open`]: p90.open,
    [`${prefix}open`]: opened,
  };
}

function groupBy<T, K>(xs: T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

const EMPTY: Percentiles = { n: 0, open: 0, p50: null, p50Open: false, p90: null, p90Open: false };
function toPct(r: Record<string, unknown> | undefined, prefix = ""): Percentiles {
  if (!r || !num(r.n)) return { ...EMPTY };
  return {
    n: num(r.n),
    open: num(r[`${prefix}open`]),
    p50: numOrNull(r[`${prefix}p50`]),
    p50Open: num(r[`${prefix}p50Open`]) === 1,
    p90: numOrNull(r[`${prefix}p90`]),
    p90Open: num(r[`${prefix}p90Open`]) === 1,
  };
}

/**
 * The few spots where SQLite and PostgreSQL SQL differ, so each statement is written once. Times
 * are passed as ISO text (DashQuestionFact/DashInsightFact keep their source's time as that text on
 * both databases) and julian days as numbers on PostgreSQL (SQLite computes them with julianday).
 */
interface Dialect {
  pg: boolean;
  /** The julian day of the ISO time `iso`, as a parameter placeholder and the value to bind. */
  jd(iso: string): [string, string | number];
  round1(expr: string): string;
  /** Truncating cast to an integer (SQLite's CAST truncates; PostgreSQL's rounds). */
  int(expr: string): string;
  /** A condition as 1/0. */
  flag(cond: string): string;
  /** JSON text of an array with one array of `fields` per row. */
  rows(fields: string): string;
  /** A text parameter that may be null (PostgreSQL needs its type). */
  opt: string;
  /** A timestamp parameter compared with a DateTime column. */
  at: string;
  /** The values of a JSON array column, as a FROM item `alias` with a `value` column. */
  each(col: string, alias: string): string;
  same(a: string, b: string): string;
  yes: string;
  sql(text: string): string;
  /** Runs a statement written with `?` placeholders: prepared on the read connection when there is one, else through Prisma. */
  run(text: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
}

const JD_UNIX_EPOCH = 2440587.5;

function dialectOf(db: Db, reads?: SqlReads): Dialect {
  const pg = dbProvider(db) === "postgresql";
  const run = (sql: (t: string) => string) => async (text: string, ...params: unknown[]) =>
    reads ? await reads.all<Record<string, unknown>>(text, ...(params as SqlValue[])) : await db.$queryRawUnsafe<Record<string, unknown>[]>(sql(text), ...params);
  return pg
    ? {
        run: run(numberPlaceholders),
        pg,
        jd: (iso) => ["CAST(? AS double precision)", new Date(iso).getTime() / 86_400_000 + JD_UNIX_EPOCH],
        round1: (e) => `ROUND(CAST(${e} AS numeric), 1)`,
        int: (e) => `CAST(trunc(${e}) AS integer)`,
        flag: (c) => `CASE WHEN ${c} THEN 1 ELSE 0 END`,
        rows: (f) => `COALESCE(json_agg(json_build_array(${f})), '[]'::json)::text`,
        opt: "CAST(? AS text)",
        at: "CAST(? AS timestamptz) AT TIME ZONE 'UTC'",
        each: (col, alias) => `json_array_elements_text(CAST(${col} AS json)) AS ${alias}(value)`,
        same: (a, b) => `${a} IS NOT DISTINCT FROM ${b}`,
        yes: "TRUE",
        sql: numberPlaceholders,
      }
    : {
        pg,
        jd: (iso) => ["julianday(?)", iso],
        round1: (e) => `ROUND(${e}, 1)`,
        int: (e) => `CAST(${e} AS INTEGER)`,
        flag: (c) => c,
        rows: (f) => `json_group_array(json_array(${f}))`,
        opt: "?",
        at: "?",
        each: (col, alias) => `json_each(${col}) ${alias}`,
        same: (a, b) => `${a} IS ${b}`,
        yes: "1",
        sql: (t) => t,
        run: run((t) => t),
      };
}

/** `reads`: the prepared read connection (server/db-reads.ts), when the caller has it; the same statements run through Prisma otherwise. */
export async function computeMetrics(db: Db, input: MetricsInput, reads?: SqlReads): Promise<Metrics> {
  const x = dialectOf(db, reads);
  const from = sqlTime(input.from);
  const to = sqlTime(input.to);
  const asOf = sqlTime(input.asOf);
  const dept = input.departmentId;
  // better-sqlite3 is synchronous: these run one after another whatever the Promise.all says.
  const [questions, insights, contributors, helpMatrix, coauthored] = await Promise.all([
    questionFigures(x, from, to, asOf, dept, input.from),
    insightFigures(x, from, to, asOf, dept, input.from),
    activeContributors(x, from, to, dept),
    helpMatrixOf(x, from, to, dept),
    coauthoredDocs(x, from, to, dept),
  ]);
  return { questions, insights, contributors, helpMatrix, coauthored };
}

/**
 * Questions asked in the period (not deleted), each with its first answer by someone else, read from
 * DashQuestionFact in one statement, then grouped here for the whole period ('all') and per week
 * (week 0 starts at `from`).
 */
async function questionFigures(x: Dialect, from: string, to: string, asOf: string, dept: string | null, fromDate: Date) {
  const fromMs = fromDate.getTime();
  const [asOfJd, asOfValue] = x.jd(asOf);
  let rows = await x.run(
    `WITH d AS MATERIALIZED (
        SELECT ${x.round1(`(COALESCE(f."firstJd", ${asOfJd}) - f."askedJd") * 86400`)} AS secs,
               ${x.flag(`f."firstJd" IS NULL`)} AS open, f."accepted" AS accepted,
               ${x.int(`((f."askedJd" - 2440587.5) * 86400000 - ${x.pg ? "CAST(? AS double precision)" : "?"}) / ${WEEK_MS}`)} AS week
          FROM "DashQuestionFact" f
         WHERE f."askedAt" >= ? AND f."askedAt" < ?
           AND (${x.opt} IS NULL OR f."askerId" IN (SELECT u."id" FROM "User" u WHERE u."departmentId" = ?)))
     SELECT ${x.rows("secs, open, accepted, week")} AS j FROM d`,
    asOfValue, fromMs, from, to, dept, dept,
  );
  // [secs, open, accepted, week] per question; grouped and ranked here (one sort per group).
  const items = JSON.parse(String(rows[0]?.j ?? "[]")) as [number, number, number, number][];
  const group = (grp: string, xs: [number, number, number, number][]) => ({
    grp,
    week: xs.reduce<number | null>((w, x) => (w === null || x[3] > w ? x[3] : w), null),
    n: xs.length,
    answered: xs.reduce((t, x) => t + (x[1] ? 0 : 1), 0),
    accepted: xs.reduce((t, x) => t + x[2], 0),
    withinDay: xs.reduce((t, x) => t + (!x[1] && x[0] <= DAY_S ? 1 : 0), 0),
    eligible: xs.reduce((t, x) => t + (!x[1] || x[0] >= DAY_S ? 1 : 0), 0),
    ...rankColumns("", xs, (x) => x[0], (x) => x[1]),
  });
  rows = [group("all", items), ...[...groupBy(items, (x) => x[3])].map(([w, xs]) => group(`w${w}`, xs))];
  const all = rows.find((r) => r.grp === "all");
  const weeks: WeekFigures[] = rows
    .filter((r) => r.grp !== "all")
    .map((r) => {
      const week = num(r.week);
      return { week, start: new Date(fromMs + week * WEEK_MS).toISOString().slice(0, 10), asked: num(r.n), withinDay: num(r.withinDay), eligible: num(r.eligible), ttfaP50: toPct(r).p50 };
    })
    .sort((a, b) => a.week - b.week);
  const asked = num(all?.n);
  const answered = num(all?.answered);
  return { asked, answered, open: asked - answered, accepted: num(all?.accepted), withinDay: num(all?.withinDay), eligible: num(all?.eligible), ttfa: toPct(all), weeks };
}

/** Insights created in the period (DashInsightFact), per routed team and in total (each insight once), in one statement. */
async function insightFigures(x: Dialect, from: string, to: string, asOf: string, dept: string | null, fromDate: Date) {
  const fromMs = fromDate.getTime();
  const [asOfJd, asOfValue] = x.jd(asOf);
  const [raw, teams] = await Promise.all([
    x.run(
      `WITH b AS MATERIALIZED (
          SELECT f."insightId" AS "id", f."teamId",
                 ${x.round1(`(COALESCE(f."ackJd", ${asOfJd}) - f."createdJd") * 86400`)} AS ackSecs,
                 ${x.flag(`f."ackJd" IS NULL`)} AS ackOpen,
                 ${x.round1(`(COALESCE(f."resJd", ${asOfJd}) - f."createdJd") * 86400`)} AS resSecs,
                 ${x.flag(`f."resJd" IS NULL`)} AS resOpen,
                 f."ackB" AS ackB, f."resB" AS resB,
                 ${x.int(`((f."createdJd" - 2440587.5) * 86400000 - ${x.pg ? "CAST(? AS double precision)" : "?"}) / ${WEEK_MS}`)} AS week
            FROM "DashInsightFact" f
           WHERE f."createdAt" >= ? AND f."createdAt" < ?
             AND (${x.opt} IS NULL OR f."teamId" IN (SELECT t."id" FROM "Team" t WHERE t."departmentId" = ?)))
       SELECT ${x.rows(`"id", "teamId", ackSecs, ackOpen, resSecs, resOpen, ackB, resB, week`)} AS j FROM b`,
      asOfValue, asOfValue, fromMs, from, to, dept, dept,
    ),
    x.run(`SELECT t."id", t."name", t."departmentId" FROM "Team" t WHERE (${x.opt} IS NULL OR t."departmentId" = ?) ORDER BY t."name", t."id"`, dept, dept) as Promise<{ id: string; name: string; departmentId: string | null }[]>,
  ]);
  // One item per route: [insightId, teamId, ackSecs, ackOpen, resSecs, resOpen, ackB, resB, week].
  type Route = [string, string, number, number, number, number, number, number, number];
  const routes = JSON.parse(String(raw[0]?.j ?? "[]")) as Route[];
  const seen = new Set<string>();
  const once = routes.filter((r) => !seen.has(r[0]) && seen.add(r[0])); // the total counts each insight once
  const group = (grp: string, xs: Route[]) => ({
    grp,
    n: xs.length,
    ackB: xs.reduce((t, x) => t + x[6], 0),
    resB: xs.reduce((t, x) => t + x[7], 0),
    ...rankColumns("ack_", xs, (x) => x[2], (x) => x[3]),
    ...rankColumns("res_", xs, (x) => x[4], (x) => x[5]),
  });
  const rows: Record<string, unknown>[] = [
    ...[...groupBy(routes, (x) => x[1])].map(([t, xs]) => group(t, xs)),
    group("*", once),
    ...[...groupBy(once, (x) => x[8])].map(([w, xs]) => group(`week:${w}`, xs)),
  ];
  const by = new Map(rows.map((r) => [String(r.grp), r]));
  const figures = (teamId: string, teamName: string, departmentId: string | null): TeamInsightFigures => {
    const r = by.get(teamId);
    return { teamId, teamName, departmentId, insights: num(r?.n), ack: toPct(r, "ack_"), resolve: toPct(r, "res_"), ackBreaches: num(r?.ackB), resolveBreaches: num(r?.resB) };
  };
  return {
    total: figures("*", "All teams", dept),
    weeks: rows
      .filter((r) => String(r.grp).startsWith("week:"))
      .map((r) => {
        const week = Number(String(r.grp).slice(5));
        return { week, start: new Date(fromMs + week * WEEK_MS).toISOString().slice(0, 10), insights: num(r.n), ackP50: toPct(r, "ack_").p50 };
      })
      .sort((a, b) => a.week - b.week),
    teams: teams.map((t) => figures(t.id, t.name, t.departmentId)),
  };
}

/** Everyone who asked, answered, commented, edited a document or handled an insight in the period. */
async function activeContributors(x: Dialect, from: string, to: string, dept: string | null) {
  const at = x.at;
  const rows = await x.run(
    `WITH c AS (
        SELECT "askerId" AS uid FROM "DashQuestionFact" WHERE "askedAt" >= ? AND "askedAt" < ?
        UNION SELECT "authorId" FROM "Answer" WHERE "deletedAt" IS NULL AND "createdAt" >= ${at} AND "createdAt" < ${at}
        UNION SELECT "authorId" FROM "QaComment" WHERE "deletedAt" IS NULL AND "createdAt" >= ${at} AND "createdAt" < ${at}
        UNION SELECT "authorId" FROM "DocComment" WHERE "createdAt" >= ${at} AND "createdAt" < ${at}
        UNION SELECT j.value FROM "DocRevision" r, ${x.each(`r."contributorIds"`, "j")} WHERE r."createdAt" >= ${at} AND r."createdAt" < ${at}
        UNION SELECT "actorId" FROM "InsightEvent"
               WHERE "actorId" IS NOT NULL AND "type" NOT IN ('created', 'routed') AND "createdAt" >= ${at} AND "createdAt" < ${at}),
      staff AS (SELECT "departmentId" AS dept, COUNT(*) AS n FROM "User" WHERE "active" = ${x.yes} GROUP BY "departmentId"),
      act AS (SELECT u."departmentId" AS dept, COUNT(*) AS n FROM c JOIN "User" u ON u."id" = c.uid WHERE u."active" = ${x.yes} GROUP BY u."departmentId")
     SELECT staff.dept AS dept, staff.n AS staff, COALESCE(act.n, 0) AS active FROM staff LEFT JOIN act ON ${x.same("act.dept", "staff.dept")}`,
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
async function helpMatrixOf(x: Dialect, from: string, to: string, dept: string | null) {
  const rows = await x.run(
    `SELECT qu."departmentId" AS asker, au."departmentId" AS answerer, COUNT(*) AS n
       FROM "Answer" a
       JOIN "Question" q ON q."id" = a."questionId"
       JOIN "User" qu ON qu."id" = q."authorId"
       JOIN "User" au ON au."id" = a."authorId"
      WHERE a."deletedAt" IS NULL AND q."deletedAt" IS NULL AND a."authorId" <> q."authorId"
        AND a."createdAt" >= ${x.at} AND a."createdAt" < ${x.at}
        AND (${x.opt} IS NULL OR qu."departmentId" = ? OR au."departmentId" = ?)
      GROUP BY 1, 2`,
    from, to, dept, dept, dept,
  );
  return rows.map((r) => ({ askerDepartmentId: (r.asker as string | null) ?? null, answererDepartmentId: (r.answerer as string | null) ?? null, answers: num(r.n) }));
}

/** Documents (not in the trash) whose revisions in the period name editors from ≥ 2 departments. */
async function coauthoredDocs(x: Dialect, from: string, to: string, dept: string | null) {
  const rows = await x.run(
    `WITH c AS (
        SELECT DISTINCT r."docId", u."departmentId" AS dept
          FROM "DocRevision" r ${x.pg ? "CROSS JOIN LATERAL" : ","} ${x.each(`r."contributorIds"`, "j")}
          JOIN "User" u ON u."id" = j.value
          JOIN "Document" d ON d."id" = r."docId"
         WHERE d."deletedAt" IS NULL AND r."createdAt" >= ${x.at} AND r."createdAt" < ${x.at} AND u."departmentId" IS NOT NULL),
      x AS (SELECT "docId" FROM c GROUP BY "docId" HAVING COUNT(*) >= 2)
     SELECT c.dept AS dept, COUNT(*) AS n FROM c JOIN x ON x."docId" = c."docId" GROUP BY c.dept
     UNION ALL SELECT '*', COUNT(*) FROM x
     UNION ALL SELECT '#', COUNT(*) FROM x WHERE EXISTS (SELECT 1 FROM c WHERE c."docId" = x."docId" AND c.dept = ${x.opt})`,
    from, to, dept,
  );
  const byDepartment = rows.filter((r) => r.dept !== "*" && r.dept !== "#").map((r) => ({ departmentId: String(r.dept), documents: num(r.n) }));
  const total = num(rows.find((r) => r.dept === (dept ? "#" : "*"))?.n);
  return { documents: total, byDepartment: dept ? byDepartment.filter((b) => b.departmentId === dept) : byDepartment };
}
