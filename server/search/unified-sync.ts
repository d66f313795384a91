/**
 * Keeps the unified search index (unified-index.ts) equal to the database: built at start in
 * pages, then updated by the domain events every verb publishes after its write commits — no
 * restart, no nightly job. Each handler re-reads the changed rows, so an event only says *what*
 * changed and the database says *how it is now* (a trashed document or a deleted answer leaves).
 */
import type { Ctx } from "../domain/context.js";
import type { DocVisibility, ShareRole } from "../policy.js";
import type { SearchEntry, SkillLevel, UnifiedIndex } from "./unified-index.js";
import { docAccessSelect } from "../domain/docs.js";
import { sqlDate, type SqlReads } from "../db-reads.js";
import { compactHeap } from "../infra/heap.js";

type Db = Ctx["db"];
const PAGE = 2_000;

// ── rows → entries ──

const personSelect = {
  id: true,
  name: true,
  title: true,
  bio: true,
  location: true,
  departmentId: true,
  updatedAt: true,
  department: { select: { name: true } },
  teams: { select: { team: { select: { name: true } } } },
  skills: { select: { level: true, skill: { select: { label: true, synonyms: { select: { name: true } } } } } },
} as const;

function personEntry(u: {
  id: string;
  name: string;
  title: string;
  bio: string;
  location: string;
  departmentId: string | null;
  updatedAt: Date;
  department: { name: string } | null;
  teams: { team: { name: string } }[];
  skills: { level: string; skill: { label: string; synonyms: { name: string }[] } }[];
}): SearchEntry {
  const dept = u.department?.name ?? "";
  return {
    type: "person",
    id: u.id,
    title: u.name,
    subtitle: [u.title, dept].filter(Boolean).join(" · "),
    body: [u.title, dept, u.teams.map((t) => t.team.name).join(" "), u.location, u.bio, u.skills.flatMap((s) => s.skill.synonyms.map((x) => x.name)).join(" ")].join("\n"),
    tags: u.skills.map((s) => s.skill.label),
    departmentIds: u.departmentId ? [u.departmentId] : [],
    date: u.updatedAt.getTime(),
    url: `/people/${u.id}`,
    skillLevels: Object.fromEntries(
      u.skills.flatMap((s) => [s.skill.label, ...s.skill.synonyms.map((x) => x.name)].map((name) => [name, s.level as SkillLevel])),
    ),
  };
}

const docSelect = { ...docAccessSelect, title: true, plainText: true, createdAt: true, lastEditedAt: true, space: { select: { name: true } } } as const;

function docEntry(d: {
  id: string;
  title: string;
  plainText: string;
  visibility: string;
  audienceRole: string;
  departmentId: string | null;
  ownerId: string;
  createdAt: Date;
  lastEditedAt: Date | null;
  space: { name: string };
  shares: { principalType: string; principalId: string; role: string }[];
}): SearchEntry {
  return {
    type: "doc",
    id: d.id,
    title: d.title,
    subtitle: d.space.name,
    body: d.plainText,
    tags: [],
    departmentIds: d.departmentId ? [d.departmentId] : [],
    date: (d.lastEditedAt ?? d.createdAt).getTime(),
    url: `/docs/${d.id}`,
    access: {
      ownerId: d.ownerId,
      visibility: d.visibility as DocVisibility,
      departmentId: d.departmentId,
      audienceRole: d.audienceRole as ShareRole,
      shares: d.shares as NonNullable<SearchEntry["access"]>["shares"],
    },
  };
}

const questionSelect = {
  id: true,
  title: true,
  bodyText: true,
  departmentId: true,
  authorId: true,
  score: true,
  answerCount: true,
  acceptedAnswerId: true,
  lastActivityAt: true,
  author: { select: { departmentId: true } },
  tags: { select: { skill: { select: { label: true } } } },
} as const;

type QuestionRow = {
  id: string;
  title: string;
  bodyText: string;
  departmentId: string | null;
  authorId: string;
  score: number;
  answerCount: number;
  acceptedAnswerId: string | null;
  lastActivityAt: Date;
  author: { departmentId: string | null };
  tags: { skill: { label: string } }[];
};

function questionEntry(q: QuestionRow): SearchEntry {
  return {
    type: "question",
    id: q.id,
    title: q.title,
    subtitle: q.answerCount === 1 ? "1 answer" : `${q.answerCount} answers`,
    body: q.bodyText,
    tags: q.tags.map((t) => t.skill.label),
    departmentIds: [...new Set([q.departmentId, q.author.departmentId].filter((x): x is string => !!x))],
    date: q.lastActivityAt.getTime(),
    url: `/questions/${q.id}`,
    authorId: q.authorId,
    signals: { score: q.score, accepted: !!q.acceptedAnswerId, answerCount: q.answerCount },
  };
}

const answerSelect = {
  id: true,
  bodyText: true,
  authorId: true,
  score: true,
  acceptedAt: true,
  createdAt: true,
  editedAt: true,
  author: { select: { departmentId: true, name: true } },
  question: { select: { id: true, title: true, tags: { select: { skill: { select: { label: true } } } } } },
} as const;

function answerEntry(a: {
  id: string;
  bodyText: string;
  authorId: string;
  score: number;
  acceptedAt: Date | null;
  createdAt: Date;
  editedAt: Date | null;
  author: { departmentId: string | null; name: string };
  question: { id: string; title: string; tags: { skill: { label: string } }[] };
}): SearchEntry {
  return {
    type: "answer",
    id: a.id,
    title: a.question.title,
    subtitle: `Answer by ${a.author.name}${a.acceptedAt ? " · accepted" : ""}`,
    body: a.bodyText,
    tags: a.question.tags.map((t) => t.skill.label),
    departmentIds: a.author.departmentId ? [a.author.departmentId] : [],
    date: (a.editedAt ?? a.createdAt).getTime(),
    url: `/questions/${a.question.id}#answer-${a.id}`,
    authorId: a.authorId,
    parentId: a.question.id,
    signals: { score: a.score, accepted: !!a.acceptedAt },
  };
}

const insightSelect = {
  id: true,
  text: true,
  channel: true,
  status: true,
  createdAt: true,
  account: { select: { name: true } },
  tags: { select: { skill: { select: { label: true } } } },
  routes: { select: { team: { select: { departmentId: true } } } },
} as const;

function insightEntry(i: {
  id: string;
  text: string;
  channel: string;
  status: string;
  createdAt: Date;
  account: { name: string } | null;
  tags: { skill: { label: string } }[];
  routes: { team: { departmentId: string | null } }[];
}): SearchEntry {
  const flat = i.text.replace(/\s+/g, " ").trim();
  return {
    type: "insight",
    id: i.id,
    title: flat.length > 90 ? `${flat.slice(0, 89)}…` : flat,
    subtitle: [i.account?.name, i.channel, i.status.replace("_", " ")].filter(Boolean).join(" · "),
    body: `${i.account?.name ?? ""}\n${i.text}`,
    // Sorted: the relations come in no particular order, and the entry must not depend on it.
    tags: [...new Set(i.tags.map((t) => t.skill.label))].sort(),
    departmentIds: [...new Set(i.routes.map((r) => r.team.departmentId).filter((x): x is string => !!x))].sort(),
    date: i.createdAt.getTime(),
    url: `/insights/${i.id}`,
  };
}

// ── loading ──

/** Pages through a table by id, so the whole table is never one Prisma result. */
async function* paged<R extends { id: string }>(fetch: (cursor: string | undefined) => Promise<R[]>): AsyncGenerator<R> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await fetch(cursor);
    yield* rows;
    if (rows.length < PAGE) return;
    cursor = rows[rows.length - 1]!.id;
  }
}
const page = (cursor: string | undefined) => ({ orderBy: { id: "asc" as const }, take: PAGE, ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}) });

const activePeople = { active: true };
const liveDocs = { deletedAt: null };
const liveQuestions = { deletedAt: null };
const liveAnswers = { deletedAt: null, question: { deletedAt: null } };

async function* allEntries(db: Db): AsyncGenerator<SearchEntry> {
  // People first: they are what the palette is most often asked for.
  for await (const u of paged((c) => db.user.findMany({ where: activePeople, select: personSelect, ...page(c) }))) yield personEntry(u);
  for await (const q of paged((c) => db.question.findMany({ where: liveQuestions, select: questionSelect, ...page(c) }))) yield questionEntry(q);
  for await (const a of paged((c) => db.answer.findMany({ where: liveAnswers, select: answerSelect, ...page(c) }))) yield answerEntry(a);
  for await (const i of paged((c) => db.insight.findMany({ select: insightSelect, ...page(c) }))) yield insightEntry(i);
  for await (const d of paged((c) => db.document.findMany({ where: liveDocs, select: docSelect, ...page(c) }))) yield docEntry(d);
}

/** Up to this many entities the index is built before the server listens; above, in the background. */
export const SYNC_BUILD_LIMIT = 20_000;
const BATCH = 2_000;

async function countAll(db: Db): Promise<number> {
  const counts = await Promise.all([
    db.user.count({ where: activePeople }),
    db.question.count({ where: liveQuestions }),
    db.answer.count({ where: liveAnswers }),
    db.insight.count(),
    db.document.count({ where: liveDocs }),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Reads everything searchable, page by page, into a fresh index. Between pages the event loop
 * runs, so requests are served (and events applied) while a large index fills (decision 061).
 */
export async function buildUnifiedIndex(db: Db, index: UnifiedIndex): Promise<number> {
  index.beginBuild(await countAll(db));
  let batch: SearchEntry[] = [];
  for await (const e of allEntries(db)) {
    if (index.isCancelled) return index.size;
    batch.push(e);
    if (batch.length >= BATCH) {
      index.addBatch(batch);
      batch = [];
      await new Promise((r) => setImmediate(r));
    }
  }
  index.addBatch(batch);
  index.endBuild();
  return index.size;
}

// ── one entity at a time ──

export async function reindexPerson(db: Db, index: UnifiedIndex, userId: string) {
  const u = await db.user.findFirst({ where: { id: userId, ...activePeople }, select: personSelect });
  if (u) index.upsert(personEntry(u));
  else index.remove("person", userId);
}

async function reindexAllPeople(db: Db, index: UnifiedIndex) {
  const seen = new Set<string>();
  for await (const u of paged((c) => db.user.findMany({ where: activePeople, select: personSelect, ...page(c) }))) {
    seen.add(u.id);
    index.upsert(personEntry(u));
  }
  index.removeWhere((m) => m.type === "person" && !seen.has(m.id));
}

export async function reindexDoc(db: Db, index: UnifiedIndex, docId: string) {
  const d = await db.document.findFirst({ where: { id: docId, ...liveDocs }, select: docSelect });
  if (d) index.upsert(docEntry(d));
  else index.remove("doc", docId);
}

/** A question and all its answers: asked, edited, answered, voted, accepted, deleted. */
export async function reindexThread(db: Db, index: UnifiedIndex, questionId: string) {
  const q = await db.question.findFirst({ where: { id: questionId, ...liveQuestions }, select: questionSelect });
  if (!q) {
    index.removeChildren("answer", questionId);
    index.remove("question", questionId);
    return;
  }
  index.upsert(questionEntry(q));
  const answers = await db.answer.findMany({ where: { questionId, ...liveAnswers }, select: answerSelect });
  // Answers still there are upserted (re-tokenised only if their words changed); the others removed.
  const live = new Set(answers.map((a) => a.id));
  index.removeChildren("answer", questionId, (id) => !live.has(id));
  for (const a of answers) index.upsert(answerEntry(a));
}

/**
 * A question's own entry: an answer or a vote changes its count, score and activity date, not its
 * words, so the index swaps the record without re-tokenising (and none of its answers are read).
 */
export async function reindexQuestionEntry(db: Db, index: UnifiedIndex, questionId: string) {
  const q = await db.question.findFirst({ where: { id: questionId, ...liveQuestions }, select: questionSelect });
  if (q) return index.upsert(questionEntry(q));
  index.removeChildren("answer", questionId);
  index.remove("question", questionId);
}

/** One answer, posted or voted on: that entry only, whatever the length of its thread. */
export async function reindexAnswer(db: Db, index: UnifiedIndex, answerId: string) {
  const a = await db.answer.findFirst({ where: { id: answerId, ...liveAnswers }, select: answerSelect });
  if (a) index.upsert(answerEntry(a));
  else index.remove("answer", answerId);
}

type InsightRow = Parameters<typeof insightEntry>[0];

/** The row insightEntry needs, in two prepared statements instead of Prisma's six (every ingest runs this). */
export async function insightRowSql(reads: SqlReads, insightId: string): Promise<InsightRow | null> {
  const i = await reads.one<{ id: string; text: string; channel: string; status: string; createdAt: unknown; accountName: string | null }>(
    `SELECT i."id", i."text", i."channel", i."status", i."createdAt", a."name" AS "accountName"
     FROM "Insight" i LEFT JOIN "CustomerAccount" a ON a."id" = i."accountId" WHERE i."id" = ?`,
    insightId,
  );
  if (!i) return null;
  const parts = await reads.all<{ kind: string; value: string | null }>(
    `SELECT 'tag' AS "kind", s."label" AS "value" FROM "InsightTag" t JOIN "Skill" s ON s."id" = t."skillId" WHERE t."insightId" = ?
     UNION ALL SELECT 'route', tm."departmentId" FROM "InsightRoute" r JOIN "Team" tm ON tm."id" = r."teamId" WHERE r."insightId" = ?`,
    insightId,
    insightId,
  );
  return {
    id: i.id,
    text: i.text,
    channel: i.channel,
    status: i.status,
    createdAt: sqlDate(i.createdAt),
    account: i.accountName === null ? null : { name: i.accountName },
    tags: parts.filter((p) => p.kind === "tag").map((p) => ({ skill: { label: p.value ?? "" } })),
    routes: parts.filter((p) => p.kind === "route").map((p) => ({ team: { departmentId: p.value } })),
  };
}

/** The same row through Prisma (contexts without a read connection). */
export const insightRowPrisma = (db: Db, insightId: string): Promise<InsightRow | null> => db.insight.findUnique({ where: { id: insightId }, select: insightSelect });

export async function reindexInsight(db: Db, index: UnifiedIndex, insightId: string, reads?: SqlReads) {
  const i = reads ? await insightRowSql(reads, insightId) : await insightRowPrisma(db, insightId);
  if (i) index.upsert(insightEntry(i));
  else index.remove("insight", insightId);
}

/**
 * Subscribes the index to the domain events, then builds it: before returning when the database
 * is small (tests, most installations), in the background when it is large, so the server is
 * listening within seconds and search fills in (people first). Subscriptions come first, so no
 * change can fall between the read and the subscription.
 */
export async function startUnifiedSearch(ctx: Pick<Ctx, "db" | "bus" | "searchIndex" | "reads">): Promise<{ background: boolean; done: Promise<number> }> {
  const { db, bus, searchIndex: index } = ctx;
  // Re-indexing reads the database: queued per entity and run a moment later, off the verb's
  // path; searches wait for what is queued (decision 093).
  const later = (key: string, job: () => Promise<void>) => void index.enqueue(key, job);
  bus.subscribe("person.updated", (p) => later(`person:${p.userId}`, () => reindexPerson(db, index, p.userId)));
  bus.subscribe("person.deactivated", (p) => later(`person:${p.userId}`, async () => index.remove("person", p.userId)));
  bus.subscribe("directory.imported", () => later("people", () => reindexAllPeople(db, index)));
  // Department and team names, skill synonyms ("k8s"): all part of what finds a person.
  bus.subscribe("org.changed", () => later("people", () => reindexAllPeople(db, index)));
  const doc = (docId: string) => later(`doc:${docId}`, () => reindexDoc(db, index, docId));
  bus.subscribe("doc.created", (p) => doc(p.docId));
  bus.subscribe("doc.updated", (p) => doc(p.docId));
  bus.subscribe("doc.text.settled", (p) => doc(p.docId));
  bus.subscribe("doc.access.changed", (p) => p.docIds.forEach(doc));
  // A whole thread is re-read only when every answer may have changed (an edited title or tags,
  // a deletion, an acceptance moving): an answer or a vote costs the same on a long thread as on
  // a new one, and re-indexing an entry whose words did not change re-tokenises nothing.
  const thread = (questionId: string) => later(`thread:${questionId}`, () => reindexThread(db, index, questionId));
  const question = (questionId: string) => later(`question:${questionId}`, () => reindexQuestionEntry(db, index, questionId));
  const answer = (answerId: string) => later(`answer:${answerId}`, () => reindexAnswer(db, index, answerId));
  bus.subscribe("question.asked", (p) => thread(p.questionId));
  bus.subscribe("question.updated", (p) => thread(p.questionId));
  bus.subscribe("question.answered", (p) => {
    question(p.questionId);
    answer(p.answerId);
  });
  bus.subscribe("question.voted", (p) => (p.target === "answer" ? answer(p.targetId) : question(p.questionId)));
  bus.subscribe("question.accepted", (p) => thread(p.questionId));
  const insight = (id: string) => later(`insight:${id}`, () => reindexInsight(db, index, id, ctx.reads));
  bus.subscribe("insight.routed", (p) => insight(p.insight.id));
  bus.subscribe("insight.updated", (p) => insight(p.insight.id));
  const background = (await countAll(db)) > SYNC_BUILD_LIMIT;
  const done = buildUnifiedIndex(db, index).catch((err) => {
    if (!index.isCancelled) console.error("[search] building the index failed", err);
    return index.size;
  });
  if (!background) await done;
  else
    void done.then((n) => {
      if (!index.ready) return;
      compactHeap(); // the fill's rows and tokens are garbage now
      console.log(`[search] index ready: ${n} entries`);
    });
  return { background, done };
}
