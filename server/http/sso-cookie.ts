import { parse, serialize } from "cookie";

/** Ties an OpenID Connect sign-in in flight to the browser that started it (10 minutes). */
export const SSO_COOKIE = "atrium_oidc";

export const readSsoCookie = (header: string | null | undefined) => (header ? parse(header)[SSO_COOKIE] ?? null : null);

// SameSite=Lax: the provider's redirect back is a top-level GET, which carries Lax cookies.
export const ssoCookie = (value: string, maxAge: number, secure: boolean) =>
  serialize(SSO_COOKIE, value, { httpOnly: true, sameSite: "lax", path: "/auth/oidc", secure, maxAge });

export const clearSsoCookie = (secure: boolean) => serialize(SSO_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/auth/oidc", secure, maxAge: 0 });
