import type { SqlReads } from "../db-reads.js";
import type { SqlWrites } from "../db-writes.js";
import type { ZodType, ZodTypeDef } from "zod";
import type { Db } from "../db.js";
import type { Env } from "../env.js";
import type { EventBus, PresenceState } from "../events.js";
import type { AnswererIndex } from "../search/answerer-index.js";
import type { ExpertiseIndex } from "../search/expertise-index.js";
import type { PeopleIndex } from "../search/people-index.js";
import type { QuestionsIndex } from "../search/questions-index.js";
import type { CollabService } from "../collab/service.js";
import type { UnifiedIndex } from "../search/unified-index.js";
import type { LimiterFactory, RateLimiter } from "./rate-limit.js";
import type { Mailer } from "../mail/mailer.js";
import { ValidationError } from "./errors.js";
import { MALFORMED_TEXT_MESSAGE, malformedTextPaths } from "../../app/schemas/well-formed.js";

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface PresenceReader {
  stateOf(userId: string): PresenceState;
  snapshot(): { userId: string; state: PresenceState }[];
}

/** Everything a verb may use. Built once by the composition root (server/atrium.ts). */
export interface Ctx {
  db: Db;
  /**
   * Prepared SQL for the reads every page makes (server/db-reads.ts); Prisma does everything else.
   * The running app always has it; contexts without it (the seed's) read those through Prisma.
   */
  reads?: SqlReads;
  /**
   * Prepared SQL for the writes every ingested insight makes (server/db-writes.ts, decision 330);
   * contexts without it (the seed's) write those through Prisma.
   */
  writes?: SqlWrites;
  bus: EventBus;
  env: Env;
  clock: Clock;
  peopleIndex: PeopleIndex;
  presence: PresenceReader;
  loginLimiter: RateLimiter;
  /** Makes the other named limiters (limiterOf); in memory when absent. */
  limiters?: LimiterFactory;
  // Q&A
  questionsIndex: QuestionsIndex;
  expertise: ExpertiseIndex;
  /** Who answered what (text, tags, recency, responsiveness): routing's history-based half. */
  answerers: AnswererIndex;
  // ── Documents ──
  collab: CollabService;
  // ── feed ── outgoing mail (digests); absent when no SMTP is configured
  mailer?: Mailer;
  // ── search ── (replaces the documents-only index)
  searchIndex: UnifiedIndex;
}

/** Parse input with a shared schema; failures become field-level messages keyed by path. */
export function parse<T>(schema: ZodType<T, ZodTypeDef, unknown>, input: unknown): T {
  const malformed = malformedTextPaths(input);
  if (malformed.length) throw new ValidationError(Object.fromEntries(malformed.map((p) => [p.length ? p.join(".") : "form", [MALFORMED_TEXT_MESSAGE]])));
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  throw new ValidationError(fieldErrors);
}

export const NOT_A_VERB = Symbol("not a verb");

/**
 * Marks an exported helper that does not take the context first (hashing, sniffing, pure
 * mapping), so `createDomain` does not bind it as a verb.
 */
export function notAVerb<F extends (...args: any[]) => unknown>(fn: F): F & { [NOT_A_VERB]: true } {
  return Object.assign(fn, { [NOT_A_VERB]: true as const });
}
