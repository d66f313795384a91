/**
 * What a route file's form posts, read from its source: the fields its action reads or its forms
 * name, the intents it tells apart ("" included: a post without one), and whether it takes files.
 * The bad-input and hostile-path walks derive their requests from it, so a new field or intent is
 * walked without editing them.
 */
export interface RouteForm {
  fields: string[];
  intents: string[];
  multipart: boolean;
}

export function formOf(src: string): RouteForm {
  const fields = new Set<string>();
  for (const m of src.matchAll(/\b(?:form|fd|data)\.(?:get|getAll|has)\(\s*[`"']([^`"'$]+)[`"']/g)) fields.add(m[1]!);
  for (const m of src.matchAll(/\bname=\{?["']([^"']+)["']/g)) fields.add(m[1]!);
  for (const m of src.matchAll(/\b(?:bodyFrom|str)\(form(?:,\s*["']([^"']+)["'])?/g)) {
    const n = m[1] ?? "body";
    fields.add(`${n}Json`).add(`${n}Plain`);
  }
  const intents = new Set<string>([""]);
  for (const m of src.matchAll(/intent["']?\s*(?:===|==|!==)\s*["']([^"']+)["']/g)) intents.add(m[1]!);
  for (const m of src.matchAll(/case\s+["']([a-z][a-z0-9-]*)["']\s*:/g)) intents.add(m[1]!);
  for (const m of src.matchAll(/name=["']intent["'][^>]*value=\{?["']([^"']+)["']/g)) intents.add(m[1]!);
  for (const m of src.matchAll(/value=\{?["']([^"']+)["'][^>]*name=["']intent["']/g)) intents.add(m[1]!);
  fields.delete("intent");
  return { fields: [...fields], intents: [...intents], multipart: /multipart\/form-data/.test(src) };
}
