/**
 * Opening a document whose Yjs state is ~1 MB.
 *
 *   npx remix build && npx tsx bench/docs-open-large.ts        BENCH_RUNS=10 BENCH_BROWSER_RUNS=3
 *
 * Measured:
 *   - Node client, Atrium: new Socket.io connection → joined → synced (the whole state received and
 *     applied to a Y.Doc); and the same with the reference y-websocket server (in memory).
 *   - Server side: loading the room from SQLite (snapshot + log) when nobody has it open.
 *   - Chromium, Atrium: navigation start → page shell painted; → the editor shows the document's
 *     last paragraph (first render of the content); → the connection badge says "Connected".
 */
import { fork } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { io } from "socket.io-client";
import { WebsocketProvider } from "y-websocket";
import { createRequire } from "node:module";
import * as Y from "yjs";
import { SocketDocProvider, type DocSocket } from "../app/realtime/doc-provider.js";
import { markdownToState, readState } from "../server/collab/headless.js";
import { launchBrowser } from "../tests/e2e/helpers/browser.js";
import { makeUser, sessionCookieFor, startTestApp } from "../tests/helpers/app.js";

const require = createRequire(import.meta.url);
const WS = require("ws") as unknown as typeof WebSocket;
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const BROWSER_RUNS = Number(process.env.BENCH_BROWSER_RUNS ?? 3);
const TARGET = 1024 * 1024;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}`;

// ~1 MB of realistic content: headings, paragraphs, lists, a little formatting.
function markdownOf(paragraphs: number) {
  const words = "launch brief customer invoice billing product marketing timeline budget review owner risk metric quarter region pricing".split(" ");
  const out: string[] = [];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < paragraphs; i++) {
    if (i % 25 === 0) out.push(`## Section ${i / 25 + 1}`);
    const sentence = Array.from({ length: 60 }, () => words[Math.floor(rnd() * words.length)]).join(" ");
    out.push(i % 7 === 3 ? `- ${sentence}` : `Paragraph ${i}: ${sentence.replace("budget", "**budget**")}.`);
  }
  out.push("THE-LAST-PARAGRAPH");
  return out.join("\n\n");
}

let paragraphs = 800;
let state = markdownToState(markdownOf(paragraphs));
for (let i = 0; i < 4 && Math.abs(state.byteLength - TARGET) > TARGET * 0.03; i++) {
  paragraphs = Math.round((paragraphs * TARGET) / state.byteLength);
  state = markdownToState(markdownOf(paragraphs));
}
console.log(`Open a large document — ${os.cpus().length} CPU(s), Node ${process.version}`);
console.log(`Yjs state: ${(state.byteLength / 1024 / 1024).toFixed(2)} MB (${paragraphs} paragraphs)`);
let t = performance.now();
readState(state);
console.log(`Headless Lexical materialisation of that state (what an editor does on first sync): ${(performance.now() - t).toFixed(0)} ms`);

// ── Atrium ──
const app = await startTestApp({ withPages: true, env: { NODE_ENV: "production", DOC_MAX_UPDATE_BYTES: String(4 * TARGET) } });
const dept = await app.atrium.db.department.create({ data: { name: "Bench", slug: "bench" } });
await app.atrium.domain.docs.ensureSpaces();
const space = await app.atrium.db.space.findFirstOrThrow({ where: { departmentId: dept.id } });
const { user, actor, password } = await makeUser(app.atrium, { departmentId: dept.id, name: "Bench Reader" });
const { id: docId } = await app.atrium.domain.docs.createDocument(actor, { title: "Large", spaceId: space.id }, { state });
const cookie = await sessionCookieFor(app.atrium, user.email, password);

const coldLoads: number[] = [];
for (let i = 0; i < RUNS; i++) {
  app.atrium.ctx.collab.unload(docId);
  t = performance.now();
  app.atrium.ctx.collab.room(docId);
  coldLoads.push(performance.now() - t);
}
app.atrium.ctx.collab.unload(docId);
console.log(`Atrium server, room load from SQLite (snapshot + log):  ${fmt(coldLoads)}`);

const atriumSynced: number[] = [];
for (let i = 0; i < RUNS; i++) {
  t = performance.now();
  const socket = io(app.url, { transports: ["websocket"], extraHeaders: { cookie }, forceNew: true, reconnection: false }) as DocSocket;
  await new Promise((r) => socket.once("connect", () => r(null)));
  const doc = new Y.Doc();
  const p = new SocketDocProvider(socket, docId, doc);
  await new Promise<void>((resolve) => {
    p.on("sync", (s) => s && resolve());
    p.connect();
  });
  atriumSynced.push(performance.now() - t);
  if (i === 0 && !doc.get("root", Y.XmlText).toString().includes("THE-LAST-PARAGRAPH")) throw new Error("incomplete sync");
  p.destroy();
  socket.disconnect();
}
console.log(`Atrium, Node client: connect → synced:                  ${fmt(atriumSynced)}`);

// ── y-websocket ──
const child = fork(path.resolve(import.meta.dirname, "docs-servers/ywebsocket.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
const ywsUrl = await new Promise<string>((r) => child.once("message", (m: { url: string }) => r(m.url)));
const ywsDoc = await new Promise<string>((r) => {
  child.once("message", (m: { docId: string }) => r(m.docId));
  child.send({ seed: { state: Array.from(state) } });
});
const ywsSynced: number[] = [];
for (let i = 0; i < RUNS; i++) {
  t = performance.now();
  const doc = new Y.Doc();
  const p = new WebsocketProvider(ywsUrl, ywsDoc, doc, { WebSocketPolyfill: WS, disableBc: true });
  await new Promise<void>((resolve) => p.once("sync", (s: boolean) => s && resolve()));
  ywsSynced.push(performance.now() - t);
  p.destroy();
}
child.send({ stop: true });
console.log(`y-websocket, Node client: connect → synced:             ${fmt(ywsSynced)}`);
console.log(`ratio Atrium / y-websocket (p50): ×${(pct(atriumSynced, 50) / pct(ywsSynced, 50)).toFixed(2)}`);

// ── Chromium ──
const browser = await launchBrowser();
const shell: number[] = [];
const content: number[] = [];
const connected: number[] = [];
for (let i = 0; i < BROWSER_RUNS + 1; i++) {
  const context = await browser.newContext();
  await context.addCookies([{ name: "atrium_session", value: cookie.split("=")[1]!, url: app.url }]);
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(`${app.url}/docs/${docId}`, { waitUntil: "commit" });
  await page.locator('[data-testid="doc-page"]').waitFor({ timeout: 60_000 });
  const tShell = Date.now() - t0;
  await page.waitForFunction(() => (document.querySelector('[data-testid="doc-editor"]') as HTMLElement | null)?.innerText.includes("THE-LAST-PARAGRAPH"), undefined, { timeout: 120_000, polling: 50 });
  const tContent = Date.now() - t0;
  await page.locator('[data-testid="doc-connection"][data-state="connected"]').waitFor({ timeout: 60_000 });
  const tConnected = Date.now() - t0;
  // The first run warms the server (room load, code caches) and is not counted.
  if (i > 0) {
    shell.push(tShell);
    content.push(tContent);
    connected.push(tConnected);
  }
  await context.close();
}
await browser.close();
console.log(`Chromium, Atrium page: navigation → page shell:          ${fmt(shell)}`);
console.log(`Chromium, Atrium page: navigation → content rendered:    ${fmt(content)}`);
console.log(`Chromium, Atrium page: navigation → "Connected":         ${fmt(connected)}`);
await app.close();
process.exit(0);
