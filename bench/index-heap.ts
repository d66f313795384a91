/**
 * Live heap of each in-memory search index, built from a database the way the server builds it
 * at start (the same build functions), one index at a time: heap used (after a full GC) with the
 * index, minus heap used once it is let go. Needs a filled database, e.g. the company database the
 * page benchmark writes (bench/pages.ts keeps none; copy one while it runs, or seed your own).
 *
 *   DATABASE_URL=file:/path/company.db node --expose-gc --import tsx bench/index-heap.ts [people,questions,answerers,unified]
 */
import { performance } from "node:perf_hooks";
import { createDb } from "../server/db.js";
import type { Ctx } from "../server/domain/context.js";
import { buildPeopleIndex } from "../server/domain/people.js";
import { buildAnswererIndex, buildQuestionsIndex } from "../server/domain/qa-indexes.js";
import { AnswererIndex } from "../server/search/answerer-index.js";
import { PeopleIndex } from "../server/search/people-index.js";
import { QuestionsIndex } from "../server/search/questions-index.js";
import { UnifiedIndex } from "../server/search/unified-index.js";
import { buildUnifiedIndex } from "../server/search/unified-sync.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL=file:… of a filled database");
const which = (process.argv[2] ?? "people,questions,answerers,unified").split(",");

const heap = () => {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
};
const mb = (b: number) => (b / 1048576).toFixed(1);

const db = await createDb(url);
const builds: Record<string, () => Promise<{ keep: unknown; n: number }>> = {
  people: async () => {
    const peopleIndex = new PeopleIndex();
    return { keep: peopleIndex, n: await buildPeopleIndex({ db, peopleIndex } as unknown as Ctx) };
  },
  questions: async () => {
    const questionsIndex = new QuestionsIndex();
    return { keep: questionsIndex, n: await buildQuestionsIndex({ db, questionsIndex } as unknown as Ctx) };
  },
  answerers: async () => {
    const answerers = new AnswererIndex();
    return { keep: answerers, n: await buildAnswererIndex({ db, answerers } as unknown as Ctx) };
  },
  unified: async () => {
    const index = new UnifiedIndex(() => Date.UTC(2026, 11, 1));
    return { keep: index, n: await buildUnifiedIndex(db, index) };
  },
};
// Warm-up: Prisma's engine, the modules and the stem cache are not any one index's.
await buildPeopleIndex({ db, peopleIndex: new PeopleIndex() } as unknown as Ctx);
/** Builds one index and measures it; the index is gone once this returns. */
async function measure(name: string) {
  const before = heap();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const built = await builds[name]!();
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  const withIndex = heap();
  return { n: built.n, grew: withIndex - before, withIndex, ms, cpuMs: (cpu.user + cpu.system) / 1_000 };
}
for (const name of which) {
  const m = await measure(name);
  const after = heap();
  console.log(
    `${name.padEnd(10)} ${String(m.n).padStart(7)} entries · live heap ${mb(m.withIndex - after).padStart(6)} MB ` +
      `(heap grew ${mb(m.grew)} MB while building it) · build ${(m.ms / 1000).toFixed(1)} s wall, ${(m.cpuMs / 1000).toFixed(1)} s CPU`,
  );
}
await db.$disconnect();
