/**
 * Unified search: one query over people, documents, questions, answers and insights.
 * The index (server/search/unified-index.ts) ranks and filters through the policy; this module
 * parses the reader's input, looks up their teams once, and shapes what leaves the server —
 * snippets as marked segments cut from the current rows, never HTML.
 */
import { SearchSchema, SuggestSchema, SEARCH_MAX_CHARS } from "../../app/schemas/search.js";
import { groupsOf, inGroup, type SqlReads } from "../db-reads.js";
import type { Actor } from "../policy.js";
import { highlight, markLabel, type Segment } from "../search/highlight.js";
import { parseQuery } from "../search/query.js";
import type { Hit, SearchType } from "../search/unified-index.js";
import { parse, type Ctx } from "./context.js";

/** The reader's teams (the index's policy checks need them), by prepared SQL when the context has it. */
async function readerOf(ctx: Ctx, actor: Actor) {
  const rows = ctx.reads
    ? await ctx.reads.all<{ teamId: string }>(`SELECT "teamId" FROM "TeamMembership" WHERE "userId" = ? ORDER BY "teamId"`, actor.id)
    : await ctx.db.teamMembership.findMany({ where: { userId: actor.id }, select: { teamId: true }, orderBy: { teamId: "asc" } });
  return { actor, teamIds: rows.map((r) => r.teamId) };
}

const PAGE_SIZE = 20;
const startOfDay = (d: string) => Date.parse(`${d}T00:00:00.000Z`);
const endOfDay = (d: string) => Date.parse(`${d}T23:59:59.999Z`);

export interface SearchResultItem {
  type: SearchType;
  id: string;
  url: string;
  title: Segment[];
  subtitle: string;
  snippet: Segment[];
  tags: string[];
  date: string;
}

/** The text a result's snippet is cut from, read from the database for the page shown. */
async function bodiesOf(ctx: Ctx, hits: Hit[]): Promise<Map<string, string>> {
  const ids = (t: SearchType) => hits.filter((h) => h.meta.type === t).map((h) => h.meta.id);
  if (ctx.reads) return bodiesSql(ctx.reads, ids);
  const out = new Map<string, string>();
  const [people, docs, questions, answers, insights] = await Promise.all([
    ctx.db.user.findMany({ where: { id: { in: ids("person") } }, select: { id: true, title: true, bio: true, location: true } }),
    ctx.db.document.findMany({ where: { id: { in: ids("doc") } }, select: { id: true, plainText: true } }),
    ctx.db.question.findMany({ where: { id: { in: ids("question") } }, select: { id: true, bodyText: true } }),
    ctx.db.answer.findMany({ where: { id: { in: ids("answer") } }, select: { id: true, bodyText: true } }),
    ctx.db.insight.findMany({ where: { id: { in: ids("insight") } }, select: { id: true, text: true } }),
  ]);
  for (const p of people) out.set(`person:${p.id}`, personText(p));
  for (const d of docs) out.set(`doc:${d.id}`, d.plainText);
  for (const q of questions) out.set(`question:${q.id}`, q.bodyText);
  for (const a of answers) out.set(`answer:${a.id}`, a.bodyText);
  for (const i of insights) out.set(`insight:${i.id}`, i.text);
  return out;
}

const personText = (p: { title: string; location: string; bio: string }) => [p.title, p.location, p.bio].filter(Boolean).join(" · ");

/** Per result type: the statement reading its snippet text ("text"; a person's three fields) for one `inGroup` of ids. */
const BODY_SQL: Record<SearchType, string> = {
  person: `SELECT "id", "title", "location", "bio" FROM "User" WHERE "id" IN ${inGroup}`,
  doc: `SELECT "id", "plainText" AS "text" FROM "Document" WHERE "id" IN ${inGroup}`,
  question: `SELECT "id", "bodyText" AS "text" FROM "Question" WHERE "id" IN ${inGroup}`,
  answer: `SELECT "id", "bodyText" AS "text" FROM "Answer" WHERE "id" IN ${inGroup}`,
  insight: `SELECT "id", "text" FROM "Insight" WHERE "id" IN ${inGroup}`,
};

/** bodiesOf as prepared SQL (server/db-reads.ts): one statement per type on the page, none for a type it lacks. */
async function bodiesSql(reads: SqlReads, ids: (t: SearchType) => string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  type BodyRow = { id: string; text?: string; title?: string; location?: string; bio?: string };
  await Promise.all(
    (Object.keys(BODY_SQL) as SearchType[]).flatMap((type) =>
      groupsOf(ids(type)).map(async (group) => {
        for (const r of await reads.all<BodyRow>(BODY_SQL[type], ...group))
          out.set(`${type}:${r.id}`, type === "person" ? personText({ title: r.title!, location: r.location!, bio: r.bio! }) : r.text!);
      }),
    ),
  );
  return out;
}

/** The search page: ranked results the reader may open, counts per type, tag facets. */
export async function search(ctx: Ctx, actor: Actor, input: unknown) {
  const data = parse(SearchSchema, input);
  const query = parseQuery(data.q);
  const base = {
    query: query.text,
    truncated: query.truncated,
    maxChars: SEARCH_MAX_CHARS,
    /** True when the query had no searchable word (empty, only operators or punctuation). */
    blank: query.terms.length === 0,
    /** While a large index fills at start: how far it is (results may be incomplete). */
    indexing: ctx.searchIndex.ready ? null : { ...ctx.searchIndex.progress },
  };
  const reader = await readerOf(ctx, actor);
  await ctx.searchIndex.settle(); // changes whose re-indexing is still queued
  const out = ctx.searchIndex.search(
    reader,
    query,
    {
      type: data.type,
      departmentId: data.department,
      tag: data.tag,
      from: data.from ? startOfDay(data.from) : undefined,
      to: data.to ? endOfDay(data.to) : undefined,
    },
    { offset: (data.page - 1) * PAGE_SIZE, limit: PAGE_SIZE },
  );
  const bodies = await bodiesOf(ctx, out.hits);
  const results: SearchResultItem[] = out.hits.map((h) => ({
    type: h.meta.type,
    id: h.meta.id,
    url: h.meta.url,
    title: markLabel(h.meta.title, h.terms),
    subtitle: h.meta.subtitle,
    snippet: highlight(bodies.get(h.meta.key) ?? "", h.terms),
    tags: h.meta.tags,
    date: new Date(h.meta.date).toISOString(),
  }));
  return {
    ...base,
    results,
    total: out.total,
    byType: out.byType,
    tags: out.tags,
    relaxed: out.relaxed,
    /** More than COUNT_CAP readable matches: the counts are lower bounds, shown with a "+". */
    capped: out.capped,
    page: data.page,
    pages: Math.max(1, Math.ceil(out.total / PAGE_SIZE)),
  };
}
export type SearchPage = Awaited<ReturnType<typeof search>>;

/** The palette: a few names and titles per type while typing. */
export async function suggest(ctx: Ctx, actor: Actor, input: unknown) {
  const { q, type } = parse(SuggestSchema, input);
  const query = parseQuery(q);
  if (!query.terms.length) return { query: query.text, truncated: query.truncated, items: [] };
  await ctx.searchIndex.settle();
  const hits = type ? ctx.searchIndex.suggest(await readerOf(ctx, actor), query, 8, type) : ctx.searchIndex.suggest(await readerOf(ctx, actor), query);
  return {
    query: query.text,
    truncated: query.truncated,
    items: hits.map((h) => ({ type: h.meta.type, id: h.meta.id, url: h.meta.url, title: markLabel(h.meta.title, h.terms), subtitle: h.meta.subtitle })),
  };
}
export type Suggestions = Awaited<ReturnType<typeof suggest>>;
