/**
 * The browser's side of @mention names: the first-paint view draws each mention from the names
 * it is given, by id, and the open editor's directory looks up ids it has not seen (one request
 * per burst), answers "former member" for ids that name nobody, and relearns a renamed person.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { DocContentView, type ContentRoot } from "../../app/components/doc-content";
import { MentionDirectory } from "../../app/editor/mention-directory";

const mention = (userId: string, text: string) => ({ type: "mention", userId, text, format: 0 });
const content: ContentRoot = {
  root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "Ask ", format: 0 }, mention("u1", "@CEO"), mention("u9", "@CFO")] }] },
};

describe("first-paint view", () => {
  test("a mention shows the name given for its id, never its stored label", () => {
    const html = renderToStaticMarkup(createElement(DocContentView, { content, mentionNames: { u1: "Pia Product" } }));
    expect(html).toContain('<span class="doc-mention" data-user-id="u1">@Pia Product</span>');
    expect(html).toContain('<span class="doc-mention" data-user-id="u9">@former member</span>');
    expect(html).not.toMatch(/CEO|CFO/);
  });
});

describe("MentionDirectory", () => {
  const tick = () => new Promise((r) => setTimeout(r, 0));

  test("unknown ids are asked for once, together; an id the server does not answer for is a former member", async () => {
    const asked: string[][] = [];
    const dir = new MentionDirectory({ u1: "Pia" }, async (ids) => (asked.push(ids), { u2: "Max" }));
    const changed: string[][] = [];
    dir.onChange((ids) => changed.push(ids));
    expect(dir.nameOf("u1")).toBe("Pia");
    expect(dir.nameOf("u2")).toBeNull();
    expect(dir.nameOf("bad id")).toBeNull();
    expect(dir.nameOf("u2")).toBeNull();
    await tick();
    expect(asked).toEqual([["u2", "bad id"]]);
    expect(changed).toEqual([["u2", "bad id"]]);
    expect(dir.nameOf("u2")).toBe("Max");
    expect(dir.nameOf("bad id")).toBe("former member");
  });

  test("a refresh relearns a renamed person; a failed lookup is tried again next time", async () => {
    let answer: Record<string, string> | null = null;
    const dir = new MentionDirectory({ u1: "Pia" }, async () => {
      if (!answer) throw new Error("offline");
      return answer;
    });
    dir.refresh(["u1"]);
    await tick();
    expect(dir.nameOf("u1")).toBe("Pia");
    answer = { u1: "Pia Renamed" };
    dir.refresh(["u1"]);
    await tick();
    expect(dir.nameOf("u1")).toBe("Pia Renamed");
    answer = null;
    expect(dir.nameOf("u3")).toBeNull();
    await tick();
    answer = { u3: "Pat" };
    expect(dir.nameOf("u3")).toBeNull();
    await tick();
    expect(dir.nameOf("u3")).toBe("Pat");
  });
});
