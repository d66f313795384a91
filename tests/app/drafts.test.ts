/**
 * Drafts of forms (app/drafts/store.ts) over an in-memory Web Storage: kept per person and form,
 * read back as saved, dropped when too old, too large or unreadable, and removed per person or all
 * at once; a storage that refuses writes or reads never throws into the page.
 */
import { beforeEach, describe, expect, test } from "vitest";
import { DRAFT_MAX_AGE_MS, DRAFT_MAX_CHARS, draftKey, readDraft, removeDraft, removeDrafts, writeDraft, type DraftStorage } from "../../app/drafts/store";

/** The Web Storage interface over a Map, as localStorage behaves (string values, ordered keys). */
class MemoryStorage implements DraftStorage {
  items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, String(v));
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

const T0 = Date.parse("2031-05-06T07:08:09Z");
let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
});

test("a draft is kept per person and form, and read back exactly as saved", () => {
  const ask = draftKey("u1", "ask");
  expect(ask).toBe("atrium-draft:u1:ask");
  const fields = { title: "Where is the VPN guide?", body: "Line one\nline «two» ☃", bodyJson: '{"root":{}}', empty: "" };
  expect(writeDraft(storage, ask, fields, T0)).toBe(true);
  expect(readDraft(storage, ask, T0 + 1000)).toEqual(fields);
  expect(readDraft(storage, draftKey("u2", "ask"), T0)).toBeNull();
  expect(readDraft(storage, draftKey("u1", "answer:q1"), T0)).toBeNull();
});

test("a later write replaces the draft and restarts its age", () => {
  const key = draftKey("u1", "ask");
  writeDraft(storage, key, { title: "first" }, T0);
  writeDraft(storage, key, { title: "second" }, T0 + DRAFT_MAX_AGE_MS - 1);
  expect(readDraft(storage, key, T0 + DRAFT_MAX_AGE_MS + 10_000)).toEqual({ title: "second" });
});

describe("dropped", () => {
  test("a draft untouched for longer than the limit is dropped when read, and removed from storage; one at the limit is kept", () => {
    const key = draftKey("u1", "ask");
    writeDraft(storage, key, { title: "old" }, T0);
    expect(readDraft(storage, key, T0 + DRAFT_MAX_AGE_MS)).toEqual({ title: "old" });
    expect(readDraft(storage, key, T0 + DRAFT_MAX_AGE_MS + 1)).toBeNull();
    expect(storage.getItem(key)).toBeNull();
  });

  test.each([
    ["not JSON", "{title:"],
    ["JSON null", "null"],
    ["no time", JSON.stringify({ fields: { title: "x" } })],
    ["a time that is not a number", JSON.stringify({ at: "yesterday", fields: { title: "x" } })],
    ["no fields", JSON.stringify({ at: T0 })],
    ["fields as a list", JSON.stringify({ at: T0, fields: ["x"] })],
    ["a field that is not text", JSON.stringify({ at: T0, fields: { title: "x", tags: 3 } })],
  ])("an unreadable entry (%s) counts as none, and is removed", (_what, raw) => {
    const key = draftKey("u1", "ask");
    storage.setItem(key, raw);
    expect(readDraft(storage, key, T0)).toBeNull();
    expect(storage.getItem(key)).toBeNull();
  });

  test("a draft larger than the limit is not kept, and the earlier one under that key goes too", () => {
    const key = draftKey("u1", "ask");
    writeDraft(storage, key, { body: "short" }, T0);
    expect(writeDraft(storage, key, { body: "x".repeat(DRAFT_MAX_CHARS) }, T0)).toBe(false);
    expect(storage.getItem(key)).toBeNull();
    // Just under the limit is kept.
    const envelope = JSON.stringify({ at: T0, fields: { body: "" } }).length;
    expect(writeDraft(storage, key, { body: "y".repeat(DRAFT_MAX_CHARS - envelope) }, T0)).toBe(true);
    expect(readDraft(storage, key, T0)?.body).toHaveLength(DRAFT_MAX_CHARS - envelope);
  });
});

test("removing one draft leaves the others; removing a person's leaves other people's and other keys", () => {
  storage.setItem("unrelated", "keep me");
  for (const [user, form] of [["u1", "ask"], ["u1", "answer:q1"], ["u1", "answer:q2"], ["u10", "ask"], ["u2", "ask"]] as const) {
    writeDraft(storage, draftKey(user, form), { body: `${user} ${form}` }, T0);
  }
  removeDraft(storage, draftKey("u1", "answer:q1"));
  expect(readDraft(storage, draftKey("u1", "answer:q1"), T0)).toBeNull();
  expect(readDraft(storage, draftKey("u1", "answer:q2"), T0)).toEqual({ body: "u1 answer:q2" });

  expect(removeDrafts(storage, draftKey("u1", ""))).toBe(2);
  expect(readDraft(storage, draftKey("u1", "ask"), T0)).toBeNull();
  // "u10" starts with "u1" but is another person.
  expect(readDraft(storage, draftKey("u10", "ask"), T0)).toEqual({ body: "u10 ask" });
  expect(readDraft(storage, draftKey("u2", "ask"), T0)).toEqual({ body: "u2 ask" });

  expect(removeDrafts(storage, "atrium-draft:")).toBe(2);
  expect([...storage.items.keys()]).toEqual(["unrelated"]);
});

test("a storage that refuses (full, or disabled by the browser) never throws into the page", () => {
  const refusing: DraftStorage = {
    get length(): number {
      throw new Error("SecurityError");
    },
    key: () => {
      throw new Error("SecurityError");
    },
    getItem: () => {
      throw new Error("SecurityError");
    },
    setItem: () => {
      throw new DOMException("quota", "QuotaExceededError");
    },
    removeItem: () => {
      throw new Error("SecurityError");
    },
  };
  const key = draftKey("u1", "ask");
  expect(writeDraft(refusing, key, { title: "x" }, T0)).toBe(false);
  expect(readDraft(refusing, key, T0)).toBeNull();
  expect(() => removeDraft(refusing, key)).not.toThrow();
  expect(removeDrafts(refusing, "atrium-draft:")).toBe(0);
});
