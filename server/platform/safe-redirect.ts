/**
 * The one place a redirect target supplied by a request (login `redirectTo`, single sign-on, the
 * follow and reaction forms) is turned into a Location. The target is resolved with the WHATWG URL
 * parser against the app's own origin (APP_URL), exactly as a browser would resolve it, and only a
 * same-origin path survives; anything else — another origin, a scheme-relative `//host`, a
 * `https:host` shorthand, control characters (browsers silently drop tab/CR/LF, turning `/\t/evil`
 * into `//evil`), backslashes (read as `/` by browsers), Unicode spaces, or the same tricks hidden
 * behind percent-encoding in the path — falls back to "/". The result is the parser's normalised,
 * ASCII-only path, so it is always a valid header value.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const SPACE_OR_BACKSLASH = /[\\\s\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const MAX_LENGTH = 2000;

export function safeRedirectPath(to: unknown, appUrl: string, fallback = "/"): string {
  if (typeof to !== "string" || !to || to.length > MAX_LENGTH) return fallback;
  if (CONTROL.test(to) || SPACE_OR_BACKSLASH.test(to)) return fallback;
  // Only a path: not `//host`, not `https:host`, not `javascript:…`.
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  // The path part decoded once must not hide what the checks above refuse (%2F%2F, %09, %5C).
  const rawPath = to.split(/[?#]/, 1)[0]!;
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(rawPath);
  } catch {
    return fallback;
  }
  if (CONTROL.test(decodedPath) || SPACE_OR_BACKSLASH.test(decodedPath) || decodedPath.startsWith("//")) return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(appUrl);
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  const out = url.pathname + url.search + url.hash;
  // `/.//evil` normalises to `//evil`: a scheme-relative URL in a Location header.
  if (!out.startsWith("/") || out.startsWith("//") || out.startsWith("/\\")) return fallback;
  return out;
}
