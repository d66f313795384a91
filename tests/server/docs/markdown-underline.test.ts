/** Markdown keeps underline as <u>…</u> (Markdown itself has none): import sets it, export writes it back. */
import { describe, expect, test } from "vitest";
import { markdownToState, readState } from "../../../server/collab/headless.js";

const UNDERLINE = 8; // Lexical's text format bit

describe("Markdown underline", () => {
  test("imports <u>…</u> as underlined text, also inside bold and in table cells, and exports it unchanged", () => {
    for (const md of ["Plain <u>under</u> and **bold <u>both</u>** end.", "<u>whole</u>", "| a | <u>b</u> |\n| --- | --- |\n| c | d |"]) {
      expect(readState(markdownToState(md), { markdown: true }).markdown).toBe(md);
    }
    const json = readState(markdownToState("Plain <u>under</u> end."), { json: true }).json!;
    const texts = (json.root.children[0] as unknown as { children: { text: string; format: number }[] }).children;
    expect(texts.map((t) => [t.text, (t.format & UNDERLINE) !== 0])).toEqual([
      ["Plain ", false],
      ["under", true],
      [" end.", false],
    ]);
  });

  test("a stray or unclosed tag stays text", () => {
    expect(readState(markdownToState("a <u>b and c")).text).toBe("a <u>b and c");
  });
});
