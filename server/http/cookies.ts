import { parse, serialize } from "cookie";

export const SESSION_COOKIE = "atrium_session";

export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  return parse(cookieHeader)[SESSION_COOKIE] ?? null;
}

export function sessionCookie(token: string, expires: Date, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", path: "/", secure, expires });
}

export function clearSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", secure, expires: new Date(0) });
}
