/**
 * Bad input never gets a 500. Every form action under app/routes/ and every API endpoint (the
 * Express router's and the Remix API splat) receives a corpus of bad values — lone surrogates,
 * invalid UTF-8, NUL, CR/LF, huge and non-numbers, arrays and nested objects where text is
 * expected, 2,000-character and 1 MB strings, year-275760 dates, negative ids, wrong content types, empty and
 * malformed bodies — from a signed-in admin (the widest access), on a database seeded with the
 * demo organisation so that every route's ids are real. The lists are derived from the files,
 * so a new route or form field is covered without touching this test. Refused requests must
 * not have written rows (where a refusal legitimately writes — failed sign-ins — that is skipped).
 */
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoContent, seedOrganisation } from "../../../prisma/seed.js";
import { actorOf } from "../../factories.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_DB } from "../../helpers/db.js";
import { formOf } from "../../helpers/route-forms.js";

const NOW = new Date("2031-03-17T10:30:00.000Z");
const ROUTES_DIR = path.resolve("app/routes");
const API_ROUTER = path.resolve("server/http/api/router.ts");
const ADMIN = { email: "admin@atrium.test", password: "atrium-demo-admin" };

let app: TestApp;
const ids: Record<string, string> = {};
const failures: string[] = [];

// ── the corpus ──
/** A bad value as a form sends it: raw urlencoded text (so invalid UTF-8 can be sent), and as JSON. */
interface Bad {
  name: string;
  /** urlencoded value (already percent-encoded), or null when the value has no form spelling */
  form: string | null;
  json: unknown;
  /** for form fields: send the field this many times (an array where one value is expected) */
  repeat?: number;
  /**
   * Also post it the way a browser without JavaScript does (the page is rendered again with
   * the action's answer); every value goes to the action as the app's own scripts post it.
   */
  page?: boolean;
}

/** The action alone, as Remix's scripts call it (single fetch): `/path.data`, `/_root.data` for "/". */
function dataUrl(p: string) {
  const [pathname, query] = p.split("?");
  return `${pathname === "/" ? "/_root" : pathname}.data${query ? `?${query}` : ""}`;
}
const enc = encodeURIComponent;
const MEGA = "x".repeat(1_000_000);
const CORPUS: Bad[] = [
  { name: "lone surrogate", form: "%ED%A0%80", json: "a\ud800b", page: true },
  { name: "lone low surrogate", form: "%ED%BF%BF", json: "\udfff" },
  { name: "invalid UTF-8", form: "%FF%FE%C3", json: "\ufffd" },
  { name: "NUL byte", form: "a%00b", json: "a\u0000b" },
  { name: "CR/LF", form: enc("a\r\nSet-Cookie: x=1\r\n"), json: "a\r\nSet-Cookie: x=1\r\n" },
  { name: "huge number", form: "1e309", json: 1e308 },
  { name: "huge integer", form: "99999999999999999999999999", json: 99999999999999999999999999 },
  { name: "NaN", form: "NaN", json: "NaN" },
  { name: "negative id", form: "-1", json: -1 },
  { name: "year 275760", form: enc("+275760-09-13T00:00:00.000Z"), json: "+275760-09-13T00:00:00.000Z", page: true },
  { name: "year 275760 (plain)", form: "275760-01-01", json: "275760-01-01" },
  { name: "array", form: "a", json: ["a", "b"], repeat: 3, page: true },
  { name: "nested object", form: null, json: { a: { b: { c: [1, { d: null }] } } } },
  { name: "1 MB string", form: MEGA, json: MEGA },
  // Longer than any search box or name allows, short enough to fit in an address.
  { name: "2,000 characters", form: "y".repeat(2000), json: "y".repeat(2000), page: true },
  { name: "empty", form: "", json: "" },
  { name: "boolean", form: "true", json: true },
  { name: "null", form: null, json: null },
];

// ── routes, derived from the files ──
interface FormRoute {
  file: string;
  path: string;
  fields: string[];
  intents: string[];
  multipart: boolean;
}

/** The URL of a flat-route file name, with `$params` filled in from the seeded data. */
function urlOf(file: string, param: (prev: string, name: string) => string): string {
  const base = file.replace(/\.(tsx|ts)$/, "").replace(/\[\.([^\]]+)\]/g, "\u0001$1");
  const out: string[] = [];
  // An index route's action is reached with ?index (otherwise the layout's is asked).
  const index = base.endsWith("._index") || base === "_index";
  for (const raw of base.split(".")) {
    const seg = raw.replace(/\u0001/g, ".");
    if (seg === "_index" || seg.startsWith("_")) continue;
    const s = seg.endsWith("_") ? seg.slice(0, -1) : seg;
    out.push(s.startsWith("$") ? param(out.join("/"), s.slice(1) || "*") : s);
  }
  return `/${out.join("/")}${index ? "?index" : ""}`;
}

function paramValue(prev: string, name: string): string {
  const key = `${prev}/$${name}`;
  const table: [RegExp, string][] = [
    [/^docs\/spaces\/\$spaceId$/, ids.space!],
    [/^docs\/\$id$/, ids.doc!],
    [/images\/\$imageId$/, "no-such-image"],
    [/answers\/\$answerId$/, ids.answer!],
    [/^questions\/tagged\/\$tag$/, ids.tag!],
    [/^questions\/\$id$/, ids.question!],
    [/^insights\/\$id$/, ids.insight!],
    [/^people\/\$id$/, ids.admin!],
    [/^admin\/teams\/\$id$/, ids.team!],
    [/^admin\/webhooks\/\$id$/, ids.webhook!],
    [/^admin\/insight-rules\/\$id$/, ids.rule!],
    [/\$\*$/, "no-such-endpoint"],
  ];
  for (const [re, v] of table) if (re.test(key)) return v;
  throw new Error(`No seeded value for the route parameter ${key}: add one to bad-input.test.ts`);
}

function formRoutes(): FormRoute[] {
  const out: FormRoute[] = [];
  for (const file of readdirSync(ROUTES_DIR).sort()) {
    const src = readFileSync(path.join(ROUTES_DIR, file), "utf8");
    if (!/export (async function|const|function) action\b/.test(src)) continue;
    out.push({ file, path: urlOf(file, paramValue), ...formOf(src) });
  }
  return out;
}

interface ApiRoute {
  method: string;
  path: string;
}
function apiRoutes(): ApiRoute[] {
  const src = readFileSync(API_ROUTER, "utf8");
  const out: ApiRoute[] = [];
  for (const m of src.matchAll(/router\.(get|post|put|patch|delete)\(\s*"([^"]+)"/g)) {
    const p = m[2]!.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      if (m[2]!.startsWith("/questions")) return ids.question!;
      if (m[2]!.startsWith("/people")) return ids.admin!;
      if (m[2]!.startsWith("/spaces")) return ids.space!;
      if (m[2]!.startsWith("/documents")) return ids.doc!;
      if (m[2]!.startsWith("/insights")) return ids.insight!;
      throw new Error(`No seeded value for :${name} in ${m[2]}: add one to bad-input.test.ts`);
    });
    out.push({ method: m[1]!.toUpperCase(), path: `/api/v1${p}` });
  }
  // The Remix splat behind the router.
  out.push({ method: "POST", path: "/api/v1/no-such-endpoint" });
  return out;
}

// ── sending ──
let countSql = "";
const onPostgres = TEST_DB === "postgresql";
/**
 * A fingerprint of what is stored: on SQLite each table's largest rowid (an insert raises it; cheap
 * even on the seeded tables, unlike count(*)); PostgreSQL has no rowid, there each table's row count.
 */
async function rowCounts(): Promise<string> {
  if (!countSql) {
    const tables = await app.atrium.db.$queryRawUnsafe<{ name: string }[]>(
      onPostgres
        ? "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_prisma%'"
        : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%' AND sql NOT LIKE '%WITHOUT ROWID%' AND sql NOT LIKE 'CREATE VIRTUAL%'",
    );
    const measure = onPostgres ? "count(*)" : "coalesce(max(rowid), 0)";
    countSql = tables.map((t) => `SELECT '${t.name}' AS t, ${measure} AS n FROM "${t.name}"`).join(" UNION ALL ");
  }
  const rows = await app.atrium.db.$queryRawUnsafe<{ t: string; n: bigint | number }[]>(countSql);
  return rows.map((r) => `${r.t}=${r.n}`).sort().join(",");
}
let lastCounts = "";

/** A refusal may write audit entries of failed attempts (a wrong current password): allowed. */
async function onlyFailureAudits(changed: string[], before: Map<string, string>) {
  if (changed.some((c) => !c.startsWith("AuditEvent="))) return false;
  const from = Number(before.get("AuditEvent") ?? 0);
  const to = Number(changed.find((c) => c.startsWith("AuditEvent="))?.split("=")[1] ?? from);
  const rows = await app.atrium.db.$queryRawUnsafe<{ action: string }[]>(
    onPostgres // the rows added since: the newest by writing transaction
      ? `SELECT action FROM "AuditEvent" ORDER BY xmin::text::bigint DESC LIMIT ${Math.max(0, to - from)}`
      : `SELECT action FROM "AuditEvent" WHERE rowid > ${from}`,
  );
  return rows.every((r) => /fail|refus|denied|reject|locked/i.test(r.action));
}

/** Routes whose refusals legitimately write (a failed sign-in is audited and counted). */
const WRITES_ON_REFUSAL = /^\/(login|forgot-password|reset-password|logout)$/;

async function send(label: string, url: string, init: Omit<RequestInit, "body"> & { body?: string | Uint8Array; checkWrites?: boolean }) {
  const before = init.checkWrites ? lastCounts || (await rowCounts()) : "";
  let status = 0;
  let text = "";
  try {
    const res = await fetch(`${app.url}${url}`, { ...init, body: init.body as BodyInit | undefined, redirect: "manual" });
    status = res.status;
    text = await res.text();
  } catch (e) {
    failures.push(`${label}: no answer (${(e as Error).message})`);
    return;
  }
  if (status >= 500) failures.push(`${label}: ${status} ${text.replace(/\s+/g, " ").slice(0, 160)}`);
  if (!init.checkWrites) {
    lastCounts = "";
    return;
  }
  const after = await rowCounts();
  lastCounts = after;
  if (status >= 400 && status < 500 && status !== 429 && after !== before) {
    const b = new Map(before.split(",").map((x) => x.split("=") as [string, string]));
    const changed = after.split(",").filter((x) => b.get(x.split("=")[0]!) !== x.split("=")[1]);
    if (!(await onlyFailureAudits(changed, b))) failures.push(`${label}: ${status} but wrote rows (${changed.join(", ")})`);
  }
}

async function freshCookie() {
  const s = await app.atrium.domain.accounts.signIn(ADMIN, { ip: "127.0.0.1", userAgent: "bad-input" });
  lastCounts = ""; // the new session is not the next request's doing
  return `atrium_session=${s.token}`;
}

function urlencoded(fields: string[], intent: string, bad: Bad): string {
  const parts: string[] = intent ? [`intent=${enc(intent)}`] : [];
  for (const f of fields) for (let i = 0; i < (bad.repeat ?? 1); i++) parts.push(`${enc(f)}=${bad.form}`);
  return parts.join("&");
}

function multipart(fields: string[], intent: string, bad: Bad): { body: Buffer; type: string } {
  const boundary = "----bad-input";
  const chunks: Buffer[] = [];
  const part = (name: string, value: Buffer, file = false) =>
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="bad\u0000\r.bin"` : ""}\r\n\r\n`, "latin1"),
      value,
      Buffer.from("\r\n"),
    );
  if (intent) part("intent", Buffer.from(intent));
  const raw = Buffer.from(decodeURIComponentLoose(bad.form ?? ""), "latin1");
  for (const f of fields) part(f, raw, /photo|file|image/.test(f));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** Percent-decoding to raw bytes (latin1), keeping invalid UTF-8 invalid. */
function decodeURIComponentLoose(s: string) {
  return s.replace(/%([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

beforeAll(async () => {
  app = await startTestApp({ withPages: true, clock: { now: () => NOW } });
  await seedOrganisation(app.atrium.db);
  await seedDemoContent(app.atrium.db, app.atrium.ctx.env.DATABASE_URL, NOW);
  // The SLA sweep would breach seeded insights whenever its interval comes round, writing events
  // and notifications in the middle of a request's before/after comparison: settle it, then stop it.
  await app.atrium.insightSla.sweepNow();
  await app.atrium.insightSla.stop();
  const db = app.atrium.db;
  const admin = await db.user.findUniqueOrThrow({ where: { email: ADMIN.email } });
  ids.admin = admin.id;
  const doc = await db.document.findFirstOrThrow({ where: { deletedAt: null } });
  ids.doc = doc.id;
  ids.space = doc.spaceId;
  const answer = await db.answer.findFirstOrThrow({});
  ids.answer = answer.id;
  ids.question = answer.questionId;
  ids.tag = (await db.skill.findFirstOrThrow({})).name;
  ids.insight = (await db.insight.findFirstOrThrow({})).id;
  ids.team = (await db.team.findFirstOrThrow({})).id;
  ids.rule = (await db.routingRule.findFirstOrThrow({})).id;
  const hook = await app.atrium.domain.webhooks.createWebhook(actorOf(admin), { url: "https://hooks.example.test/atrium", events: ["question.asked"], name: "Bad input" }).catch(() => null);
  ids.webhook = (hook as { id?: string } | null)?.id ?? (await db.webhook.findFirst({}))?.id ?? "no-such-webhook";
}, 300_000);

afterAll(async () => {
  await app?.close();
});

describe("bad input gets a clear 4xx, never a 500", () => {
  it("the route lists are derived from the files and cover every action and API endpoint", () => {
    const forms = formRoutes();
    const actionFiles = readdirSync(ROUTES_DIR).filter((f) => /export (async function|const|function) action\b/.test(readFileSync(path.join(ROUTES_DIR, f), "utf8")));
    expect(forms.map((r) => r.file)).toEqual(actionFiles.sort());
    expect(forms.length).toBeGreaterThan(30);
    expect(forms.find((r) => r.file === "questions.ask.tsx")?.fields).toEqual(expect.arrayContaining(["title", "tags", "bodyJson", "bodyPlain"]));
    expect(apiRoutes().length).toBeGreaterThan(15);
  });

  it("every form action, every intent, every bad value: no 500, nothing half-written", async () => {
    let sent = 0;
    for (const r of formRoutes()) {
      for (const intent of r.intents) {
        const cookie = await freshCookie();
        const headers = { Cookie: cookie };
        const checkWrites = !WRITES_ON_REFUSAL.test(r.path);
        const label = (what: string) => `POST ${r.path}${intent ? ` intent=${intent}` : ""} ${what}`;
        for (const bad of CORPUS) {
          if (bad.form !== null) {
            const body = urlencoded(r.fields, intent, bad);
            const type = { "Content-Type": "application/x-www-form-urlencoded" };
            await send(label(`[${bad.name}] urlencoded`), dataUrl(r.path), { method: "POST", headers: { ...headers, ...type }, body, checkWrites });
            sent++;
            if (bad.page) {
              await send(label(`[${bad.name}] urlencoded, page`), r.path, { method: "POST", headers: { ...headers, ...type }, body, checkWrites });
              sent++;
            }
            if (r.multipart && bad.name !== "1 MB string") {
              const m = multipart(r.fields, intent, bad);
              await send(label(`[${bad.name}] multipart`), dataUrl(r.path), { method: "POST", headers: { ...headers, "Content-Type": m.type }, body: m.body, checkWrites });
              sent++;
            }
          } else {
            // No form spelling: nested keys the way some servers read them.
            await send(label(`[${bad.name}] bracket keys`), dataUrl(r.path), { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body: r.fields.map((f) => `${enc(f)}[a][b]=1&${enc(f)}[]=2`).join("&"), checkWrites });
            sent++;
          }
        }
        // Bodies that are not forms at all.
        const notForms: [string, Record<string, string>, string | Buffer][] = [
          ["empty body", {}, ""],
          ["empty urlencoded", { "Content-Type": "application/x-www-form-urlencoded" }, ""],
          ["JSON", { "Content-Type": "application/json" }, JSON.stringify({ intent, title: "\ud800" })],
          ["malformed JSON", { "Content-Type": "application/json" }, '{"intent": "' + intent],
          ["text/plain", { "Content-Type": "text/plain" }, "intent=" + intent],
          ["multipart without boundary", { "Content-Type": "multipart/form-data" }, "--x\r\n\r\n"],
          ["truncated multipart", { "Content-Type": "multipart/form-data; boundary=zz" }, '--zz\r\nContent-Disposition: form-data; name="intent"\r\n\r\n' + intent],
          ["binary urlencoded", { "Content-Type": "application/x-www-form-urlencoded" }, Buffer.from([0xff, 0x00, 0x3d, 0x26, 0xfe, 0x25, 0x25])],
        ];
        for (const [name, h, body] of notForms) {
          await send(label(`[${name}]`), dataUrl(r.path), { method: "POST", headers: { ...headers, ...h }, body, checkWrites });
          sent++;
        }
      }
    }
    console.log(`[bad-input] ${formRoutes().length} form actions, ${sent} requests, ${failures.length} failures`);
    expect(failures).toEqual([]);
  }, 900_000);

  it("every API endpoint, every bad value in the JSON body and the query: no 500", async () => {
    failures.length = 0;
    const admin = await app.atrium.db.user.findUniqueOrThrow({ where: { email: ADMIN.email } });
    const actor = actorOf(admin);
    const write = (await app.atrium.domain.apiTokens.createApiToken(actor, { name: "bad-input write", scope: "write" })).secret;
    const ingest = (await app.atrium.domain.apiTokens.createApiToken(actor, { name: "bad-input ingest", kind: "integration", scope: "insights" })).secret;
    const fieldNames = ["title", "body", "tags", "text", "emoji", "until", "account", "channel", "url", "externalId", "sentiment", "departmentId", "documentId", "insightId", "page", "pageSize", "q", "limit", "format", "tag", "sort"];
    let sent = 0;
    for (const r of apiRoutes()) {
      const token = r.path.startsWith("/api/v1/insights") && r.method === "POST" ? ingest : write;
      const headers = { Authorization: `Bearer ${token}` };
      const label = (what: string) => `${r.method} ${r.path} ${what}`;
      for (const bad of CORPUS) {
        if (r.method === "GET") {
          const q = fieldNames.map((f) => `${f}=${bad.form ?? "%5B%5D"}`).join("&");
          await send(label(`[${bad.name}] query`), `${r.path}?${q}`, { method: "GET", headers });
          await send(label(`[${bad.name}] path`), `${r.path}/${bad.form ?? "x"}`.slice(0, 2000), { method: "GET", headers });
          sent += 2;
          continue;
        }
        const obj = Object.fromEntries(fieldNames.map((f) => [f, bad.json]));
        for (const body of [JSON.stringify(obj), JSON.stringify(bad.json), JSON.stringify([obj])]) {
          await send(label(`[${bad.name}] JSON`), r.path, { method: r.method, headers: { ...headers, "Content-Type": "application/json" }, body, checkWrites: true });
          sent++;
        }
      }
      if (r.method !== "GET") {
        const notJson: [string, Record<string, string>, string | Buffer][] = [
          ["empty body", { "Content-Type": "application/json" }, ""],
          ["malformed JSON", { "Content-Type": "application/json" }, '{"title": "x'],
          ["invalid UTF-8", { "Content-Type": "application/json" }, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
          ["form instead of JSON", { "Content-Type": "application/x-www-form-urlencoded" }, "title=x&body=y"],
          ["text/plain", { "Content-Type": "text/plain" }, "hello"],
          ["no content type", {}, '{"title":"x"}'],
          ["wrong charset", { "Content-Type": "application/json; charset=klingon" }, '{"title":"x"}'],
        ];
        for (const [name, h, body] of notJson) {
          await send(label(`[${name}]`), r.path, { method: r.method, headers: { ...headers, ...h }, body, checkWrites: true });
          sent++;
        }
      }
    }
    console.log(`[bad-input] ${apiRoutes().length} API endpoints, ${sent} requests, ${failures.length} failures`);
    expect(failures).toEqual([]);
  }, 600_000);

  it("every page's loader, every bad value in its query: no 500", async () => {
    failures.length = 0;
    const common = ["q", "page", "pageSize", "cursor", "before", "after", "from", "to", "since", "until", "sort", "tag", "tags", "status", "type", "limit", "department", "team", "redirectTo"];
    let sent = 0;
    let routes = 0;
    const cookie = await freshCookie();
    for (const file of readdirSync(ROUTES_DIR).sort()) {
      const src = readFileSync(path.join(ROUTES_DIR, file), "utf8");
      if (!/export (async function|const|function) loader\b/.test(src) || file === "logout.tsx") continue;
      routes++;
      const names = new Set(common);
      for (const m of src.matchAll(/searchParams\.(?:get|getAll|has)\(\s*["']([^"']+)["']/g)) names.add(m[1]!);
      const p = urlOf(file, paramValue);
      for (const bad of CORPUS) {
        const value = bad.form ?? "%5B%5D";
        const all = [...names].map((n) => `${enc(n)}=${value}`).join("&");
        // Every name at once; a long value one name at a time, so the address stays under the
        // server's header limit (a 431 would never reach the loader).
        for (const q of all.length <= 8_000 ? [all] : [...names].map((n) => `${enc(n)}=${value}`)) {
          const url = p.includes("?") ? `${p}&${q}` : `${p}?${q}`;
          if (url.length > 12_000) continue;
          // The loaders alone, as the app's scripts ask (single fetch); the page itself for a few values.
          await send(`GET ${p} [${bad.name}] query ${q.slice(0, 20)}`, dataUrl(url), { method: "GET", headers: { Cookie: cookie } });
          sent++;
          if (bad.page) {
            await send(`GET ${p} [${bad.name}] query ${q.slice(0, 20)}, page`, url, { method: "GET", headers: { Cookie: cookie } });
            sent++;
          }
        }
      }
    }
    console.log(`[bad-input] ${routes} loaders, ${sent} requests, ${failures.length} failures`);
    expect(failures).toEqual([]);
  }, 600_000);

  it("a malformed Host header gets 400, not a 500", async () => {
    const raw = (host: string) =>
      new Promise<string>((resolve, reject) => {
        const s = net.connect(app.port, "127.0.0.1", () => s.write(`GET /login HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
        let out = "";
        s.on("data", (c) => (out += c.toString("latin1")));
        s.on("end", () => resolve(out.split("\r\n")[0] ?? ""));
        s.on("error", reject);
      });
    for (const host of ["exa mple.test", "a/b", "[::1", "x@y", "%", "a:b:c", "", "evil.test/path?", "\u00e9xample.test", "localhost:99999999"]) {
      expect(await raw(host), `Host: ${JSON.stringify(host)}`).toMatch(/^HTTP\/1\.1 400/);
    }
    expect(await raw(`127.0.0.1:${app.port}`)).toMatch(/^HTTP\/1\.1 200/);
  });
});
