import { describe, expect, it, vi } from "vitest";
import type { Action, Actor } from "../../../server/policy.js";

// A policy whose question rule depends on the author (today's rule lets every reader see an
// undeleted post): proves that asking once per author keeps each author's own answer.
vi.mock("../../../server/policy.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../server/policy.js")>();
  return {
    ...real,
    can: (actor: Actor | null, action: Action, resource: unknown) =>
      action === "question.view" ? !!actor?.active && (resource as { authorId: string }).authorId !== "hidden" : real.can(actor, action, resource as never),
  };
});

const { mayOpen, openerFor, UnifiedIndex } = await import("../../../server/search/unified-index.js");
const { parseQuery } = await import("../../../server/search/query.js");
type SearchEntry = import("../../../server/search/unified-index.js").SearchEntry;
type Reader = import("../../../server/search/unified-index.js").Reader;

const NOW = Date.parse("2026-11-23T12:00:00Z");
const post = (type: "question" | "answer", id: string, authorId: string): SearchEntry => ({
  type, id, title: `tunnel ${id}`, body: "", subtitle: "", tags: [], departmentIds: [], date: NOW, url: `/questions/${id}`, authorId,
});
const reader = (active = true): Reader => ({ actor: { id: "r", role: "member", departmentId: "eng", active }, teamIds: [] });

describe("openerFor (the policy asked once per author for questions and answers)", () => {
  it("answers as mayOpen for every entry, author by author", () => {
    const idx = new UnifiedIndex(() => NOW);
    const entries = [post("question", "q1", "ann"), post("answer", "a1", "hidden"), post("question", "q2", "hidden"), post("answer", "a2", "ann"), post("question", "q3", "bob")];
    idx.build(entries);
    for (const r of [reader(), reader(false)]) {
      const open = openerFor(r);
      for (const e of entries) {
        const m = idx.get(e.type, e.id)!;
        expect(open(e.type, m), `${e.id} (${r.actor.active ? "active" : "inactive"})`).toBe(mayOpen(r, m));
      }
    }
    expect(idx.search(reader(), parseQuery("tunnel")).hits.map((h) => h.meta.id).sort()).toEqual(["a2", "q1", "q3"]);
  });
});
