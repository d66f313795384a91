import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { ssoCookie } from "../../server/http/sso-cookie.js";
import { cookieSecure, load } from "~/utils/http.server";

/** GET /auth/oidc?redirectTo=/path — off to the company's identity provider. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = new URL(request.url).searchParams.get("redirectTo");
  const { url, txn, maxAgeSeconds } = await load(() => context.domain.sso.beginSso({ redirectTo }, { ip: context.clientIp, userAgent: context.userAgent }));
  return redirect(url, { headers: { "Set-Cookie": ssoCookie(txn, maxAgeSeconds, cookieSecure(context, request)), "Cache-Control": "no-store" } });
}
