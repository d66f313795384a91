/**
 * Every address, every caller. bad-input.test.ts sends its corpus to every form action and API
 * endpoint as an admin; this walk takes each route file of app/routes as nobody, as a member and
 * as an admin: ids with broken percent-encoding, 3,000 characters, a path or `__proto__` in each
 * dynamic segment; nonsense query strings; the `.data` and legacy `?_data=` forms; malformed
 * bodies; every intent the route's source names (and none), with every field it reads set to NUL
 * or -1e309; PUT and DELETE. With a read-write token, an ingest token, a malformed token and none
 * it does the same to the API. Nothing may answer 5xx, and the walk must reach the real pages (a
 * walk refused at the door proves nothing). Sessions stay signed in to the end: a request that is
 * not an explicit sign-out must not end them.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { seedDemoContent, seedOrganisation } from "../../../prisma/seed.js";
import { createDb } from "../../../server/db.js";
import { actorOf } from "../../factories.js";
import { sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { freshDatabase } from "../../helpers/db.js";
import { formOf } from "../../helpers/route-forms.js";

const NOW = new Date("2031-03-17T10:30:00.000Z");
const ROUTES = path.resolve("app/routes");

let app: TestApp;
let cookies: { who: string; cookie: string | null }[];
const ids: Record<string, string> = {};
let adminToken: string;
let ingestToken: string;

beforeAll(async () => {
  const seeded = freshDatabase();
  const db = await createDb(seeded.url);
  try {
    await seedOrganisation(db);
    await seedDemoContent(db, seeded.url, NOW);
  } finally {
    await db.$disconnect();
  }
  app = await startTestApp({ withPages: true, clock: { now: () => NOW }, database: seeded });
  const { db: adb, domain } = app.atrium;
  cookies = [
    { who: "signed out", cookie: null },
    { who: "member", cookie: await sessionCookieFor(app.atrium, "member@atrium.test", "atrium-demo-member") },
    { who: "admin", cookie: await sessionCookieFor(app.atrium, "admin@atrium.test", "atrium-demo-admin") },
  ];
  const answer = await adb.answer.findFirstOrThrow({ where: { deletedAt: null }, select: { id: true, questionId: true } });
  ids.question = answer.questionId;
  ids.answer = answer.id;
  ids.doc = (await adb.document.findFirstOrThrow({ where: { deletedAt: null }, select: { id: true } })).id;
  ids.space = (await adb.space.findFirstOrThrow({ select: { id: true } })).id;
  ids.person = (await adb.user.findFirstOrThrow({ where: { email: "member@atrium.test" }, select: { id: true } })).id;
  ids.insight = (await adb.insight.findFirstOrThrow({ select: { id: true } })).id;
  ids.team = (await adb.team.findFirstOrThrow({ select: { id: true } })).id;
  ids.rule = (await adb.routingRule.findFirstOrThrow({ select: { id: true } })).id;
  const admin = actorOf(await adb.user.findFirstOrThrow({ where: { email: "admin@atrium.test" } }));
  ids.webhook = (await adb.webhook.create({ data: { url: "https://hooks.example.test/in", secret: "s", events: "[]", createdById: admin.id } })).id;
  adminToken = (await domain.apiTokens.createApiToken(admin, { name: "hostile walk", kind: "personal", scope: "write" })).secret;
  ingestToken = (await domain.apiTokens.createApiToken(admin, { name: "hostile ingest", kind: "integration", scope: "insights" })).secret;
}, 240_000);
afterAll(() => app?.close());

const HOSTILE_IDS = ["%E0%A4%A", "A".repeat(3000), "..%2F..%2F..%2Fetc%2Fpasswd", "%00", "__proto__"];
const HOSTILE_QUERIES = [
  "?q=%00&page=-1&cursor=%E0%A4%A&tag=&tags=a&tags=b&sort=__proto__",
  "?page=1e309&limit=abc&offset=-1&from=notadate&to=2020-13-45&redirectTo=%2F%2Fevil.example&q[]=x&department=%00&days=NaN",
];
const NONSENSE = ["\u0000", "-1e309"];

interface Route {
  file: string;
  /** The path with real ids, then with each hostile id in every dynamic segment. */
  paths: string[];
  /** From formOf: "" (no intent) first. */
  intents: string[];
  fields: string[];
}

/** `questions.$id_.answers.$answerId.edit` → `/questions/<id>/answers/<answer>/edit`. */
function routesOf(): Route[] {
  const real = (param: string, parent: string) =>
    (<Record<string, string | undefined>>{
      "$id:questions": ids.question,
      "$id:docs": ids.doc,
      "$id:people": ids.person,
      "$id:insights": ids.insight,
      "$id:admin/teams": ids.team,
      "$id:admin/insight-rules": ids.rule,
      "$id:admin/webhooks": ids.webhook,
      "$answerId:questions/$id/answers": ids.answer,
      "$spaceId:docs/spaces": ids.space,
      "$tag:questions/tagged": "launch",
      "$:api/v1": "me",
    })[`${param}:${parent}`] ?? "x";
  // Signing out ends the walk's sessions: that route goes last.
  const names = readdirSync(ROUTES).sort((a, b) => Number(a.startsWith("logout.")) - Number(b.startsWith("logout.")));
  return names.map((name) => {
    const file = name.replace(/\.tsx?$/, "");
    const segs = file
      .split(/\.(?![^[]*\])/)
      .filter((s) => s !== "_index")
      .map((s) => s.replace(/_$/, "").replace(/\[(.*)\]/, "$1"));
    const build = (idFor: (param: string, parent: string) => string) =>
      "/" + segs.map((s, i) => (s.startsWith("$") ? idFor(s, segs.slice(0, i).join("/")) : s)).join("/");
    const paths = [build(real)];
    if (segs.some((s) => s.startsWith("$"))) for (const h of HOSTILE_IDS) paths.push(build(() => h));
    const { intents, fields } = formOf(readFileSync(path.join(ROUTES, name), "utf8"));
    return { file, paths, intents, fields };
  });
}

interface Outcome {
  method: string;
  path: string;
  who: string;
  body: string;
  status: number;
  text: string;
}

async function send(method: string, url: string, who: string, headers: Record<string, string>, body?: string): Promise<Outcome> {
  const res = await fetch(app.url + url, { method, headers: { origin: app.url, ...headers }, body, redirect: "manual" });
  const text = res.headers.get("location") ?? (await res.text()).slice(0, 200);
  return { method, path: url.slice(0, 120), who, body: (body ?? "").slice(0, 80), status: res.status, text };
}

/** Runs the requests a few at a time: the server answers them concurrently, as it would a crowd. */
async function walk(requests: (() => Promise<Outcome>)[], width = 4): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < requests.length) out.push(await requests[next++]!());
    }),
  );
  return out;
}

const form = "application/x-www-form-urlencoded";
const BAD_BODIES: [string, string][] = [
  ["", form],
  ["%E0%A4%A=%E0%A4%A&intent=%00", form],
  ["{bad json", "application/json"],
  ['{"intent":{"$gt":1},"title":[1,2],"body":null}', "application/json"],
  ['--x\r\nContent-Disposition: form-data; name="file"; filename="../../a.png"\r\nContent-Type: image/png\r\n\r\nGIF89a<script>\r\n', "multipart/form-data; boundary=x"],
  ["a=b", "multipart/form-data"],
  ["<x/>", "application/xml"],
];

test("no page, data request or action answers 5xx to hostile input, signed out, as a member or as an admin", async () => {
  const routes = routesOf();
  const requests: (() => Promise<Outcome>)[] = [];
  // What ends the walk's sessions runs after everything else.
  const last: (() => Promise<Outcome>)[] = [];
  for (const r of routes) {
    for (const [i, p] of r.paths.entries()) {
      // The real path gets every hostile query, body and value; a hostile id the main ones.
      const realPath = i === 0;
      const long = p.length > 1000;
      for (const { who, cookie } of cookies) {
        const h: Record<string, string> = cookie ? { cookie } : {};
        for (const q of realPath ? ["", ...HOSTILE_QUERIES] : [""]) requests.push(() => send("GET", p + q, who, h));
        requests.push(() => send("GET", `${p}.data`, who, h));
        if (realPath) requests.push(() => send("GET", `${p}?_data=${encodeURIComponent(`routes/${r.file}`)}`, who, h));
        for (const [body, type] of realPath ? BAD_BODIES : BAD_BODIES.slice(0, 1)) requests.push(() => send("POST", p, who, { ...h, "content-type": type }, body));
        if (cookie && !long) {
          for (const intent of r.intents) {
            for (const v of realPath ? NONSENSE : NONSENSE.slice(0, 1)) {
              const fields = new URLSearchParams(r.fields.map((f) => [f, v]));
              if (intent) fields.set("intent", intent);
              (intent === "sign-out-everywhere" ? last : requests).push(() => send("POST", p, who, { ...h, "content-type": form }, fields.toString()));
            }
          }
        }
        requests.push(() => send("PUT", p, who, { ...h, "content-type": "text/plain" }, "x"));
        requests.push(() => send("DELETE", p, who, h));
      }
    }
  }
  const outcomes = [...(await walk(requests)), ...(await walk(last))];
  const failures = outcomes.filter((o) => o.status >= 500);
  expect(failures).toEqual([]);

  // The walk reached what it claims to: every route file, and the real pages answered.
  expect(routes.length).toBe(readdirSync(ROUTES).length);
  const ok = (who: string, url: string) => outcomes.find((o) => o.who === who && o.method === "GET" && o.path === url)?.status;
  expect(ok("admin", `/questions/${ids.question}`)).toBe(200);
  expect(ok("admin", `/docs/${ids.doc}`)).toBe(200);
  expect(ok("admin", `/admin/webhooks/${ids.webhook}`)).toBe(200);
  expect(ok("member", `/questions/${ids.question}/answers/${ids.answer}/edit`)).toBeLessThan(500);
  expect(ok("signed out", "/login")).toBe(200);
  expect(outcomes.filter((o) => o.status === 200).length).toBeGreaterThan(300);
  // The legacy data form is refused up front (a loader returning null made Remix's handler throw).
  expect(ok("signed out", `/forgot-password?_data=${encodeURIComponent("routes/forgot-password")}`)).toBe(400);
  // Broken percent-encoding in an id is the client's error.
  expect(ok("admin", "/questions/%E0%A4%A")).toBe(400);
}, 600_000);

test("no API endpoint answers 5xx to hostile input, with a read-write token, an ingest token or none", async () => {
  const who = [
    { who: "no token", h: {} as Record<string, string> },
    { who: "read-write token", h: { authorization: `Bearer ${adminToken}` } },
    { who: "ingest token", h: { authorization: `Bearer ${ingestToken}` } },
    { who: "malformed token", h: { authorization: "Bearer %00\u00ff" } },
  ];
  const gets = ["/api/v1/me", "/api/v1/openapi.json", "/api/v1/people", "/api/v1/questions", "/api/v1/spaces", "/api/v1/documents", "/api/v1/insights"];
  const byId = ["/api/v1/people/", "/api/v1/questions/", "/api/v1/spaces/", "/api/v1/documents/", "/api/v1/insights/"];
  const posts = ["/api/v1/questions", `/api/v1/questions/${ids.question}/answers`, "/api/v1/insights", "/api/v1/questions/%E0%A4%A/answers"];
  const json = "application/json";
  const bodies: [string, string][] = [
    ...BAD_BODIES,
    ['{"title":"' + "T".repeat(5000) + '","body":' + "[".repeat(2000) + "]".repeat(2000) + "}", json],
    ['{"title":1e309,"body":{"__proto__":{"admin":true}},"tags":"x","text":null,"source":[],"createdAt":"0000-00-00"}', json],
    ['{"text":"\\ud800","source":"x","customer":{"email":"not an email"},"tags":[{}],"createdAt":"2031-13-45T99:99"}', json],
  ];
  const requests: (() => Promise<Outcome>)[] = [];
  for (const { who: w, h } of who) {
    for (const g of gets) for (const q of ["", ...HOSTILE_QUERIES]) requests.push(() => send("GET", g + q, w, h));
    for (const b of byId) for (const id of ["x", ...HOSTILE_IDS]) requests.push(() => send("GET", b + id, w, h));
    for (const p of posts) for (const [body, type] of bodies) requests.push(() => send("POST", p, w, { ...h, "content-type": type }, body));
    for (const [body, type] of bodies) requests.push(() => send("PUT", "/api/v1/people/me/status", w, { ...h, "content-type": type }, body));
    requests.push(() => send("DELETE", "/api/v1/questions", w, h));
  }
  const outcomes = await walk(requests);
  expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
  // The token reached the handlers: its reads answer 200 and the nonsense bodies 4xx.
  const status = (w: string, m: string, p: string) => outcomes.filter((o) => o.who === w && o.method === m && o.path === p).map((o) => o.status);
  expect(status("read-write token", "GET", "/api/v1/questions")[0]).toBe(200);
  expect(status("read-write token", "GET", "/api/v1/me")[0]).toBe(200);
  expect(status("no token", "GET", "/api/v1/me")[0]).toBe(401);
  expect(status("read-write token", "POST", "/api/v1/questions").every((s) => s >= 400 && s < 500)).toBe(true);
  expect(status("ingest token", "POST", "/api/v1/insights").every((s) => s >= 400 && s < 500)).toBe(true);
  expect(status("ingest token", "POST", "/api/v1/insights")).toHaveLength(bodies.length);
}, 300_000);
