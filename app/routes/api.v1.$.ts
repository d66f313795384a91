import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bearerToken } from "../../server/http/bearer.js";
import { isDomainError } from "~/utils/http.server";

/**
 * /api/v1/* paths the Express API router (server/http/api/router.ts) does not own: a JSON 404
 * (after the token is checked, so strangers cannot map the API).
 */

function error(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}

async function answer({ request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  try {
    await context.domain.apiTokens.authenticateToken(bearerToken(request.headers.get("authorization")));
  } catch (e) {
    if (isDomainError(e) && e.status === 401) return error(401, e.code, e.message, { "WWW-Authenticate": `Bearer realm="atrium", error="invalid_token"` });
    throw e;
  }
  return error(404, "not_found", `There is no API endpoint at ${new URL(request.url).pathname}. See /api/v1/openapi.json.`);
}

export const loader = (args: LoaderFunctionArgs) => answer(args);
export const action = (args: ActionFunctionArgs) => answer(args);
