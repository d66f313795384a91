import { describe, expect, it, vi } from "vitest";
import { PostingList } from "../../../server/search/posting-list.js";
import { parseQuery } from "../../../server/search/query.js";
import { UnifiedIndex, VACUUM_AFTER_MS, type Reader, type SearchEntry } from "../../../server/search/unified-index.js";

/** A small deterministic random stream (the test must fail the same way every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

describe("PostingList answers as the Map MiniSearch would keep", () => {
  it("get, set, delete, has, size and iteration match a Map over random operations", () => {
    const r = rng(7);
    for (let round = 0; round < 50; round++) {
      const map = new Map<number, number>();
      let nextId = 0;
      // Built from a Map in insertion order (ids ascending, as MiniSearch hands them out).
      for (let i = 0; i < 1 + Math.floor(r() * 40); i++) if (r() < 0.7) map.set((nextId += 1 + Math.floor(r() * 3)), 1 + Math.floor(r() * 5));
      const list = PostingList.from(map);
      for (let op = 0; op < 200; op++) {
        const x = r();
        const id = Math.floor(r() * (nextId + 3));
        if (x < 0.35) {
          const appended = (nextId += 1 + Math.floor(r() * 2));
          map.set(appended, 1);
          list.set(appended, 1);
        } else if (x < 0.6) {
          const n = (map.get(id) ?? 0) + 1;
          // A Map keeps a re-set key where it was; a new key in the middle only happens in this test.
          if (map.has(id)) map.set(id, n);
          else {
            const all = [...map, [id, n] as [number, number]].sort((a, b) => a[0] - b[0]);
            map.clear();
            for (const [k, v] of all) map.set(k, v);
          }
          list.set(id, n);
        } else if (x < 0.8) {
          expect(list.delete(id)).toBe(map.delete(id));
        } else {
          expect(list.get(id)).toBe(map.get(id));
          expect(list.has(id)).toBe(map.has(id));
        }
        expect(list.size).toBe(map.size);
      }
      expect([...list]).toEqual([...map]);
      expect([...list.keys()]).toEqual([...map.keys()]);
      const seen: [number, number][] = [];
      list.forEach((n, id) => seen.push([id, n]));
      expect(seen).toEqual([...map]);
    }
  });

  it("deleting entries while iterating (MiniSearch's vacuum) visits every entry once", () => {
    const entries: [number, number][] = Array.from({ length: 30 }, (_, i) => [i * 2, 1 + (i % 4)]);
    const list = PostingList.from(entries);
    const visited: number[] = [];
    for (const [id] of list) {
      visited.push(id);
      if (id % 3 === 0) list.delete(id);
    }
    expect(visited).toEqual(entries.map(([id]) => id));
    expect([...list.keys()]).toEqual(entries.map(([id]) => id).filter((id) => id % 3 !== 0));
  });

  it("keeps counts far past a byte and refuses one it cannot hold", () => {
    const list = PostingList.from([[3, 70_000]]);
    list.set(9_000_000, 65_536);
    expect(list.get(3)).toBe(70_000);
    expect(list.get(9_000_000)).toBe(65_536);
    expect(() => list.set(4, 2 ** 20)).toThrow(RangeError);
  });
});

describe("the index over compacted postings", () => {
  const NOW = Date.parse("2026-11-23T12:00:00Z");
  const reader: Reader = { actor: { id: "u", role: "member", departmentId: "eng", active: true }, teamIds: [] };
  const entry = (id: string, title: string, body = ""): SearchEntry => ({ type: "question", id, title, body, subtitle: "", tags: [], departmentIds: [], date: NOW, url: `/questions/${id}`, authorId: "a" });

  it("after discarding and a vacuum, every kept entry is still found and none of the removed", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const idx = new UnifiedIndex(() => NOW);
      idx.build(Array.from({ length: 40 }, (_, i) => entry(`q${i}`, `tunnel ${i % 2 ? "north" : "south"}`)));
      for (let i = 0; i < 40; i += 3) idx.remove("question", `q${i}`);
      idx.upsert(entry("q99", "tunnel north", "zanzibar"));
      expect(idx.dirt).toBeGreaterThan(0);
      await vi.advanceTimersByTimeAsync(VACUUM_AFTER_MS); // the scheduled vacuum runs
      expect(idx.dirt).toBe(0);
      expect(idx.upkeep.vacuums).toBe(1);
      const found = idx.search(reader, parseQuery("tunnel"), {}, { limit: 100 }).hits.map((h) => h.meta.id).sort();
      const kept = [...Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => `q${i}`), "q99"].sort();
      expect(found).toEqual(kept);
      expect(idx.search(reader, parseQuery("zanzibar")).hits.map((h) => h.meta.id)).toEqual(["q99"]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("records share repeated lists and strings", () => {
  const NOW = Date.parse("2026-11-23T12:00:00Z");
  const reader: Reader = { actor: { id: "u", role: "member", departmentId: "eng", active: true }, teamIds: [] };
  const doc = (id: string): SearchEntry => ({
    type: "doc", id, title: `tunnel ${id}`, body: "", subtitle: "Space", tags: ["SAML"], departmentIds: ["eng"], date: NOW, url: `/docs/${id}`,
    access: { ownerId: "o", visibility: "company", departmentId: "eng", audienceRole: "editor", shares: [] },
  });
  const found = (idx: UnifiedIndex, f: object) => idx.search(reader, parseQuery("tunnel"), f).hits.map((h) => h.meta.id).sort();

  it("changing one entry's departments or access leaves the entries it shared them with as they were", () => {
    const idx = new UnifiedIndex(() => NOW);
    idx.build([doc("d1"), doc("d2")]);
    expect(idx.get("doc", "d1")!.departmentIds).toBe(idx.get("doc", "d2")!.departmentIds);
    idx.patch("doc", "d1", { departmentIds: ["ops"], access: { ownerId: "o", visibility: "private", departmentId: "eng", audienceRole: "editor", shares: [] } });
    expect(found(idx, { departmentId: "eng" })).toEqual(["d2"]);
    idx.patch("doc", "d1", { access: { ownerId: "o", visibility: "company", departmentId: "eng", audienceRole: "editor", shares: [] } });
    expect(found(idx, { departmentId: "ops" })).toEqual(["d1"]);
    expect(found(idx, { tag: "saml" })).toEqual(["d1", "d2"]);
    expect(idx.get("doc", "d1")!.access).toMatchObject({ visibility: "company" });
  });
});
