import { createEditor } from "lexical";
import { CodeHighlightNode, CodeNode } from "@lexical/code";
import { AutoLinkNode, LinkNode } from "@lexical/link";
import { ListItemNode, ListNode } from "@lexical/list";
import { HeadingNode, QuoteNode } from "@lexical/rich-text";
import { describe, expect, test } from "vitest";
import { plainTextToDoc, richTextToPlain, RichTextError, sanitizeRichText, safeUrl } from "../../../app/editor/rich-text.js";

const t = (text: string, extra: Record<string, unknown> = {}) => ({ type: "text", text, ...extra });
const doc = (...children: unknown[]) => ({ root: { type: "root", children } });

describe("rich text sanitiser", () => {
  test("keeps supported blocks and formats, drops styles, unknown fields and unknown nodes' wrappers", () => {
    const out = sanitizeRichText(
      doc(
        { type: "heading", tag: "h1", children: [t("Title")] },
        { type: "paragraph", onclick: "x", children: [t("bold", { format: 1, style: "background:url(javascript:x)" }), { type: "mention", children: [t(" @ana")] }] },
        { type: "list", listType: "number", start: 3, children: [{ type: "listitem", children: [t("one"), { type: "list", listType: "bullet", children: [{ type: "listitem", children: [t("nested")] }] }] }] },
        { type: "quote", children: [t("quoted")] },
        { type: "code", language: "ts\"><script>", children: [t("let a = 1;\nlet b = 2;")] },
      ),
    );
    const json = JSON.stringify(out);
    expect(json).not.toMatch(/onclick|javascript|background|script|mention/);
    expect(out.root.children.map((b) => b.type)).toEqual(["heading", "paragraph", "list", "quote", "code"]);
    expect(out.root.children[0]).toMatchObject({ tag: "h2" });
    expect(out.root.children[4]).toMatchObject({ language: null });
    expect(richTextToPlain(out)).toBe("Title\nbold @ana\n3. one\n  - nested\nquoted\nlet a = 1;\nlet b = 2;");
  });

  test("links only to http(s) and mailto; others keep their words", () => {
    const out = sanitizeRichText(
      doc({
        type: "paragraph",
        children: [
          { type: "link", url: "https://idp.example/metadata", children: [t("metadata")] },
          { type: "link", url: "javascript:alert(1)", children: [t(" bad")] },
          { type: "link", url: "java\tscript:alert(1)", children: [t(" tab")] },
          { type: "autolink", url: "mailto:ana@example.test", children: [t(" mail")] },
          { type: "link", url: "data:text/html,<b>", children: [t(" data")] },
        ],
      }),
    );
    const p = out.root.children[0] as { children: { type: string; url?: string }[] };
    expect(p.children.filter((c) => c.type === "link").map((c) => c.url)).toEqual(["https://idp.example/metadata", "mailto:ana@example.test"]);
    expect(richTextToPlain(out)).toBe("metadata bad tab mail data");
    expect(safeUrl("https://ok.test/a b")).toBeNull();
    expect(safeUrl("HTTPS://ok.test/")).toBe("https://ok.test/");
  });

  test("inline content at the top level is wrapped into a paragraph; limits are enforced", () => {
    expect(richTextToPlain(sanitizeRichText(doc(t("loose"), t(" words"))))).toBe("loose words");
    expect(() => sanitizeRichText("not json")).toThrow(RichTextError);
    expect(() => sanitizeRichText(doc({ type: "paragraph", children: [t("x".repeat(30_001))] }))).toThrow(/at most 30,000/);
    let deep: unknown = { type: "listitem", children: [t("deep")] };
    for (let i = 0; i < 20; i++) deep = { type: "list", children: [{ type: "listitem", children: [deep] }] };
    expect(() => sanitizeRichText(doc(deep))).toThrow(/nested too deeply/);
  });

  test("every node is written whole, in one field order: indents clamped, directions kept or dropped, lines split, controls stripped", () => {
    const out = sanitizeRichText(
      doc(
        { type: "paragraph", indent: 12, direction: "rtl", children: [t("a\u0007\nb", { format: 3 }), { type: "link", url: "https://ok.test/x", direction: "ltr", children: [t("l")] }] },
        { type: "heading", tag: "h3", indent: -1, direction: "sideways", children: [t("h")] },
        { type: "list", listType: "check", start: 2.5, indent: 1, children: [{ type: "listitem", checked: true, indent: 3, children: [t("c")] }, t("loose")] },
        t("top"),
        { type: "span", children: [t(" level")] },
      ),
    );
    const text = (s: string, format = 0) => `{"type":"text","version":1,"text":"${s}","format":${format},"detail":0,"mode":"normal","style":""}`;
    const el = (direction: string | null, indent: number) => `"version":1,"direction":${direction ? `"${direction}"` : null},"format":"","indent":${indent}`;
    expect(JSON.stringify(out)).toBe(
      `{"root":{${el(null, 0)},"type":"root","children":[` +
        `{${el("rtl", 10)},"type":"paragraph","textFormat":0,"textStyle":"","children":[${text("a", 3)},{"type":"linebreak","version":1},${text("b", 3)},` +
        `{${el("ltr", 0)},"type":"link","url":"https://ok.test/x","rel":"noopener noreferrer nofollow","target":null,"title":null,"children":[${text("l")}]}]},` +
        `{${el(null, 0)},"type":"heading","tag":"h3","children":[${text("h")}]},` +
        `{${el(null, 1)},"type":"list","listType":"check","start":2,"tag":"ul","children":[` +
        `{${el(null, 3)},"type":"listitem","value":2,"children":[${text("c")}],"checked":true},{${el(null, 0)},"type":"listitem","value":3,"children":[${text("loose")}]}]},` +
        `{${el(null, 0)},"type":"paragraph","textFormat":0,"textStyle":"","children":[${text("top")},${text(" level")}]}]}}`,
    );
  });

  test("a plain-text body becomes paragraphs", () => {
    expect(richTextToPlain(plainTextToDoc("one\r\ntwo\n\n"))).toBe("one\ntwo");
  });

  test("sanitised output loads in the Lexical editor (0.52) and serialises back to the same tree", () => {
    const editor = createEditor({
      nodes: [HeadingNode, QuoteNode, ListNode, ListItemNode, LinkNode, AutoLinkNode, CodeNode, CodeHighlightNode],
      onError: (e) => {
        throw e;
      },
    });
    const clean = sanitizeRichText(
      doc(
        { type: "heading", tag: "h3", children: [t("Steps")] },
        { type: "paragraph", children: [t("Read "), { type: "link", url: "https://x.test/", children: [t("this", { format: 3 })] }, { type: "linebreak" }] },
        { type: "list", listType: "check", children: [{ type: "listitem", checked: true, children: [t("done")] }] },
        { type: "code", language: "bash", children: [t("echo hi"), { type: "linebreak" }, t("exit")] },
      ),
    );
    const state = editor.parseEditorState(JSON.stringify(clean));
    const back = sanitizeRichText(state.toJSON());
    expect(back).toEqual(clean);
  });
});
