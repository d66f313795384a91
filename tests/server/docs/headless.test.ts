/**
 * The headless editor and the block model at unit level: what the server reads out of a Yjs state
 * (text, Markdown, editor JSON, mentions with current names), the updates it writes (first
 * paragraph, a scripted edit, replacing content, editing towards Markdown) and the block details
 * the revision view shows (kinds of blocks, lines of lists and tables, headings found again).
 */
import { $createParagraphNode, $createTextNode, $getRoot, type ElementNode } from "lexical";
import { describe, expect, test, vi } from "vitest";
import * as Y from "yjs";
import { $createMentionNode } from "../../../app/editor/nodes/MentionNode.js";
import { editState, editToMarkdownUpdate, initialState, markdownToState, readBlocks, readState, replaceContentUpdate, restoreSectionUpdate, sameState } from "../../../server/collab/headless.js";
import { diffBlocks, diffWords, findHeading, lcs, nodeText, planSectionRestore, sectionAt, toBlocks, type Block } from "../../../server/collab/sections.js";

const apply = (state: Uint8Array, update: Uint8Array) => Y.mergeUpdates([state, update]);
const blocksOf = (md: string) => readBlocks(markdownToState(md));

/** A document "Hello @Ann and @Bob." whose mentions point at users u-ann and u-bob (inside a quote for depth). */
const withMentions = () =>
  editState(initialState(), () => {
    const p = $getRoot().getFirstChild() as ElementNode;
    p.append($createTextNode("Hello "), $createMentionNode("u-ann", "Ann"), $createTextNode(" and "), $createMentionNode("u-bob", "Bob"), $createTextNode("."));
  });

describe("reading a state", () => {
  test("a new document is one empty paragraph; no state reads as empty", () => {
    const json = readState(initialState(), { json: true }).json!;
    expect(json.root.children.map((c) => c.type)).toEqual(["paragraph"]);
    expect(readState(initialState()).text).toBe("");
    expect(readState(null)).toEqual({ text: "", mentions: [] });
    expect(readState(new Uint8Array())).toEqual({ text: "", mentions: [] });
    // Only what was asked for is derived.
    expect(Object.keys(readState(initialState()))).toEqual(["text", "mentions"]);
    expect(Object.keys(readState(initialState(), { markdown: true, json: true })).sort()).toEqual(["json", "markdown", "mentions", "text"]);
  });

  test("Markdown with no content still gets a paragraph; Markdown reads back as written", () => {
    expect(readState(markdownToState(""), { json: true }).json!.root.children.map((c) => c.type)).toEqual(["paragraph"]);
    const md = "# Plan\n\n- one\n- two\n\n> quoted";
    expect(readState(markdownToState(md), { markdown: true }).markdown).toBe(md);
    expect(readState(markdownToState(md)).text).toBe("Plan\n\none\n\ntwo\n\nquoted");
  });

  test("mentions are collected once each, and shown with the current name (or 'former member') when names are given", () => {
    const state = withMentions();
    const plain = readState(state, { markdown: true, json: true });
    expect(plain.text).toBe("Hello @Ann and @Bob.");
    expect(plain.mentions).toEqual(["u-ann", "u-bob"]);
    expect(plain.markdown).toBe("Hello @Ann and @Bob.");
    const names = new Map([["u-ann", "Ann Lee"]]);
    const named = readState(state, { markdown: true, json: true, mentionNames: names });
    expect(named.markdown).toBe("Hello @Ann Lee and @former member.");
    const labels = (named.json!.root.children[0] as unknown as { children: { type: string; text: string; userId?: string }[] }).children;
    expect(labels.map((c) => [c.type, c.text, c.userId ?? null])).toEqual([
      ["text", "Hello ", null],
      ["mention", "@Ann Lee", "u-ann"],
      ["text", " and ", null],
      ["mention", "@former member", "u-bob"],
      ["text", ".", null],
    ]);
    // The text too (search, previews): the labels written are not what readers see.
    expect(named.text).toBe("Hello @Ann Lee and @former member.");
    const twice = editState(state, () => ($getRoot().getFirstChild() as ElementNode).append($createMentionNode("u-ann", "Ann")));
    expect(readState(twice).mentions).toEqual(["u-ann", "u-bob"]);
  });

  test("blocks show mentions with the current names when names are given, and keep their Yjs identity", () => {
    const state = withMentions();
    const [plainBlock] = readBlocks(state);
    const [named] = readBlocks(state, new Map([["u-ann", "Ann Lee"]]));
    expect(plainBlock!.text).toBe("Hello @Ann and @Bob.");
    expect(named!.text).toBe("Hello @Ann Lee and @former member.");
    expect(named!.yid).toBe(plainBlock!.yid);
  });

  test("each throwaway editor's Yjs document is destroyed once it is read or written", () => {
    const state = markdownToState("# Plan\n\ntext");
    const destroy = vi.spyOn(Y.Doc.prototype, "destroy");
    try {
      readState(state, { markdown: true, json: true });
      expect(destroy).toHaveBeenCalledTimes(1);
      readBlocks(state);
      expect(destroy).toHaveBeenCalledTimes(2);
      editState(state, () => {});
      expect(destroy).toHaveBeenCalledTimes(3);
      restoreSectionUpdate(state, state, 0); // the revision's blocks, then today's editor
      expect(destroy).toHaveBeenCalledTimes(5);
      restoreSectionUpdate(state, state, 1); // not a section: today's editor is still let go
      expect(destroy).toHaveBeenCalledTimes(7);
    } finally {
      destroy.mockRestore();
    }
  });
});

describe("writing updates", () => {
  test("a scripted edit is an ordinary change on top of the state", () => {
    const base = markdownToState("First");
    const edited = editState(base, () => $getRoot().append($createParagraphNode().append($createTextNode("Second"))));
    expect(readState(edited).text).toBe("First\n\nSecond");
    expect(readState(editState(null, () => $getRoot().append($createParagraphNode().append($createTextNode("x"))))).text).toBe("x");
  });

  test("a scripted edit that fails throws instead of writing a half-done state", () => {
    expect(() =>
      editState(markdownToState("First"), () => {
        $getRoot().append($createParagraphNode());
        throw new Error("no such block");
      }),
    ).toThrow("no such block");
  });

  test("replacing content is a new change that gives the target's content, and an empty target leaves a paragraph", () => {
    const current = markdownToState("# Old\n\nold text");
    const update = replaceContentUpdate(current, markdownToState("New *text*"));
    expect(readState(apply(current, update), { markdown: true }).markdown).toBe("New *text*");
    // A change on top: the current state's operations are all still there.
    const sv = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(current));
    for (const [client, clock] of sv) expect(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(apply(current, update))).get(client)).toBeGreaterThanOrEqual(clock);
    const emptied = apply(current, replaceContentUpdate(current, new Uint8Array()));
    expect(readState(emptied, { json: true }).json!.root.children.map((c) => c.type)).toEqual(["paragraph"]);
  });

  test("editing towards Markdown keeps equal blocks (same Yjs element) and inserts, also before the first, or into nothing", () => {
    const current = markdownToState("Keep me\n\nDrop me\n\nKeep me too");
    const ids = (s: Uint8Array) => readBlocks(s).map((b) => b.yid);
    const [k1, , k2] = ids(current);
    const next = apply(current, editToMarkdownUpdate(current, "Keep me\n\nNew middle\n\nKeep me too\n\nNew end"));
    expect(readState(next).text).toBe("Keep me\n\nNew middle\n\nKeep me too\n\nNew end");
    expect(ids(next)).toEqual([k1, expect.any(String), k2, expect.any(String)]);
    const front = apply(current, editToMarkdownUpdate(current, "New start\n\nKeep me\n\nKeep me too"));
    expect(readState(front).text).toBe("New start\n\nKeep me\n\nKeep me too");
    expect(ids(front).slice(1)).toEqual([k1, k2]);
    const replaced = apply(current, editToMarkdownUpdate(current, "All new"));
    expect(readState(replaced).text).toBe("All new");
    const emptied = apply(current, editToMarkdownUpdate(current, ""));
    expect(readState(emptied, { json: true }).json!.root.children.map((c) => c.type)).toEqual(["paragraph"]);
  });

  test("the same document is the same state, whatever its encoding; another document is not", () => {
    const a = markdownToState("same");
    const doc = new Y.Doc();
    Y.applyUpdate(doc, a);
    const reencoded = Y.mergeUpdates([a, new Uint8Array([0, 0])]);
    expect(sameState(a, a)).toBe(true);
    expect(sameState(a, reencoded)).toBe(true);
    expect(sameState(a, Y.encodeStateAsUpdate(doc))).toBe(true);
    expect(sameState(a, markdownToState("same"))).toBe(false); // same text, other operations
    expect(sameState(a, apply(a, editToMarkdownUpdate(a, "changed")))).toBe(false);
  });

  test("two documents whose encodings have the same length are not the same state", () => {
    const typed = (clientID: number) => {
      const doc = new Y.Doc();
      doc.clientID = clientID;
      doc.getText("t").insert(0, "ab");
      return Y.encodeStateAsUpdate(doc);
    };
    const [one, two] = [typed(1), typed(2)];
    expect(one.length).toBe(two.length);
    expect(sameState(one, two)).toBe(false);
  });
});

describe("blocks", () => {
  test("each kind of block has its human name; text joins lines, cells and line breaks", () => {
    const md = "Para\n\n> Quote\n\n```\ncode\n```\n\n1. one\n2. two\n\n- [ ] task\n\n- bullet\n\n| a | b |\n| --- | --- |\n| c | d |\n\n### Third";
    const b = blocksOf(md);
    expect(b.map((x) => [x.kind, x.type, x.level])).toEqual([
      ["Paragraph", "paragraph", 0],
      ["Quote", "quote", 0],
      ["Code block", "code", 0],
      ["Numbered list", "list", 0],
      ["Checklist", "list", 0],
      ["Bulleted list", "list", 0],
      ["Table", "table", 0],
      ["Heading 3", "heading", 3],
    ]);
    expect(b.map((x) => x.text)).toEqual(["Para", "Quote", "code", "one\ntwo", "task", "bullet", "a | b\nc | d", "Third"]);
    expect(b.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(b.every((x) => typeof x.yid === "string" && /^\d+:\d+$/.test(x.yid))).toBe(true);
    expect(b[0]!.sig).toBe(JSON.stringify(b[0]!.node));
    expect(nodeText({ type: "paragraph", version: 1, children: [{ type: "text", version: 1, text: "a" } as never, { type: "linebreak", version: 1 }, { type: "text", version: 1, text: "b" } as never] } as never)).toBe("a\nb");
    // Without identities the blocks have none; an unknown kind is named after its type.
    const [odd] = toBlocks([{ type: "horizontalrule", version: 1 }]);
    expect(odd).toMatchObject({ kind: "Horizontalrule", level: 0, yid: null, text: "" });
    expect(toBlocks([{ type: "heading", tag: "h7", version: 1, children: [] } as never])[0]).toMatchObject({ level: 0, kind: "Heading" });
  });

  test("a section ends at the next heading of the same or a higher level, or at the end", () => {
    const b = blocksOf("# A\n\n## B\n\ntext\n\n### C\n\n## D\n\n# E");
    expect(sectionAt(b, 1)).toMatchObject({ start: 1, end: 4 });
    expect(sectionAt(b, 3)).toMatchObject({ start: 3, end: 4 });
    expect(sectionAt(b, 0)).toMatchObject({ start: 0, end: 5 });
    expect(sectionAt(b, 5)).toMatchObject({ start: 5, end: 6 });
    expect(sectionAt(b, 2)).toBeNull();
    expect(sectionAt(b, 6)).toBeNull();
  });

  test("a heading is found again by Yjs identity first, else by level and title (the n-th of equal ones)", () => {
    const rev = blocksOf("# Notes\n\none\n\n# Notes\n\ntwo\n\n## Notes");
    const plain = (b: Block[]) => b.map((x) => ({ ...x, yid: null }));
    const today = plain(blocksOf("intro\n\n#  notes \n\nx\n\n# NOTES\n\ny"));
    // The second "Notes" h1 of the revision is the second one today; an h2 is not an h1.
    expect(findHeading(rev[2]!, rev, today)!.index).toBe(3);
    expect(findHeading(rev[0]!, rev, today)!.index).toBe(1);
    expect(findHeading(rev[4]!, rev, today)).toBeNull();
    // Only one left today: the n-th falls back to the first.
    expect(findHeading(rev[2]!, rev, plain(blocksOf("# Notes")))!.index).toBe(0);
    // Same element retitled: found by identity even though the title changed.
    const retitled = rev.map((x) => (x.index === 2 ? { ...x, text: "Renamed", index: 0 } : { ...x, index: x.index + 10 }));
    expect(findHeading(rev[2]!, rev, retitled)!.text).toBe("Renamed");
    // An element that is no longer a heading is not a match by identity.
    const demoted = [{ ...rev[2]!, level: 0, index: 0 }];
    expect(findHeading(rev[2]!, rev, demoted)).toBeNull();
    // A same-titled heading that is another heading of the revision is not taken.
    expect(findHeading(rev[2]!, rev, [{ ...rev[0]!, index: 0 }])).toBeNull();
  });

  test("a vanished section goes back before the first following heading that still exists", () => {
    const rev = blocksOf("# A\n\na\n\n# B\n\nb\n\n# C\n\nc");
    const plain = (b: Block[]) => b.map((x) => ({ ...x, yid: null }));
    const cur = plain(blocksOf("top\n\n# C\n\nc"));
    expect(planSectionRestore(rev, cur, 0)).toMatchObject({ source: { start: 0, end: 2 }, from: 1, to: 1, reinserted: true });
    expect(planSectionRestore(rev, cur, 4)).toMatchObject({ from: 1, to: 3, reinserted: false });
  });

  test("lcs matches the longest common run in order", () => {
    const k = (s: string) => s;
    expect(lcs([..."abcbdab"], [..."bdcaba"], k)).toHaveLength(4);
    expect(lcs([..."abc"], [..."abc"], k)).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    // A tie keeps the later match of the first sequence.
    expect(lcs([..."ab"], [..."ba"], k)).toEqual([[1, 0]]);
    expect(lcs([..."xab"], [..."ab"], k)).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(lcs([], [..."a"], k)).toEqual([]);
  });
});

describe("diffs", () => {
  test("words: identical text is one unchanged run; from or to nothing is all added or all removed", () => {
    expect(diffWords("same words", "same words")).toEqual([{ op: "same", text: "same words" }]);
    expect(diffWords("", "new")).toEqual([{ op: "added", text: "new" }]);
    expect(diffWords("old", "")).toEqual([{ op: "removed", text: "old" }]);
    expect(diffWords("", "")).toEqual([]);
  });

  test("words: a space between two changes joins them; a space next to kept words stays kept", () => {
    expect(diffWords("a b c", "x y c")).toEqual([
      { op: "removed", text: "a b" },
      { op: "added", text: "x y" },
      { op: "same", text: " c" },
    ]);
    expect(diffWords("keep a", "keep b")).toEqual([
      { op: "same", text: "keep " },
      { op: "removed", text: "a" },
      { op: "added", text: "b" },
    ]);
  });

  test("words: texts past 250,000 word pairs are compared whole; up to it, word by word", () => {
    // 250 words and their 249 spaces: 499 parts each side.
    const words = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`).join(" ");
    const big = words(251, "w"); // 501 parts: 501 × 501 > 250,000
    expect(diffWords(big, big.replace("w1 ", "x1 "))).toEqual([
      { op: "removed", text: big },
      { op: "added", text: big.replace("w1 ", "x1 ") },
    ]);
    const edge = "a ".repeat(250); // 500 parts: 500 × 500 = 250,000
    expect(diffWords(edge, edge.replace("a ", "b "))).toEqual([
      { op: "removed", text: "a" },
      { op: "added", text: "b" },
      { op: "same", text: edge.slice(1) },
    ]);
  });

  test("blocks: the same element edited is one changed block even when moved; different kinds side by side are removed and added", () => {
    const base = markdownToState("# Title\n\nfirst\n\nsecond");
    const doc = new Y.Doc();
    Y.applyUpdate(doc, base);
    const before = readBlocks(base);
    const root = doc.get("root", Y.XmlText);
    const second = (root.toDelta() as { insert: Y.XmlText }[])[2]!.insert;
    second.insert(second.length, " edited");
    const after = readBlocks(Y.encodeStateAsUpdate(doc));
    const d = diffBlocks(before, after);
    expect(d.map((x) => x.op)).toEqual(["same", "same", "changed"]);
    // A paragraph replaced by a list: no identity, not the same kind → removed then added.
    const swapped = diffBlocks(blocksOf("# T\n\nplain"), blocksOf("# T\n\n- item"));
    expect(swapped.map((x) => x.op)).toEqual(["same", "removed", "added"]);
    // Same kind side by side, no identity: changed.
    const plain = (b: Block[]) => b.map((x) => ({ ...x, yid: null }));
    const sideBySide = diffBlocks(plain(blocksOf("one\n\nend")), plain(blocksOf("uno\n\nextra\n\nend")));
    expect(sideBySide.map((x) => x.op)).toEqual(["changed", "added", "same"]);
    // Identity pairs across positions: the edited block is matched to its element, an insertion before it stays added.
    const ids = diffBlocks(
      [{ ...before[2]!, index: 0 }],
      [
        { ...after[0]!, yid: "9:9", sig: "new", kind: "Paragraph", index: 0 },
        { ...after[2]!, index: 1 },
      ],
    );
    expect(ids.map((x) => x.op)).toEqual(["added", "changed"]);
  });

  /** One line per entry of a block diff: op, the revision's text, today's text. */
  const lines = (d: ReturnType<typeof diffBlocks>) => d.map((x) => [x.op, "before" in x ? x.before.text : null, "after" in x ? x.after.text : null]);
  const para = (text: string) => $createParagraphNode().append($createTextNode(text));

  test("blocks: a block deleted before an edited one is removed; the edited one keeps its element even as today's first block", () => {
    const base = markdownToState("gone\n\nkept");
    const today = editState(base, () => {
      const [gone, kept] = $getRoot().getChildren() as ElementNode[];
      gone!.remove();
      kept!.append($createTextNode(" edited"));
      kept!.insertAfter(para("new"));
    });
    expect(lines(diffBlocks(readBlocks(base), readBlocks(today)))).toEqual([
      ["removed", "gone", null],
      ["changed", "kept", "kept edited"],
      ["added", null, "new"],
    ]);
  });

  test("blocks: every block of either side appears once, also when blocks are inserted before an edited one and a later one is deleted", () => {
    const base = markdownToState("first\n\nsecond");
    const today = editState(base, () => {
      const [first, second] = $getRoot().getChildren() as ElementNode[];
      for (const t of ["n1", "n2", "n3"]) first!.insertBefore(para(t));
      first!.append($createTextNode(" edited"));
      second!.remove();
    });
    const before = readBlocks(base);
    const after = readBlocks(today);
    const d = diffBlocks(before, after);
    // "first" is the same element, edited; "second" is gone and n2 stands at its place.
    expect(lines(d)).toEqual([
      ["added", null, "n1"],
      ["added", null, "n3"],
      ["changed", "first", "first edited"],
      ["changed", "second", "n2"],
    ]);
    expect(d.flatMap((x) => ("after" in x ? [x.after.index] : [])).sort()).toEqual(after.map((b) => b.index));
    expect(d.flatMap((x) => ("before" in x ? [x.before.index] : [])).sort()).toEqual(before.map((b) => b.index));
  });
});
