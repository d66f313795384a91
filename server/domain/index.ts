import * as accounts from "./accounts.js";
import * as passwords from "./passwords.js";
import * as insights from "./insights.js";
import * as routingRules from "./routing-rules.js";
import * as sla from "./sla.js";
import { NOT_A_VERB, type Ctx } from "./context.js";
import { DomainError, NotFoundError } from "./errors.js";
import * as apiTokens from "./api-tokens.js";
import * as audit from "./audit.js";
import * as directory from "./directory.js";
import * as directoryImport from "./directory-import.js";
import * as webhooks from "./webhooks.js";
import * as sso from "./sso.js";
import * as docs from "./docs.js";
import * as notifications from "./notifications.js";
import * as org from "./org.js";
import * as people from "./people.js";
import * as questions from "./questions.js";
import * as importedPeople from "./imported-people.js";
import * as skills from "./skills.js";
import * as dashboard from "./dashboard.js"; // dashboard
// ── feed ──
import * as feed from "./feed.js";
import * as follows from "./follows.js";
import * as reactions from "./reactions.js";
import * as digest from "./digest.js";
import * as search from "./search.js";

type Verbs<M> = {
  [K in keyof M as M[K] extends { [NOT_A_VERB]: true } ? never : M[K] extends (ctx: Ctx, ...a: any[]) => any ? K : never]: M[K] extends (ctx: Ctx, ...a: infer A) => infer R
    ? (...a: A) => R
    : never;
};

/**
 * Another request changed the same rows between a verb's read and its write (a double-clicked
 * delete or follow, a question deleted while someone follows it). On PostgreSQL, where writes do
 * not queue as on SQLite, Prisma then says P2025 ("record required but not found") or P2003 (the
 * parent row just went): the same answer as reading it gone, a 404. Or P2002: the row the verb was
 * about to create was created a moment ago (Prisma's upsert reads, then inserts): a 409. Neither
 * is a server error.
 */
export function lostRace(e: unknown): unknown {
  if ((e as { name?: unknown } | null)?.name !== "PrismaClientKnownRequestError") return e;
  const code = (e as { code?: unknown }).code;
  if (code === "P2025" || code === "P2003") return new NotFoundError("That item, removed a moment ago,");
  if (code === "P2002") return new DomainError("Someone else made the same change a moment ago: reload to see it.", 409, "conflict");
  return e;
}

function bind<M extends Record<string, unknown>>(mod: M, ctx: Ctx): Verbs<M> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mod)) {
    if (typeof v === "function" && !(NOT_A_VERB in v)) {
      out[k] = (...args: unknown[]) => {
        const r = (v as (...a: unknown[]) => unknown)(ctx, ...args);
        return r instanceof Promise ? r.catch((e: unknown) => Promise.reject(lostRace(e))) : r;
      };
    }
  }
  return out as Verbs<M>;
}

/** The domain layer with its context bound: what Remix loaders/actions and socket handlers call. */
export function createDomain(ctx: Ctx) {
  return {
    accounts: bind(accounts, ctx),
    passwords: bind(passwords, ctx),
    people: bind(people, ctx),
    org: bind(org, ctx),
    skills: bind(skills, ctx),
    notifications: bind(notifications, ctx),
    insights: bind(insights, ctx),
    routingRules: bind(routingRules, ctx),
    sla: bind(sla, ctx),
    questions: bind(questions, ctx),
    importedPeople: bind(importedPeople, ctx),
    audit: bind(audit, ctx),
    apiTokens: bind(apiTokens, ctx),
    directory: bind(directory, ctx),
    directoryImport: bind(directoryImport, ctx),
    webhooks: bind(webhooks, ctx),
    sso: bind(sso, ctx),
    docs: bind(docs, ctx),
    dashboard: bind(dashboard, ctx), // dashboard
    // ── feed ──
    feed: bind(feed, ctx),
    follows: bind(follows, ctx),
    reactions: bind(reactions, ctx),
    digest: bind(digest, ctx),
    search: bind(search, ctx),
  };
}
export type Domain = ReturnType<typeof createDomain>;
