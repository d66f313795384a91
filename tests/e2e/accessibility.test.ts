/**
 * axe-core over every main page of the seeded demo organisation: no serious or critical finding.
 * axe runs inside the page (injected as a script); every rule in its default set runs, plus
 * label-in-name, which axe ships as "experimental".
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoContent, seedOrganisation } from "../../prisma/seed.js";
import { buildUnifiedIndex } from "../../server/search/unified-sync.js";
import { captureFailures, signIn, startE2E, waitForHydration, type E2E, type UserPage } from "./helpers/browser.js";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe on the page as it is now and returns the serious and critical findings, with the offending nodes. */
export async function blockingFindings(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, {
      rules: { "label-content-name-mismatch": { enabled: true } },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`),
    }));
  });
  return found.filter((f) => f.impact === "serious" || f.impact === "critical" || KEPT_MODERATE.has(f.id));
}

/** Moderate findings fixed once (heading order, landmarks with the same name, content outside every landmark) and kept fixed. */
const KEPT_MODERATE = new Set(["heading-order", "landmark-unique", "region"]);

/** The app's Content-Security-Policy refuses inline scripts; the injected axe is the only one allowed here. */
const AXE_CONTEXT = { bypassCSP: true } as const;

let e2e: E2E;
captureFailures(() => e2e);
let admin: UserPage;
const ids = { person: "", question: "", doc: "", insight: "" };

beforeAll(async () => {
  e2e = await startE2E();
  const { db } = e2e.app.atrium;
  await seedOrganisation(db);
  await seedDemoContent(db, e2e.app.atrium.ctx.env.DATABASE_URL, e2e.app.atrium.ctx.clock.now());
  // The seed writes before any listener of this app hears it (as `npm start` seeds before serving): index it.
  await buildUnifiedIndex(db, e2e.app.atrium.ctx.searchIndex);
  ids.person = (await db.user.findFirstOrThrow({ where: { name: "Priya Raman" } })).id;
  ids.question = (await db.question.findFirstOrThrow({ where: { deletedAt: null }, orderBy: { createdAt: "desc" } })).id;
  ids.doc = (await db.document.findFirstOrThrow({ where: { deletedAt: null, visibility: "company" } })).id;
  ids.insight = (await db.insight.findFirstOrThrow({ orderBy: { createdAt: "desc" } })).id;
  admin = await e2e.newUser(AXE_CONTEXT);
  await signIn(admin.page, e2e.url, "admin@atrium.test", "atrium-demo-admin", { expectPath: "/" });
}, 120_000);
afterAll(async () => {
  await e2e?.close();
});

describe("axe-core finds nothing serious or critical", () => {
  it("on the sign-in page", async () => {
    const { page } = await e2e.newUser(AXE_CONTEXT);
    await page.goto(`${e2e.url}/login`);
    await waitForHydration(page);
    expect(await blockingFindings(page)).toEqual([]);
  });

  const pages: [string, () => string][] = [
    ["home", () => "/"],
    ["people", () => "/people"],
    ["people results", () => "/people?q=saml"],
    ["a profile", () => `/people/${ids.person}`],
    ["questions", () => "/questions"],
    ["a question", () => `/questions/${ids.question}`],
    ["ask a question", () => "/questions/ask"],
    ["docs", () => "/docs"],
    ["a document", () => `/docs/${ids.doc}`],
    ["a document's history", () => `/docs/${ids.doc}/history`],
    ["insights", () => "/insights"],
    ["an insight", () => `/insights/${ids.insight}`],
    ["new insight", () => "/insights/new"],
    ["insights inbox", () => "/insights/inbox"],
    ["search", () => "/search?q=saml"],
    ["dashboard", () => "/dashboard"],
    ["notifications", () => "/notifications"],
    ["account", () => "/account"],
    ["admin users", () => "/admin/users"],
  ];
  for (const [name, path] of pages) {
    it(`on ${name}`, async () => {
      const { page } = admin;
      const res = await page.goto(`${e2e.url}${path()}`);
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      await page.locator("main h1").first().waitFor();
      expect(await blockingFindings(page), path()).toEqual([]);
    });
  }

  it("on the search palette and the open phone menu", async () => {
    const { page } = admin;
    await page.goto(`${e2e.url}/`);
    await waitForHydration(page);
    await page.getByRole("searchbox", { name: "Search everything" }).click();
    await page.getByTestId("search-palette").waitFor();
    await page.keyboard.type("saml");
    await page.getByTestId("palette-results").getByRole("option").first().waitFor();
    expect(await blockingFindings(page)).toEqual([]);
    await page.keyboard.press("Escape");

    const phone = await e2e.newUser({ ...AXE_CONTEXT, viewport: { width: 375, height: 740 } });
    await signIn(phone.page, e2e.url, "admin@atrium.test", "atrium-demo-admin", { expectPath: "/" });
    await phone.page.getByRole("button", { name: "Menu" }).click();
    await phone.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" }).waitFor();
    expect(await blockingFindings(phone.page)).toEqual([]);
  });
});
