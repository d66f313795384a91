/**
 * Binds a form to its draft (app/drafts/store.ts). After hydration, if the form is as the page
 * rendered it and a draft is kept, the draft is handed to `restore` and `restored` turns true (the
 * form says so and offers to discard it). From then on every change is saved; a form changed back
 * to how it started keeps no draft. The page a post leads to calls `useDraftPosted`, and the draft goes.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useClock } from "~/components/when";
import { useRootData } from "~/root";
import { draftKey, readDraft, readDraftEntry, removeDraft, removeDrafts, writeDraft, type DraftFields } from "./store";

export type { DraftFields };

const storage = () => (typeof window === "undefined" ? null : safeLocalStorage());

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // disabled by the browser's settings
  }
}

export interface DraftBinding {
  /** True once a kept draft was put back into the form (until it is posted or discarded). */
  restored: boolean;
  /** Forgets the draft (the form itself is reset by the caller). */
  discard: () => void;
}

/**
 * @param form    which form, unique per place (e.g. `answer:<question id>`); null keeps no draft
 * @param fields  what the person typed, compared with the first render to tell a change
 * @param restore puts a kept draft back into the form
 * @param extra   kept with the draft but not compared (the editor's JSON beside its text)
 */
export function useDraft(form: string | null, fields: DraftFields, restore: (saved: DraftFields) => void, extra: DraftFields = {}): DraftBinding {
  const userId = useRootData()?.user?.id ?? null;
  const now = useClock();
  const key = form && userId ? draftKey(userId, form) : null;
  const initial = useRef<string | null>(null);
  const ready = useRef(false);
  const [restored, setRestored] = useState(false);
  const fieldsJson = JSON.stringify(fields);
  if (initial.current === null) initial.current = fieldsJson;

  // After hydration only: the server's HTML never depends on what this browser kept.
  useEffect(() => {
    const s = storage();
    ready.current = false;
    if (!s || !key) return;
    const saved = readDraft(s, key, now());
    if (saved && fieldsJson === initial.current && changed(saved, JSON.parse(initial.current))) {
      restore(saved);
      setRestored(true);
    }
    ready.current = true;
    // Once per form: later changes are saved by the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const extraJson = JSON.stringify(extra);
  const seen = useRef({ fieldsJson, extraJson });
  useEffect(() => {
    const s = storage();
    if (!s || !key || !ready.current) return;
    // Only a change is saved: the first render's fields are the page's, not the person's.
    if (seen.current.fieldsJson === fieldsJson && seen.current.extraJson === extraJson) return;
    seen.current = { fieldsJson, extraJson };
    if (fieldsJson === initial.current) removeDraft(s, key);
    else writeDraft(s, key, { ...JSON.parse(extraJson), ...JSON.parse(fieldsJson) }, now());
  }, [key, fieldsJson, extraJson, now]);

  const discard = useCallback(() => {
    const s = storage();
    if (s && key) removeDraft(s, key);
    setRestored(false);
  }, [key]);
  return { restored, discard };
}

/**
 * A rich-text body (RichTextField) whose draft is kept: its text and the editor's JSON as typed, and
 * `fill` to start the field anew from a draft's `body` and `bodyJson` (or empty). Render the field
 * with `key={body.generation}` and `{...body.field}`.
 */
export function useDraftedBody(initialText = "", initialJson: string | null = null) {
  const [text, setText] = useState(initialText);
  const [json, setJson] = useState(initialJson ?? "");
  const [start, setStart] = useState({ json: initialJson, text: initialText, generation: 0 });
  const fill = useCallback((d: DraftFields) => {
    setText(d.body ?? "");
    setJson(d.bodyJson ?? "");
    setStart((s) => ({ json: d.bodyJson || null, text: d.body ?? "", generation: s.generation + 1 }));
  }, []);
  return {
    text,
    json,
    fill,
    generation: start.generation,
    field: { initialJson: start.json, initialText: start.text, onChange: setText, onJsonChange: setJson },
  };
}

export type DraftedBody = ReturnType<typeof useDraftedBody>;

/**
 * A form of plain fields the page does not hold in state (`defaultValue` inputs, textareas and
 * selects): `start` names every kept field with the value the page renders it with. Give the form
 * `ref` and `onChange`; a kept draft is written back into the fields themselves. A form that also
 * has a rich-text body passes its `useDraftedBody` and the body's starting text and JSON.
 */
export function useFormDraft(form: string | null, start: DraftFields, rich?: { body: DraftedBody; text: string; json: string | null }) {
  const ref = useRef<HTMLFormElement>(null);
  const [fields, setFields] = useState(start);
  const names = Object.keys(start);
  const read = (): DraftFields => {
    const out: DraftFields = {};
    for (const name of names) {
      const el = ref.current?.elements.namedItem(name);
      out[name] = el && "value" in el && typeof el.value === "string" ? el.value : start[name]!;
    }
    return out;
  };
  const write = (d: DraftFields) => {
    for (const name of names) {
      const el = ref.current?.elements.namedItem(name);
      if (el && "value" in el) el.value = d[name] ?? start[name]!;
    }
    setFields(read());
    rich?.body.fill(d);
  };
  const draft = useDraft(form, rich ? { ...fields, body: rich.body.text } : fields, write, rich ? { bodyJson: rich.body.json } : {});
  const onChange = () => setFields(read());
  const reset = () => write(rich ? { ...start, body: rich.text, bodyJson: rich.json ?? "" } : start);
  // `onInput` too: a value a script puts in (a chosen @mention) is announced by an input event only.
  return { ref, onChange, onInput: onChange, draft, reset };
}

/**
 * True, after hydration, while the signed-in person has a draft of `form` kept in this browser: a
 * page opens the closed form (a comment box, an edit) that would put it back.
 */
export function useKeptDraft(form: string | null): boolean {
  const userId = useRootData()?.user?.id ?? null;
  const now = useClock();
  const [kept, setKept] = useState(false);
  useEffect(() => {
    const s = storage();
    setKept(!!(s && form && userId && readDraft(s, draftKey(userId, form), now())));
  }, [form, userId, now]);
  return kept;
}

/** True when a kept draft differs from the fields the form started with. */
function changed(saved: DraftFields, start: DraftFields): boolean {
  return Object.keys(start).some((k) => (saved[k] ?? start[k]) !== start[k]);
}

/**
 * On the page a post leads to: once `posted` is true, the signed-in person's draft of that form
 * goes if it was last changed by the time the post was made (`postedAt`). A draft changed later is
 * a new one (begun in another tab meanwhile) and stays, whenever this page is reloaded.
 */
export function useDraftPosted(form: string, posted: boolean, postedAt: string | number | Date): void {
  const userId = useRootData()?.user?.id;
  const postedMs = new Date(postedAt).getTime();
  const now = useClock();
  useEffect(() => {
    const s = storage();
    if (!posted || !s || !userId) return;
    const key = draftKey(userId, form);
    const kept = readDraftEntry(s, key, now());
    if (kept && kept.at <= postedMs) removeDraft(s, key);
  }, [form, posted, postedMs, userId, now]);
}

/** Forgets every draft kept in this browser (signing out), or only one person's. */
export function clearAllDrafts(userId?: string): void {
  const s = storage();
  if (s) removeDrafts(s, userId ? draftKey(userId, "") : "atrium-draft:");
}
