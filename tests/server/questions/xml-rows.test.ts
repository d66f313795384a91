import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { decodeXml, readRows, type Row } from "../../../server/import/xml-rows.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-xml-rows-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rowsOf(text: string): Promise<Row[]> {
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, text);
  const rows: Row[] = [];
  await readRows(file, (r) => {
    rows.push(r);
  });
  return rows;
}

describe("dump rows", () => {
  test("attribute values decode the XML entities and numeric references; other text is left alone", () => {
    expect(decodeXml("a &lt;b&gt; &amp;amp; &quot;q&quot; &apos;s&apos; &#xA;&#233;&#x1F600; &nbsp; &#0; & x")).toBe("a <b> &amp; \"q\" 's' \né😀 &nbsp; &#0; & x");
  });

  test("references out of range, too long or unterminated are left as they are; a decoded '&' starts nothing", () => {
    expect(decodeXml("&#x10FFFF;|&#x110000;|&#1114111;|&#1114112;|&#12345678;|&#x0000041;|&#65|&amp;lt;|&&lt;|&#;|&#x;|&lt")).toBe(
      "\u{10FFFF}|&#x110000;|\u{10FFFF}|&#1114112;|&#12345678;|&#x0000041;|&#65|&lt;|&<|&#;|&#x;|&lt",
    );
  });

  test("with a list of attributes, rows carry only those (the others are not decoded)", async () => {
    const file = path.join(dir, "only.xml");
    writeFileSync(file, `<users>\n<row Id="1" DisplayName="Ada &amp; Co" AboutMe="&lt;p&gt;long&lt;/p&gt;" Location="Oslo" />\n</users>`);
    const rows: Row[] = [];
    await readRows(file, (r) => void rows.push(r), undefined, new Set(["Id", "DisplayName"]));
    expect(rows).toEqual([{ Id: "1", DisplayName: "Ada & Co" }]);
  });

  test("rows with a '>' inside a value, single quotes, spacing and a BOM; text between rows skipped", async () => {
    const rows = await rowsOf(`\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<posts>\n  <row Id="1" Body="&lt;p&gt;a > b&lt;/p&gt;" />\n<row Id = '2' Title='it&apos;s'/>  <row Id="3"/>\n</posts>\n`);
    expect(rows).toEqual([{ Id: "1", Body: "<p>a > b</p>" }, { Id: "2", Title: "it's" }, { Id: "3" }]);
  });

  test("a row cut by a read chunk, with a multi-byte character on the cut, arrives whole", async () => {
    // The reader takes 1 MiB at a time: put a long row across the first boundary, full of 'é' (2 bytes).
    const long = "é".repeat(700_000);
    const rows = await rowsOf(`<posts>\n<row Id="1" Body="${long}" />\n<row Id="2" Body="x" />\n</posts>`);
    expect(rows.map((r) => r.Id)).toEqual(["1", "2"]);
    expect(rows[0]!.Body).toBe(long);
  });

  test("returning false stops reading", async () => {
    const file = path.join(dir, "stop.xml");
    writeFileSync(file, `<posts>${Array.from({ length: 50 }, (_, i) => `<row Id="${i}"/>`).join("\n")}</posts>`);
    const seen: string[] = [];
    await readRows(file, (r) => (seen.push(r.Id!), seen.length < 3));
    expect(seen).toEqual(["0", "1", "2"]);
  });
});
