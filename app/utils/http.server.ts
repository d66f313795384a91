import { data, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { readSessionToken } from "../../server/http/cookies.js";
import { safeRedirectPath } from "../../server/platform/safe-redirect.js";

/**
 * Domain errors cross the Remix bundle boundary, so they are recognised by shape, not by class.
 */
export interface DomainErrorShape {
  status: number;
  code: string;
  message: string;
  fieldErrors?: Record<string, string[] | undefined>;
  retryAfterSeconds?: number;
}

export function isDomainError(e: unknown): e is DomainErrorShape {
  return !!e && typeof e === "object" && typeof (e as DomainErrorShape).status === "number" && typeof (e as DomainErrorShape).code === "string";
}

export type ActionErrors = {
  ok: false;
  message: string;
  fieldErrors: Record<string, string[] | undefined>;
  /** What the person typed, so a page re-rendered without JavaScript loses nothing. */
  values?: unknown;
};

/**
 * Runs a verb from an action. Validation problems come back as field-level messages (nothing was
 * written); 403/404 become the error pages; anything else is a real failure.
 */
export async function runAction<T>(fn: () => Promise<T>, values?: unknown) {
  try {
    return await fn();
  } catch (e) {
    if (isDomainError(e) && (e.status === 422 || e.status === 429)) {
      return data<ActionErrors>({ ok: false, message: e.message, fieldErrors: e.fieldErrors ?? {}, values }, { status: e.status });
    }
    throw asResponse(e);
  }
}

/** The message a page shows for refused input: the first field's own message, not "correct the highlighted fields" (an error page highlights none). */
const problemOf = (e: DomainErrorShape) => (e.status === 422 && Object.values(e.fieldErrors ?? {}).flat()[0]) || e.message;

export function asResponse(e: unknown): unknown {
  if (isDomainError(e)) return new Response(problemOf(e), { status: e.status, statusText: e.code });
  return e;
}

/** Runs a verb from a loader: 403/404 become the error pages. */
export async function load<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asResponse(e);
  }
}

/**
 * Runs a read whose input comes from the page's address (a search box, filters): input the verb
 * refuses (422) becomes a message for the page to show beside its form, with the rest of the page
 * still there; 403/404 become the error pages as in `load`.
 */
export async function loadQuery<T>(fn: () => Promise<T>): Promise<{ value: T; problem: null } | { value: null; problem: string }> {
  try {
    return { value: await fn(), problem: null };
  } catch (e) {
    if (isDomainError(e) && e.status === 422) return { value: null, problem: problemOf(e) };
    throw asResponse(e);
  }
}

type Auth = Awaited<ReturnType<AppLoadContext["domain"]["accounts"]["authenticate"]>>;
const authOfRequest = new WeakMap<AppLoadContext, Promise<Auth>>();

/**
 * The signed-in person, looked up once per page view: the root and the page loaders of one GET
 * share the load context, which is made afresh for every request. Requests that run an action are
 * not shared: the action may end the session the loaders after it would otherwise still see.
 */
export async function getAuth(request: Request, context: AppLoadContext) {
  const lookup = () => context.domain.accounts.authenticate(readSessionToken(request.headers.get("cookie")));
  if (request.method !== "GET" && request.method !== "HEAD") return lookup();
  let auth = authOfRequest.get(context);
  if (!auth) {
    auth = lookup();
    authOfRequest.set(context, auth);
  }
  return auth;
}

export async function requireAuth(request: Request, context: AppLoadContext) {
  const auth = await getAuth(request, context);
  if (!auth) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return auth;
}

/**
 * Signed out, a resource route that a page fetches while someone types (similar questions, search
 * suggestions, @mention candidates, an image dropped into a document) answers this instead of
 * redirecting: a fetcher that is redirected takes the whole page, and what is typed on it, to the
 * sign-in page, and a plain fetch would read the sign-in page as its answer. The page says the
 * session ended instead.
 */
export const SIGNED_OUT_MESSAGE = "Your session has ended. Sign in again (in another tab, so nothing here is lost), then try again.";
export const SIGNED_OUT_FOR_FETCHER = () =>
  Response.json({ signedOut: true, error: SIGNED_OUT_MESSAGE }, { status: 401, headers: { "Cache-Control": "no-store" } });

/** The signed-in person for such a resource route, or the 401 above to return. */
export async function authForFetcher(request: Request, context: AppLoadContext) {
  const auth = await getAuth(request, context);
  return auth ?? SIGNED_OUT_FOR_FETCHER();
}

export function cookieSecure(context: AppLoadContext, request: Request) {
  const v = context.env.COOKIE_SECURE;
  if (v === "auto") return context.env.NODE_ENV === "production" && new URL(request.url).protocol === "https:";
  return v === "true";
}

/** A redirect target from the request, resolved against the app's own origin (server/platform/safe-redirect.ts). */
export function safeRedirect(context: AppLoadContext, to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  return safeRedirectPath(to, context.env.APP_URL, fallback);
}
