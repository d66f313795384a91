/**
 * Unified search against the real app: every change made through a verb (and through HTTP) is
 * searchable at once, and a private document never leaks through a result, a count, a facet or a
 * suggestion. One app for the file (startTestApp with pages). The permission tests read the search
 * verb's data directly; the "over HTTP" tests request the rendered /search page and the palette's
 * resource route and read what they answer.
 */
import { DomUtils, parseDocument } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { ask, body } from "../questions/helpers.js";
import { SIGNED_OUT_MESSAGE } from "../../../app/utils/http.server";

let app: TestApp;
type U = Awaited<ReturnType<typeof makeUser>>;
let olga: U, sam: U, mia: U, admin: U;
const cookies = new Map<string, string>();
let companySpace: string;

async function suggest(u: U, q: string) {
  const res = await fetch(`${app.url}/search/suggest?${new URLSearchParams({ q })}`, { headers: { cookie: cookies.get(u.user.id)! } });
  expect(res.status).toBe(200);
  return (await res.json()) as { items: { type: string; id: string; url: string; title: { text: string; mark?: true }[] }[] };
}

/** The /search loader's data, from the verb it calls (single fetch answers in turbo-stream, not JSON). */
async function searchPage(u: U, params: Record<string, string>) {
  try {
    return { page: await app.atrium.domain.search.search(u.actor, params), error: null as string | null };
  } catch (e) {
    const fe = (e as { fieldErrors?: Record<string, string[]> }).fieldErrors;
    if (!fe) throw e;
    return { page: null, error: Object.values(fe).flat().join(" ") };
  }
}

/** The rendered /search page over HTTP. */
async function pageHtml(u: U, params: Record<string, string>) {
  const res = await fetch(`${app.url}/search?${new URLSearchParams(params)}`, { headers: { cookie: cookies.get(u.user.id)! } });
  expect(res.status).toBe(200);
  return res.text();
}
const idsOf = (items: { id: string }[]) => items.map((i) => i.id);

/** What the rendered /search page shows, read from its HTML as answered over HTTP. */
async function searchOverHttp(u: U, params: Record<string, string>) {
  const dom = parseDocument(await pageHtml(u, params));
  const byTestId = (id: string) => DomUtils.findAll((e) => e.attribs["data-testid"] === id, dom.children);
  const text = (id: string) => byTestId(id).map((e) => DomUtils.textContent(e).trim()).join(" ") || null;
  const results = byTestId("search-result").map((li) => {
    const href = DomUtils.findOne((e) => e.name === "a", [li])!.attribs.href!;
    const snippet = DomUtils.findOne((e) => e.attribs["data-testid"] === "search-snippet", [li]);
    return {
      type: li.attribs["data-type"],
      id: href.split("/").filter(Boolean).pop()!,
      marked: snippet ? DomUtils.findAll((e) => e.name === "mark", [snippet]).map((m) => DomUtils.textContent(m)) : [],
      snippetText: snippet ? DomUtils.textContent(snippet) : "",
    };
  });
  return { summary: text("search-summary"), error: text("search-error"), hint: text("search-hint"), truncated: text("search-truncated"), results };
}

beforeAll(async () => {
  app = await startTestApp({ withPages: true });
  const dept = await app.atrium.db.department.create({ data: { name: "Research", slug: "research" } });
  olga = await makeUser(app.atrium, { name: "Olga Owner", departmentId: dept.id });
  sam = await makeUser(app.atrium, { name: "Sam Sharee" });
  mia = await makeUser(app.atrium, { name: "Mia Member", departmentId: dept.id });
  admin = await makeUser(app.atrium, { name: "Ada Admin", role: "admin" });
  for (const u of [olga, sam, mia, admin]) cookies.set(u.user.id, await sessionCookieFor(app.atrium, u.user.email, u.password));
  companySpace = (await app.atrium.db.space.findFirstOrThrow({ where: { kind: "company" } })).id;
}, 300_000);

afterAll(async () => {
  await app?.close();
});

describe("permission-aware search", () => {
  it("a private document whose title matches: not returned, counted, faceted or suggested for others; found by owner and sharee", async () => {
    const docs = app.atrium.domain.docs;
    const { id } = await docs.createDocument(olga.actor, { title: "Zanzibar acquisition plan", spaceId: companySpace, visibility: "private" });
    for (const u of [mia, sam, admin]) {
      expect(idsOf((await suggest(u, "zanzibar")).items)).toEqual([]);
      const s = await searchPage(u, { q: "zanzibar" });
      expect(s.page!.total).toBe(0);
      expect(Object.values(s.page!.byType).reduce((a, b) => a + b, 0)).toBe(0);
      expect(JSON.stringify(s)).not.toContain("Zanzibar");
      const html = await pageHtml(u, { q: "zanzibar" });
      expect(html).not.toMatch(/zanzibar acquisition/i);
      expect(html).toContain("No results for");
    }
    expect(idsOf((await suggest(olga, "zanzi")).items)).toEqual([id]);
    const own = await searchPage(olga, { q: "zanzibar" });
    expect(own.page!.byType.doc).toBe(1);
    expect(own.page!.results[0]!.title.filter((s) => s.mark).map((s) => s.text)).toEqual(["Zanzibar"]);

    await docs.shareDocument(olga.actor, id, { principalType: "user", principalId: sam.user.id, role: "viewer" });
    expect(idsOf((await suggest(sam, "zanzibar")).items)).toEqual([id]);
    expect(await pageHtml(sam, { q: "zanzibar" })).toContain("<mark>Zanzibar</mark>");
    expect(idsOf((await suggest(mia, "zanzibar")).items)).toEqual([]);

    // Opened to the department: Mia (same department) now finds it; Sam still by his share.
    await docs.updateDocument(olga.actor, id, { visibility: "department" });
    expect(idsOf((await suggest(mia, "zanzibar")).items)).toEqual([id]);

    // Trashed: gone for everyone, the owner included; restored: back.
    await docs.trashDocument(olga.actor, id);
    for (const u of [olga, sam, mia]) expect((await searchPage(u, { q: "zanzibar" })).page!.total).toBe(0);
    await docs.restoreDocument(olga.actor, id);
    expect((await searchPage(olga, { q: "zanzibar" })).page!.total).toBe(1);

    // Retitled: the new title is found at once, the old one no longer.
    await docs.updateDocument(olga.actor, id, { title: "Okavango partnership" });
    expect(idsOf((await suggest(olga, "okavango")).items)).toEqual([id]);
    expect((await searchPage(olga, { q: "zanzibar" })).page!.total).toBe(0);
  });

  it("deleted questions and deactivated people disappear at once", async () => {
    const q = await ask(app.atrium, mia.actor, { title: "Where is the quetzal telemetry dashboard?", body: body("Looking for the quetzal graphs"), tags: ["telemetry"] });
    const found = await searchPage(sam, { q: "quetzal" });
    expect(found.page!.results.map((r) => r.type)).toEqual(["question"]);
    expect(found.page!.tags).toEqual([{ name: expect.stringMatching(/telemetry/i), count: 1 }]);
    await app.atrium.domain.questions.answerQuestion(sam.actor, q.id, { body: body("The quetzal board lives in Grafana") });
    expect((await searchPage(mia, { q: "quetzal", type: "answer" })).page!.total).toBe(1);
    await app.atrium.domain.questions.deleteQuestion(mia.actor, q.id, {});
    expect((await searchPage(sam, { q: "quetzal" })).page!.total).toBe(0);

    const leaver = await makeUser(app.atrium, { name: "Wendeline Leaver" });
    await app.atrium.domain.accounts.deactivateUser(admin.actor, leaver.user.id);
    expect(idsOf((await suggest(sam, "wendeline")).items)).toEqual([]);
  });
});

describe("kept current, found over HTTP in the very next request", () => {
  it("a profile edited through the edit page is found by the /search page and the palette in the very next request", async () => {
    expect((await searchOverHttp(sam, { q: "quokka" })).results).toEqual([]);
    const form = new URLSearchParams({ intent: "profile", name: "Mia Member", timeZone: "UTC", bio: "I look after quokka husbandry records." });
    const res = await fetch(`${app.url}/people/${mia.user.id}/edit`, {
      method: "POST",
      headers: { cookie: cookies.get(mia.user.id)!, "content-type": "application/x-www-form-urlencoded" },
      body: form,
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    const s = await searchOverHttp(sam, { q: "quokka" });
    expect(s.results.map((r) => [r.type, r.id])).toEqual([["person", mia.user.id]]);
    expect(s.results[0]!.marked).toEqual(["quokka"]);
    expect(s.summary).toBe("1 result for “quokka”.");
    expect(idsOf((await suggest(sam, "quokka")).items)).toEqual([mia.user.id]);
  });

  it("a document's settled text is found by the /search page at once, its snippet marking the word as text", async () => {
    const { id } = await app.atrium.domain.docs.createDocument(olga.actor, { title: "Field notes", spaceId: companySpace, visibility: "company" });
    expect((await searchOverHttp(sam, { q: "axolotl" })).results).toEqual([]);
    await app.atrium.domain.docs.recordSettledContent(id, { read: { text: "We counted <b>axolotl</b> eggs in the pond.", mentions: [] }, editors: [olga.user.id], seq: 5, at: app.atrium.ctx.clock.now() });
    const s = await searchOverHttp(sam, { q: "axolotl" });
    expect(s.results.map((r) => [r.type, r.id])).toEqual([["doc", id]]);
    expect(s.results[0]!.marked).toEqual(["axolotl"]);
    // Rendered as text: the page shows the characters, it does not make them bold.
    expect(s.results[0]!.snippetText).toContain("<b>axolotl</b>");
    expect(await pageHtml(sam, { q: "axolotl" })).toContain("&lt;b&gt;");
  });

  it("an insight posted is found by the /search page at once", async () => {
    expect((await searchOverHttp(mia, { q: "narwhal" })).results).toEqual([]);
    const { id } = await app.atrium.domain.insights.createInsight(sam.actor, { text: "The narwhal export keeps failing for us", channel: "email" });
    const s = await searchOverHttp(mia, { q: "narwhal" });
    expect(s.results.map((r) => [r.type, r.id])).toEqual([["insight", id]]);
  });
});

describe("bad input over HTTP", () => {
  it("empty, operator-only, very long and odd queries answer 200 with a sensible page", async () => {
    const empty = await searchOverHttp(sam, { q: "" });
    expect(empty.hint).toBeTruthy();
    expect(empty.results).toEqual([]);
    const operators = await searchOverHttp(sam, { q: 'AND OR NOT * " : - ( )' });
    expect(operators.hint).toBeTruthy();
    expect(operators.error).toBeNull();
    const long = await searchOverHttp(sam, { q: "quokka ".repeat(2_000) });
    expect(long.truncated).toBeTruthy();
    expect(long.results.map((r) => r.id)).toEqual([mia.user.id]);
    const odd = await searchOverHttp(sam, { q: "<script>alert(1)</script> 🚀 名前" });
    expect(odd.summary).toMatch(/^No results for “<script>alert\(1\)<\/script> 🚀 名前”/);
    expect(odd.error).toBeNull();
    expect(await pageHtml(sam, { q: "<script>alert(1)</script>" })).not.toContain("<script>alert(1)</script>");
    expect((await suggest(sam, "")).items).toEqual([]);
  });

  it("bad filters: a clear message and no results, not an error page", async () => {
    const swapped = await searchOverHttp(sam, { q: "quokka", from: "2026-05-01", to: "2026-01-01" });
    expect(swapped.error).toMatch(/start date is after the end date/);
    expect(swapped.results).toEqual([]);
    expect((await searchOverHttp(sam, { q: "quokka", type: "spaceship" })).error).toMatch(/Choose people, documents/);
    expect((await searchOverHttp(sam, { q: "quokka", from: "2026-13-45" })).error).toMatch(/date/);
    // The verb refuses the same way the page reports it.
    expect((await searchPage(sam, { q: "quokka", from: "2026-05-01", to: "2026-01-01" })).page).toBeNull();
  });

  it("signed out: the page redirects to sign in; the resource route a page's fetchers call answers 401 'signed out' (no redirect to take the page away); neither shows anything", async () => {
    const page = await fetch(`${app.url}/search?q=quokka`, { redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent("/search?q=quokka")}`);
    expect(await page.text()).not.toContain("quokka husbandry");
    const suggest = await fetch(`${app.url}/search/suggest?q=quokka`, { redirect: "manual" });
    expect(suggest.status).toBe(401);
    expect(suggest.headers.get("cache-control")).toBe("no-store");
    expect(await suggest.json()).toEqual({ signedOut: true, error: SIGNED_OUT_MESSAGE });
  });
});
