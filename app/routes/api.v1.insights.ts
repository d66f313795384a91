/**
 * POST /api/v1/insights — the ingest API for social-listening tools and email forwarders.
 * Documented in docs/api/insights.md. Errors are JSON: { error: { code, message, fields? } }.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { isDomainError } from "~/utils/http.server";

const MAX_BODY_BYTES = 64 * 1024;

function apiError(status: number, code: string, message: string, fields?: Record<string, string[] | undefined>, headers?: HeadersInit) {
  return Response.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

export function loader() {
  return apiError(405, "method_not_allowed", "Use POST to send an insight.", undefined, { Allow: "POST" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Use POST to send an insight.", undefined, { Allow: "POST" });
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return apiError(415, "unsupported_media_type", "Send the insight as JSON with 'Content-Type: application/json'.");
  }
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) return apiError(413, "payload_too_large", `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`);
  const raw = await request.text();
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return apiError(413, "payload_too_large", `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`);
  try {
    const r = await context.domain.insights.ingestInsight(request.headers.get("authorization"), raw);
    const url = new URL(`/insights/${r.id}`, request.url).toString();
    const body = r.duplicate
      ? { id: r.id, duplicate: true, url }
      : { id: r.id, duplicate: false, url, status: r.insight.status, sentiment: r.insight.sentiment, teams: r.insight.teams, priority: r.insight.priority };
    return Response.json(body, { status: r.duplicate ? 200 : 201, headers: { "Cache-Control": "no-store", ...(r.duplicate ? {} : { Location: url }) } });
  } catch (e) {
    if (isDomainError(e)) {
      const code = e.code === "invalid" ? "validation_failed" : e.code;
      const message = e.code === "invalid" ? "Some fields are missing or invalid." : e.message;
      return apiError(e.status, code, message, e.fieldErrors, e.status === 401 ? { "WWW-Authenticate": 'Bearer realm="atrium"' } : undefined);
    }
    console.error("[api] ingest failed", e);
    return apiError(500, "internal", "Something went wrong on our side; retrying with the same externalId is safe.");
  }
}
