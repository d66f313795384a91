import * as accounts from "./accounts.js";
import * as docs from "./docs.js";
import type { Ctx } from "./context.js";
import * as notifications from "./notifications.js";
import * as org from "./org.js";
import * as people from "./people.js";
import * as skills from "./skills.js";

type Verbs<M> = {
  [K in keyof M as M[K] extends (ctx: Ctx, ...a: any[]) => any ? K : never]: M[K] extends (ctx: Ctx, ...a: infer A) => infer R
    ? (...a: A) => R
    : never;
};

function bind<M extends Record<string, unknown>>(mod: M, ctx: Ctx): Verbs<M> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mod)) {
    if (typeof v === "function") out[k] = (...args: unknown[]) => (v as (...a: unknown[]) => unknown)(ctx, ...args);
  }
  return out as Verbs<M>;
}

/** The domain layer with its context bound: what Remix loaders/actions and socket handlers call. */
export function createDomain(ctx: Ctx) {
  return {
    accounts: bind(accounts, ctx),
    people: bind(people, ctx),
    org: bind(org, ctx),
    skills: bind(skills, ctx),
    notifications: bind(notifications, ctx),
    docs: bind(docs, ctx),
  };
}
export type Domain = ReturnType<typeof createDomain>;
