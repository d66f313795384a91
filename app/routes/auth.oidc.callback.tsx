import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { readSessionToken, sessionCookie } from "../../server/http/cookies.js";
import { clearSsoCookie, readSsoCookie } from "../../server/http/sso-cookie.js";
import { cookieSecure, isDomainError, load, safeRedirect } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Single sign-on · Atrium" }];

/** The identity provider sends the browser back here with a code (or an error). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const secure = cookieSecure(context, request);
  const url = new URL(request.url);
  try {
    const signed = await context.domain.sso.completeSso(
      { search: url.search, txn: readSsoCookie(request.headers.get("cookie")) },
      { ip: context.clientIp, userAgent: context.userAgent },
    );
    // Signing in always starts a new session id; one this browser presented before ends.
    await context.domain.accounts.signOut(readSessionToken(request.headers.get("cookie")));
    const headers = new Headers();
    headers.append("Set-Cookie", sessionCookie(signed.token, signed.expiresAt, secure));
    headers.append("Set-Cookie", clearSsoCookie(secure));
    return redirect(safeRedirect(context, signed.redirectTo), { headers });
  } catch (e) {
    if (isDomainError(e) && e.status === 400) {
      return data({ message: e.message }, { status: 400, headers: { "Set-Cookie": clearSsoCookie(secure) } });
    }
    return load(() => Promise.reject(e));
  }
}

export default function SsoFailed() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <section className="card narrow-card" data-testid="sso-failed">
      <h1>Single sign-on did not complete</h1>
      <p role="alert">{message}</p>
      <p><Link to="/login" reloadDocument>Back to sign-in</Link></p>
    </section>
  );
}
