import type { Response } from "express";

/** The API's one error shape: `{ "error": { "code", "message", "details"? } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function sendApiError(res: Response, status: number, code: string, message: string, details?: unknown) {
  const body: ApiErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  res.status(status).type("application/json").send(JSON.stringify(body));
}

/** Domain errors are recognised by shape (status + code), as in the Remix routes. */
export function sendCaughtError(res: Response, e: unknown) {
  const d = e as { status?: unknown; code?: unknown; message?: string; fieldErrors?: unknown; retryAfterSeconds?: number };
  if (e && typeof d.status === "number" && typeof d.code === "string") {
    if (d.status === 401) {
      res.setHeader("WWW-Authenticate", `Bearer realm="atrium", error="invalid_token"`);
      return sendApiError(res, 401, d.code, d.message ?? "Unauthenticated.");
    }
    if (d.status === 422) return sendApiError(res, 422, "invalid", d.message ?? "Invalid input.", { fieldErrors: d.fieldErrors ?? {} });
    if (d.status === 429 && d.retryAfterSeconds) res.setHeader("Retry-After", String(d.retryAfterSeconds));
    return sendApiError(res, d.status, d.code, d.message ?? "Error.");
  }
  console.error("[api] unexpected error", e);
  return sendApiError(res, 500, "internal", "Something went wrong on our side. The error was logged.");
}
