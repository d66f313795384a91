import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Where a request came from (address and browser), for the audit log. The HTTP layer opens a
 * scope per request; verbs read it when they record an audit event, so every existing caller
 * (Remix actions, the API, socket handlers) is covered without threading a new argument through
 * each verb. A verb that already receives this explicitly (signIn) passes it on instead.
 *
 * Server-only: never import this from app/ (the Remix bundle would get its own, empty copy).
 */
export interface RequestMeta {
  ip: string;
  userAgent: string;
}

const storage = new AsyncLocalStorage<RequestMeta>();

export function withRequestMeta<T>(meta: RequestMeta, fn: () => T): T {
  return storage.run({ ip: meta.ip.slice(0, 64), userAgent: meta.userAgent.slice(0, 300) }, fn);
}

export function currentRequestMeta(): RequestMeta {
  return storage.getStore() ?? { ip: "", userAgent: "" };
}
