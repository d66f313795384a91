/**
 * Home feed query time (decision 065): 1,000 people in 10 departments, a year of activity
 * (18,000 questions, 27,000 answers, 3,000 documents, 4,000 routed insights → ~60,000 feed rows
 * after the backfill), each person following ~15 people, 3 tags and a space. Measures the first
 * page and a "Load more" page of getFeed for 300 readers, against two peers in the same run: the
 * Q&A "newest questions" page (a plain indexed page of the same size) and the unfiltered newest
 * 20 activity rows (the floor: no personalisation, no policy).
 *
 *   npx tsx bench/feed.ts
 */
import os from "node:os";
import path from "node:path";
import { createAtrium } from "../server/atrium.js";
import { parseEnv } from "../server/env.js";
import { backfillActivity } from "../server/feed/backfill.js";
import type { Actor } from "../server/policy.js";
import { freshBenchDb, ms, rng, sentence, stats, vocabulary } from "./qa-common.js";

const PEOPLE = 1_000;
const DEPTS = 10;
const TEAMS = 30;
const TAGS = 200;
const QUESTIONS = 18_000;
const ANSWERS = 27_000;
const DOCS = 3_000;
const INSIGHTS = 4_000;
const READERS = 300;
const YEAR_MS = 365 * 86_400_000;

const r = rng(6);
const vocab = vocabulary(r, 5_000);
const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
/** Popular people are followed (and active) more: rank k with probability ∝ 1/k. */
const popular = <T>(xs: T[]) => xs[Math.min(xs.length - 1, Math.floor(Math.exp(r() * Math.log(xs.length + 1))) - 1)]!;

async function chunked<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 1_000) await write(rows.slice(i, i + 1_000));
}

async function main() {
  const bench = freshBenchDb("feed");
  const tmp = path.join(os.tmpdir(), "atrium-bench");
  const env = parseEnv({ NODE_ENV: "test", DATABASE_URL: bench.url, UPLOAD_DIR: path.join(tmp, "up"), DOC_FILES_DIR: path.join(tmp, "df") });
  const atrium = await createAtrium({ env, withPages: false });
  const db = atrium.db;
  const t0 = performance.now();
  const now = Date.now();
  const when = () => new Date(now - Math.floor(r() * YEAR_MS));

  const depts = Array.from({ length: DEPTS }, (_, i) => ({ id: `dept${i}`, name: `Department ${i}`, slug: `dept-${i}` }));
  await db.department.createMany({ data: depts });
  await atrium.domain.docs.ensureSpaces();
  const spaces = await db.space.findMany({ select: { id: true, departmentId: true } });
  const teams = Array.from({ length: TEAMS }, (_, i) => ({ id: `team${i}`, name: `Team ${i}`, slug: `team-${i}`, departmentId: depts[i % DEPTS]!.id }));
  await db.team.createMany({ data: teams });
  const users = Array.from({ length: PEOPLE }, (_, i) => ({ id: `user${i}`, email: `user${i}@bench.test`, name: `Person ${i}`, departmentId: depts[i % DEPTS]!.id }));
  await chunked(users, (c) => db.user.createMany({ data: c }));
  await chunked(users.map((u, i) => ({ userId: u.id, teamId: teams[i % TEAMS]!.id })), (c) => db.teamMembership.createMany({ data: c }));
  const skills = Array.from({ length: TAGS }, (_, i) => ({ id: `skill${i}`, name: `tag-${vocab[i]}-${i}`, label: vocab[i]! }));
  await db.skill.createMany({ data: skills });

  const questions = Array.from({ length: QUESTIONS }, (_, i) => {
    const at = when();
    const text = sentence(r, vocab, 20, 60);
    return { id: `q${i}`, authorId: popular(users).id, title: sentence(r, vocab, 5, 10), bodyJson: "{}", bodyText: text, createdAt: at, lastActivityAt: at };
  });
  await chunked(questions, (c) => db.question.createMany({ data: c }));
  await chunked(questions.flatMap((q) => [...new Set([pick(skills).id, popular(skills).id])].map((skillId) => ({ questionId: q.id, skillId }))), (c) => db.questionTag.createMany({ data: c }));
  const answers = Array.from({ length: ANSWERS }, (_, i) => {
    const q = pick(questions);
    return { id: `a${i}`, questionId: q.id, authorId: popular(users).id, bodyJson: "{}", bodyText: sentence(r, vocab, 10, 40), createdAt: new Date(q.createdAt.getTime() + Math.floor(r() * 86_400_000)) };
  });
  await chunked(answers, (c) => db.answer.createMany({ data: c }));
  const qFollows = new Set<string>();
  for (const x of [...questions.map((q) => ({ userId: q.authorId, questionId: q.id })), ...answers.map((a) => ({ userId: a.authorId, questionId: a.questionId }))]) qFollows.add(`${x.userId} ${x.questionId}`);
  await chunked([...qFollows].map((k) => ({ userId: k.split(" ")[0]!, questionId: k.split(" ")[1]! })), (c) => db.questionFollow.createMany({ data: c }));
  const docs = Array.from({ length: DOCS }, (_, i) => {
    const owner = popular(users);
    const v = r();
    const space = r() < 0.3 ? spaces.find((s) => !s.departmentId)! : spaces.find((s) => s.departmentId === owner.departmentId)!;
    return {
      id: `d${i}`,
      title: sentence(r, vocab, 3, 6),
      spaceId: space.id,
      ownerId: owner.id,
      visibility: v < 0.15 ? "private" : v < 0.6 ? "department" : "company",
      departmentId: owner.departmentId,
      createdAt: when(),
      plainText: sentence(r, vocab, 20, 60),
    };
  });
  await chunked(docs, (c) => db.document.createMany({ data: c }));
  const insights = Array.from({ length: INSIGHTS }, (_, i) => ({
    id: `i${i}`,
    text: sentence(r, vocab, 8, 30),
    channel: "email",
    postedById: pick(users).id,
    sentimentScore: 0,
    sentimentLabel: "neutral",
    sentimentAuto: "neutral",
    createdAt: when(),
  }));
  await chunked(insights, (c) => db.insight.createMany({ data: c }));
  await chunked(insights.map((i) => ({ insightId: i.id, teamId: pick(teams).id })), (c) => db.insightRoute.createMany({ data: c }));
  const follows = new Set<string>();
  for (const u of users) for (let k = 0; k < 15; k++) {
    const f = popular(users);
    if (f.id !== u.id) follows.add(`${u.id} ${f.id}`);
  }
  await chunked([...follows].map((k) => ({ followerId: k.split(" ")[0]!, followeeId: k.split(" ")[1]! })), (c) => db.personFollow.createMany({ data: c }));
  const tagFollows = new Set<string>();
  for (const u of users) for (let k = 0; k < 3; k++) tagFollows.add(`${u.id} ${popular(skills).id}`);
  await chunked([...tagFollows].map((k) => ({ userId: k.split(" ")[0]!, skillId: k.split(" ")[1]! })), (c) => db.tagFollow.createMany({ data: c }));
  await chunked(users.map((u) => ({ userId: u.id, spaceId: pick(spaces).id })), (c) => db.spaceFollow.createMany({ data: c }));
  const activity = await backfillActivity(db);
  await db.$executeRawUnsafe("ANALYZE");
  console.log(`Generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${PEOPLE} people, ${QUESTIONS} questions, ${ANSWERS} answers, ${DOCS} documents, ${INSIGHTS} insights, ${follows.size} person follows → ${activity} feed rows`);

  const readers: Actor[] = Array.from({ length: READERS }, (_, i) => {
    const u = users[(i * 37) % PEOPLE]!;
    return { id: u.id, role: "member", departmentId: u.departmentId, active: true };
  });
  const time = async (fn: (a: Actor) => Promise<unknown>) => {
    for (const a of readers.slice(0, 20)) await fn(a); // warm-up
    const samples: number[] = [];
    for (const a of readers) {
      const s = performance.now();
      await fn(a);
      samples.push(performance.now() - s);
    }
    return stats(samples);
  };
  const cursors = new Map<string, string | null>();
  let shown = 0;
  const first = await time(async (a) => {
    const p = await atrium.domain.feed.getFeed(a, {});
    cursors.set(a.id, p.nextCursor);
    shown += p.items.length;
  });
  const second = await time((a) => atrium.domain.feed.getFeed(a, { cursor: cursors.get(a.id) ?? undefined }));
  const peer = await time((a) => atrium.domain.questions.listQuestions(a, {}));
  const floor = await time(() => db.activityItem.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 20 }));

  const row = (name: string, s: ReturnType<typeof stats>) => console.log(`  ${name.padEnd(44)} p50 ${ms(s.p50).padStart(10)}  p95 ${ms(s.p95).padStart(10)}  max ${ms(s.max).padStart(10)}`);
  console.log(`Feed query, ${READERS} readers (load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, ${os.cpus().length} cores):`);
  row("getFeed first page (20 items, policy-checked)", first);
  row("getFeed Load more (cursor)", second);
  row("peer: Q&A newest questions page (20)", peer);
  row("floor: newest 20 activity rows, no filter", floor);
  console.log(`  average items on a first page: ${(shown / (READERS + 20)).toFixed(1)}`);
  console.log(`  ratio feed/peer: p50 ${(first.p50 / peer.p50).toFixed(2)}×, p95 ${(first.p95 / peer.p95).toFixed(2)}× · feed/floor: p50 ${(first.p50 / floor.p50).toFixed(1)}×`);
  await atrium.close();
  bench.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
