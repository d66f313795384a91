/**
 * Sections and diffs (pure) and the headless section restore: splitting a document into sections,
 * block and word diffs, where a revision's section goes today, and the Yjs update that puts it
 * back without touching anything else.
 */
import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { markdownToState, readBlocks, readState, restoreSectionUpdate } from "../../../server/collab/headless.js";
import { diffBlocks, diffWords, findHeading, lcs, planSectionRestore, splitSections, toBlocks, type Block } from "../../../server/collab/sections.js";

const blocksOf = (md: string) => toBlocks(readState(markdownToState(md), { json: true }).json!.root.children);
const apply = (state: Uint8Array, update: Uint8Array) => Y.mergeUpdates([state, update]);
const textOf = (state: Uint8Array) => readState(state).text;

/** The XmlText of top-level block `i` of a Yjs document (what Lexical's binding writes). */
function block(doc: Y.Doc, i: number): Y.XmlText {
  return (doc.get("root", Y.XmlText).toDelta() as { insert: unknown }[])[i]!.insert as Y.XmlText;
}

/** The same blocks without Yjs identities (as if typed again from scratch). */
const plain = (b: Block[]) => b.map((x) => ({ ...x, yid: null }));

const BRIEF = "Intro line\n\n# Plan\n\nLaunch in May.\n\n## Risks\n\nSupply.\n\n# Budget\n\nTen thousand.";

describe("sections", () => {
  test("a heading owns the blocks up to the next heading of the same or a higher level; the preamble is what comes first", () => {
    const b = blocksOf(BRIEF);
    expect(b.map((x) => [x.kind, x.text])).toEqual([
      ["Paragraph", "Intro line"],
      ["Heading 1", "Plan"],
      ["Paragraph", "Launch in May."],
      ["Heading 2", "Risks"],
      ["Paragraph", "Supply."],
      ["Heading 1", "Budget"],
      ["Paragraph", "Ten thousand."],
    ]);
    expect(splitSections(b).map((s) => [s.heading?.text ?? null, s.start, s.end])).toEqual([
      [null, 0, 1],
      ["Plan", 1, 5],
      ["Risks", 3, 5],
      ["Budget", 5, 7],
    ]);
    expect(splitSections(blocksOf("# Only\n\ntext"))[0]).toMatchObject({ start: 0, end: 0, heading: null });
  });

  test("lists and tables read as lines", () => {
    const [list] = blocksOf("- one\n- two");
    expect(list).toMatchObject({ kind: "Bulleted list", text: "one\ntwo" });
  });

  test("a section is found by its heading today; a vanished one goes back before the heading that followed it, or at the end", () => {
    const rev = blocksOf(BRIEF);
    const moved = blocksOf("# Budget\n\nTwelve.\n\n# Plan\n\nLaunch in June.");
    expect(planSectionRestore(rev, moved, 1)).toMatchObject({ from: 2, to: 4, reinserted: false });
    expect(planSectionRestore(rev, moved, "preamble")).toMatchObject({ from: 0, to: 0, reinserted: false });
    const noPlan = blocksOf("Intro line\n\n# Budget\n\nTwelve.");
    expect(planSectionRestore(rev, noPlan, 1)).toMatchObject({ from: 1, to: 1, reinserted: true });
    expect(planSectionRestore(rev, blocksOf("Just text"), 5)).toMatchObject({ from: 1, to: 1, reinserted: true });
    expect(planSectionRestore(rev, noPlan, 2)).toBeNull(); // not a heading
  });

  test("a document without headings is all preamble; only h1 to h6 are heading levels", () => {
    expect(splitSections(blocksOf("a\n\nb"))).toEqual([{ start: 0, end: 2, heading: null }]);
    const tags = ["h10", "xh1", "h1x"].map((tag) => ({ type: "heading", tag, version: 1, children: [] }) as never);
    expect(toBlocks(tags).map((b) => b.level)).toEqual([0, 0, 0]);
  });

  test("a heading is found by title when it is another element today (the document was typed again)", () => {
    const rev = readBlocks(markdownToState(BRIEF));
    const retyped = readBlocks(markdownToState(BRIEF)); // same titles, other Yjs elements
    expect(retyped[1]!.yid).not.toBe(rev[1]!.yid);
    expect(findHeading(rev[1]!, rev, retyped)!.index).toBe(1);
    expect(findHeading(rev[5]!, rev, retyped)!.index).toBe(5);
  });

  test("the n-th of equal headings is the n-th today, counting only equal ones before it", () => {
    const rev = blocksOf("# Intro\n\n# Notes\n\n# Notes\n\n# Notes");
    const today = plain(blocksOf("# Notes\n\n# Notes\n\n# Notes"));
    expect([1, 2, 3].map((i) => findHeading(rev[i]!, rev, today)!.index)).toEqual([0, 1, 2]);
  });

  test("titles match across case and runs of spaces, not across words joined or split", () => {
    const [h] = plain(blocksOf("# x"));
    const titled = (text: string, index = 0): Block => ({ ...h!, text, index });
    expect(findHeading(titled("Launch  plan"), [titled("Launch  plan")], [titled("launch plan")])).not.toBeNull();
    expect(findHeading(titled("Set up"), [titled("Set up")], [titled("Setup")])).toBeNull();
  });

  test("a vanished section goes back before the heading that followed it, not before an earlier one or a moved paragraph", () => {
    const rev = blocksOf("# A\n\na\n\n# B\n\nnote\n\n# C\n\nc");
    // B is gone; A, which came before it, still exists.
    expect(planSectionRestore(rev, plain(blocksOf("# A\n\na\n\n# C\n\nc")), 2)).toMatchObject({ from: 2, to: 2, reinserted: true });
    // A and B are gone; B's paragraph now stands after C: A goes back before C.
    expect(planSectionRestore(rev, plain(blocksOf("top\n\n# C\n\nc\n\nnote")), 0)).toMatchObject({ from: 1, to: 1, reinserted: true });
  });

  test("lcs finds a match that starts later in the second sequence", () => {
    expect(lcs([..."ab"], [..."xab"], (s) => s)).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });
});

describe("diffs", () => {
  test("words: what was removed and what was added, in order", () => {
    expect(diffWords("the quick brown fox", "the slow brown fox jumps")).toEqual([
      { op: "same", text: "the " },
      { op: "removed", text: "quick" },
      { op: "added", text: "slow" },
      { op: "same", text: " brown fox" },
      { op: "added", text: " jumps" },
    ]);
  });

  test("words: a run of changes reads as what was removed, then what was added", () => {
    expect(diffWords("Ten euros a seat.", "Twelve euros.")).toEqual([
      { op: "removed", text: "Ten euros a seat." },
      { op: "added", text: "Twelve euros." },
    ]);
  });

  test("words: spaces at the start or end of a text are kept like any other", () => {
    expect(diffWords(" a", " b")).toEqual([
      { op: "same", text: " " },
      { op: "removed", text: "a" },
      { op: "added", text: "b" },
    ]);
    expect(diffWords("a ", "b ")).toEqual([
      { op: "removed", text: "a" },
      { op: "added", text: "b" },
      { op: "same", text: " " },
    ]);
  });

  test("words: a run of spaces is one part; between two changes it joins them, a kept word does not", () => {
    expect(diffWords("one  two", "one two")).toEqual([
      { op: "same", text: "one" },
      { op: "removed", text: "  " },
      { op: "added", text: " " },
      { op: "same", text: "two" },
    ]);
    expect(diffWords("one two", "one  two")).toEqual([
      { op: "same", text: "one" },
      { op: "removed", text: " " },
      { op: "added", text: "  " },
      { op: "same", text: "two" },
    ]);
    expect(diffWords("a  b", "c  d")).toEqual([
      { op: "removed", text: "a  b" },
      { op: "added", text: "c  d" },
    ]);
    expect(diffWords("a x b", "c x d")).toEqual([
      { op: "removed", text: "a" },
      { op: "added", text: "c" },
      { op: "same", text: " x " },
      { op: "removed", text: "b" },
      { op: "added", text: "d" },
    ]);
  });

  test("blocks: unchanged, changed (with words), removed and added", () => {
    const d = diffBlocks(blocksOf(BRIEF), blocksOf("Intro line\n\n# Plan\n\nLaunch in June.\n\n# Budget\n\nTen thousand.\n\nApproved."));
    expect(d.map((x) => [x.op, "before" in x ? x.before.text : null, "after" in x ? x.after.text : null])).toEqual([
      ["same", "Intro line", "Intro line"],
      ["same", "Plan", "Plan"],
      ["changed", "Launch in May.", "Launch in June."],
      ["removed", "Risks", null],
      ["removed", "Supply.", null],
      ["same", "Budget", "Budget"],
      ["same", "Ten thousand.", "Ten thousand."],
      ["added", null, "Approved."],
    ]);
    const changed = d[2]!;
    expect(changed.op === "changed" && changed.words).toEqual([
      { op: "same", text: "Launch in " },
      { op: "removed", text: "May." },
      { op: "added", text: "June." },
    ]);
  });
});

describe("restoring one section (headless)", () => {
  test("only that section changes; the rest keeps today's text", () => {
    const revision = markdownToState(BRIEF);
    // Today: both sections were edited (by raw Yjs edits inside the existing blocks).
    const doc = new Y.Doc();
    Y.applyUpdate(doc, revision);
    block(doc, 2).insert(block(doc, 2).length, " Or June.");
    block(doc, 6).insert(block(doc, 6).length, " Plus travel.");
    const today = Y.encodeStateAsUpdate(doc);
    expect(textOf(today)).toContain("Launch in May. Or June.");

    const out = restoreSectionUpdate(today, revision, 1)!;
    expect(out.plan).toMatchObject({ from: 1, to: 5, reinserted: false });
    const after = textOf(apply(today, out.update));
    expect(after).toBe("Intro line\n\nPlan\n\nLaunch in May.\n\nRisks\n\nSupply.\n\nBudget\n\nTen thousand. Plus travel.");
    // Unchanged blocks are kept as they are (same Yjs elements), only the edited one is replaced.
    const ids = (s: Uint8Array) => readBlocks(s).map((b) => b.yid);
    const [b0, b1, , b3, b4, b5, b6] = ids(today);
    expect(ids(apply(today, out.update))).toEqual([b0, b1, expect.any(String), b3, b4, b5, b6]);
  });

  test("a retitled heading is still the same section (Yjs identity); a deleted section is reinserted where it was", () => {
    const revision = markdownToState(BRIEF);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, revision);
    block(doc, 1).insert(block(doc, 1).length, " (draft)");
    const retitled = Y.encodeStateAsUpdate(doc);
    expect(textOf(apply(retitled, restoreSectionUpdate(retitled, revision, 1)!.update))).toBe(textOf(revision));

    // Delete "Plan" with its subsection (blocks 1–4).
    const root = doc.get("root", Y.XmlText);
    const delta = root.toDelta() as unknown[];
    expect(delta.length).toBe(7);
    root.delete(1, 4);
    const without = Y.encodeStateAsUpdate(doc);
    expect(textOf(without)).toBe("Intro line\n\nBudget\n\nTen thousand.");
    const out = restoreSectionUpdate(without, revision, 3)!; // just "Risks"
    expect(out.plan.reinserted).toBe(true);
    expect(textOf(apply(without, out.update))).toBe("Intro line\n\nRisks\n\nSupply.\n\nBudget\n\nTen thousand.");
    expect(restoreSectionUpdate(without, revision, 2)).toBeNull();
  });

  test("the part before the first heading", () => {
    const revision = markdownToState(BRIEF);
    const today = markdownToState("New intro\n\nSecond intro\n\n# Plan\n\nLaunch in June.");
    const out = restoreSectionUpdate(today, revision, "preamble")!;
    expect(textOf(apply(today, out.update))).toBe("Intro line\n\nPlan\n\nLaunch in June.");
  });

  test("restoring an empty part before the first heading over a document without headings leaves one empty paragraph", () => {
    const revision = markdownToState("# Plan\n\nLaunch in May.");
    const today = markdownToState("Just text\n\nMore text");
    const out = restoreSectionUpdate(today, revision, "preamble")!;
    expect(out.plan).toMatchObject({ from: 0, to: 2, reinserted: false });
    // In the stored state itself: an editor opening an empty root would each add its own paragraph.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, apply(today, out.update));
    expect(doc.get("root", Y.XmlText).toDelta()).toHaveLength(1);
    expect(readState(apply(today, out.update), { json: true }).json!.root.children.map((c) => c.type)).toEqual(["paragraph"]);
  });
});
