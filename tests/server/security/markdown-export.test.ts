/**
 * Markdown export escapes text that looks like HTML, so a document whose text reads
 * `<img src=x onerror=alert(1)>` exports as words, not as markup a Markdown renderer would run;
 * importing the file gives the same text back. Code spans stay literal; underline keeps its <u>.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { markdownToState, readState } from "../../../server/collab/headless.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { docsWorld, type World } from "../docs/world.js";

const HOSTILE_TEXT = `Hi <img src=x onerror=alert(1)> and <script>alert("x")</script> & <a href="javascript:alert(1)">click</a>`;

/** A Yjs state whose paragraph text is exactly `text` (the import decodes &lt; &gt; &amp;). */
const stateWithText = (text: string) => markdownToState(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));

describe("Markdown files", () => {
  test("text that looks like HTML is exported escaped, and comes back as the same text", () => {
    const state = stateWithText(HOSTILE_TEXT);
    expect(readState(state).text.trim()).toBe(HOSTILE_TEXT);
    const md = readState(state, { markdown: true }).markdown!;
    expect(md).not.toMatch(/<(img|script|a)\b/i);
    expect(md).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(md).toContain("&lt;script&gt;");
    expect(md).toContain(" &amp; ");
    expect(readState(markdownToState(md)).text.trim()).toBe(HOSTILE_TEXT);
  });

  test("underlined text keeps <u> with its inside escaped; code spans and blocks stay literal", () => {
    const md = readState(markdownToState("Plain <u>a &lt;b&gt; c</u> and `<b>code</b>`\n\n```\n<script>x</script>\n```"), { markdown: true }).markdown!;
    expect(md).toContain("<u>a &lt;b&gt; c</u>");
    expect(md).toContain("`<b>code</b>`");
    expect(md).toContain("<script>x</script>"); // inside the fenced code block
    expect(md.split("```")[0]).not.toContain("<script>");
  });

  test("inside table cells too", () => {
    const md = readState(markdownToState("| a | &lt;iframe&gt; |\n| --- | --- |\n| c | d |"), { markdown: true }).markdown!;
    expect(md).toContain("&lt;iframe&gt;");
    expect(md).not.toContain("<iframe>");
  });
});

describe("the export verb and route", () => {
  let app: TestApp;
  let w: World;
  beforeAll(async () => {
    app = await startTestApp();
    w = await docsWorld(app.atrium);
  });
  afterAll(() => app?.close());

  test("a document with HTML-looking text exports escaped", async () => {
    const { id } = await app.atrium.domain.docs.importMarkdown(w.people.mia.actor, {
      markdown: "# Notes\n\nHi &lt;img src=x onerror=alert(1)&gt; there",
      spaceId: w.space.marketing.id,
    });
    const { markdown } = await app.atrium.domain.docs.exportMarkdown(w.people.mia.actor, id);
    expect(markdown).toContain("Hi &lt;img src=x onerror=alert(1)&gt; there");
    expect(markdown).not.toContain("<img");
  });
});
