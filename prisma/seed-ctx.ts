/**
 * The domain context the seeds write through: the real database, a clock the seed moves to each
 * seeded moment (so verbs stamp the dates a real history would have), and throwaway in-memory
 * indexes and bus (the app rebuilds its indexes from the database when it starts).
 */
import type { Db } from "../server/db.js";
import type { Ctx } from "../server/domain/context.js";
import { MemoryRateLimiter } from "../server/domain/rate-limit.js";
import { parseEnv } from "../server/env.js";
import { InProcessEventBus } from "../server/events.js";
import { PeopleIndex } from "../server/search/people-index.js";
import { QuestionsIndex } from "../server/search/questions-index.js";
import { AnswererIndex } from "../server/search/answerer-index.js";
import { ExpertiseIndex } from "../server/search/expertise-index.js";
import { UnifiedIndex } from "../server/search/unified-index.js";

export interface SeedCtx {
  ctx: Ctx;
  /** Moves the seed's clock: every verb called afterwards reads this time. */
  setNow(at: Date): void;
}

export function seedCtx(db: Db, now: Date): SeedCtx {
  const env = parseEnv({ DATABASE_URL: process.env.DATABASE_URL ?? "file:./data/atrium.db" });
  let at = now;
  const ctx: Ctx = {
    db,
    bus: new InProcessEventBus(),
    env,
    clock: { now: () => at },
    peopleIndex: new PeopleIndex(),
    questionsIndex: new QuestionsIndex(),
    expertise: new ExpertiseIndex(env.QA_EXPERTISE_HALF_LIFE_DAYS),
    answerers: new AnswererIndex(),
    // The verbs the seeds call never touch live document rooms; the seed has no collaboration service.
    collab: null as unknown as Ctx["collab"],
    searchIndex: new UnifiedIndex(),
    presence: { stateOf: () => "offline", snapshot: () => [] },
    loginLimiter: new MemoryRateLimiter(5, 60_000),
  };
  return { ctx, setNow: (d) => void (at = d) };
}
