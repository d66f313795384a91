import { data } from "@remix-run/node";
import { asResponse, isDomainError, type ActionErrors } from "./http.server";

/**
 * Runs a Q&A verb from an action. Besides invalid input (422), a refused step that the page
 * can explain in place — voting on your own answer, answering a closed question (403) — comes
 * back as a message next to the control instead of replacing the page with an error screen.
 */
export async function runQaAction<T>(fn: () => Promise<T>, values?: unknown) {
  try {
    return await fn();
  } catch (e) {
    if (isDomainError(e) && (e.status === 422 || e.status === 429 || e.status === 403)) {
      return data<ActionErrors>({ ok: false, message: e.message, fieldErrors: e.fieldErrors ?? {}, values }, { status: e.status });
    }
    throw asResponse(e);
  }
}

/** A body as the rich-text field posts it: editor JSON, or the textarea's plain text. */
export function bodyFrom(form: FormData, name = "body") {
  const json = form.get(`${name}Json`);
  const plain = form.get(`${name}Plain`);
  return { json: typeof json === "string" && json ? json : null, plain: typeof plain === "string" ? plain : null };
}

export const str = (v: FormDataEntryValue | null) => (typeof v === "string" ? v : "");
