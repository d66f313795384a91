import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearSessionCookie, readSessionToken } from "../../server/http/cookies.js";
import { cookieSecure } from "~/utils/http.server";

export async function action({ request, context }: ActionFunctionArgs) {
  await context.domain.accounts.signOut(readSessionToken(request.headers.get("cookie")));
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(cookieSecure(context, request)) } });
}

export const loader = () => redirect("/");
