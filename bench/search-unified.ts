/**
 * Unified search benchmark: 100,000 generated entities — 10,000 people, 50,000
 * documents, 20,000 questions, 12,000 answers and 8,000 insights — in the real UnifiedIndex
 * (server/search/unified-index.ts), and the same corpus in SQLite FTS5 (better-sqlite3, bm25,
 * prefix queries) as the peer. 1,000 queries: names, skills, prefixes, typos, multi-word.
 *
 *   npm run bench:search            (or: npx tsx bench/search-unified.ts)
 *
 * Ours is measured as the search page runs it: permission check of every candidate for a member
 * (documents of several visibilities, shares), counts per type, top 20. FTS5 returns the top 20
 * by bm25 with no permission check and no counts (it has neither), and no typo tolerance.
 * Also: index memory (heap and RSS delta), cold start (build from rows read from SQLite vs
 * loading a snapshot). Env: BENCH_SCALE (default 1 = 100,000), BENCH_SEED.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { parseQuery } from "../server/search/query.js";
import { UnifiedIndex, type Reader, type SearchEntry } from "../server/search/unified-index.js";
import { stats, ms } from "./qa-common.js";
import { DOC_KINDS, generate, N, pick, random, SKILLS, vocab } from "./corpus.js";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SEED = Number(process.env.BENCH_SEED ?? 6);
const r = random;

function queries(entries: SearchEntry[]): string[] {
  const names = entries.filter((e) => e.type === "person").map((e) => e.title);
  const typo = (w: string) => {
    const i = 1 + Math.floor(r() * (w.length - 2));
    return w.slice(0, i) + w.slice(i + 1);
  };
  const qs: string[] = [];
  while (qs.length < 1_000) {
    const k = qs.length % 10;
    const name = pick(names);
    const word = vocab[Math.floor(r() * 2000)]!;
    if (k === 0) qs.push(name); // full name
    else if (k === 1) qs.push(name.split(" ")[1]!); // surname
    else if (k === 2) qs.push(name.slice(0, 3 + Math.floor(r() * 3))); // a name being typed
    else if (k === 3) qs.push(pick(SKILLS)); // a skill
    else if (k === 4) qs.push(pick(SKILLS).toLowerCase().slice(0, 4)); // a skill prefix
    else if (k === 5) qs.push(typo(pick(SKILLS).toLowerCase())); // a typo
    else if (k === 6) qs.push(`${pick(SKILLS)} ${word}`); // two words
    else if (k === 7) qs.push(`${pick(DOC_KINDS).split(/[ :]/)[0]} ${pick(SKILLS)} ${word}`); // three words
    else if (k === 8) qs.push(pick(["invoices wrong", "billing charged twice", "checkout failing", "support slow", "new dashboard"]));
    else qs.push(`${word} ${vocab[Math.floor(r() * 5000)]!}`); // two body words
  }
  return qs;
}

/** FTS5 query: every word as a prefix, all required; bm25 weights mirror ours (title 3, tags 2). */
function ftsQuery(q: string): string | null {
  const terms = parseQuery(q).terms;
  return terms.length ? terms.map((t) => `"${t.replace(/"/g, "")}"*`).join(" ") : null;
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * Where the index's heap goes: its parts are let go one at a time (after the queries), each
 * followed by a full GC; the heap that drops is that part's share. Per-record fields first (set
 * to undefined, so strings and arrays shared with others are only counted where they end).
 */
function memoryBreakdown(index: UnifiedIndex) {
  // The bench reads private members on purpose: it measures the index's own layout.
  const idx = index as unknown as Record<string, any>;
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const rows: [string, number][] = [];
  let last = heap();
  const step = (name: string, drop: () => void) => {
    drop();
    const now = heap();
    rows.push([name, last - now]);
    last = now;
  };
  const records = () => [...(idx.meta as Map<string, Record<string, unknown>>).values()];
  const clearFields = (...fields: string[]) => () => {
    for (const m of records()) for (const f of fields) if (f in m) m[f] = undefined;
  };
  const total0 = last;
  const entries = index.size;
  step("words digests (Map)", () => idx.words.clear());
  step("children (question → answers)", () => idx.children.clear());
  step("records: url", clearFields("url"));
  step("records: subtitle", clearFields("subtitle"));
  step("records: tags + tagKeys", clearFields("tags", "tagKeys"));
  step("records: departmentIds", clearFields("departmentIds"));
  step("records: access + policy subject", clearFields("access", "subject"));
  step("records: skillLevels + skillTerms", clearFields("skillLevels", "skillTerms"));
  step("records: signals, authorId, parentId", clearFields("signals", "authorId", "parentId"));
  step("records: the rest (objects, key, id, title) + Maps", () => {
    idx.meta = new Map();
    idx.byShort = [];
  });
  step("shared strings and lists (pools)", () => {
    idx.strings?.clear();
    idx.lists?.clear();
  });
  step("scoring arrays (typed)", () => {
    idx.boosts = idx.skilled = idx.types = new Uint8Array(0);
    idx.lens = [];
    idx.scores = new Float64Array(0);
    idx.masks = new Uint16Array(0);
  });
  const mini = idx.mini as Record<string, any>;
  step("MiniSearch field lengths", () => (mini._fieldLength = new Map()));
  step("MiniSearch id maps (documentIds, idToShortId)", () => {
    mini._documentIds = new Map();
    mini._idToShortId = new Map();
  });
  step("MiniSearch stored fields", () => (mini._storedFields = new Map()));
  let postings = 0;
  let maps = 0;
  step("MiniSearch postings (short id → count maps)", () => {
    for (const [, data] of mini._index as Iterable<[string, Map<number, Map<number, number>>]>) {
      for (const [fieldId, ids] of data) {
        postings += ids.size;
        maps++;
        data.set(fieldId, undefined as never);
      }
    }
  });
  const terms = mini._index.size as number;
  step("MiniSearch words (radix tree, field maps)", () => (idx.mini = null));
  console.log(`\nIndex heap by part (${terms.toLocaleString()} words, ${maps.toLocaleString()} posting maps, ${postings.toLocaleString()} postings):`);
  for (const [name, bytes] of rows) console.log(`  ${name.padEnd(52)} ${mb(bytes).padStart(8)}   ${(bytes / entries).toFixed(0).padStart(5)} B/entry`);
  console.log(`  ${"total".padEnd(52)} ${mb(total0 - last).padStart(8)}`);
}

async function main() {
  console.log(`Unified search benchmark — ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  const t0 = performance.now();
  const entries = generate({ seed: SEED, scale: SCALE });
  const qs = queries(entries);
  console.log(`Corpus: ${entries.length.toLocaleString()} entities (${Object.entries(N).map(([k, v]) => `${v} ${k}`).join(", ")}) generated in ${(performance.now() - t0).toFixed(0)} ms`);

  // ── SQLite: the rows the server would read at start, and the FTS5 peer ──
  const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-search-bench-"));
  const sqlite = new Database(path.join(dir, "corpus.db"));
  sqlite.pragma("journal_mode = WAL");
  sqlite.exec(`CREATE TABLE corpus (k TEXT PRIMARY KEY, json TEXT NOT NULL, body TEXT NOT NULL);
    CREATE VIRTUAL TABLE fts USING fts5(k UNINDEXED, title, tags, body, tokenize = 'unicode61 remove_diacritics 2');`);
  const ins = sqlite.prepare("INSERT INTO corpus (k, json, body) VALUES (?, ?, ?)");
  const insF = sqlite.prepare("INSERT INTO fts (k, title, tags, body) VALUES (?, ?, ?, ?)");
  sqlite.transaction(() => {
    for (const e of entries) {
      const { body, ...rest } = e;
      ins.run(`${e.type}:${e.id}`, JSON.stringify(rest), body);
    }
  })();
  let t = performance.now();
  sqlite.transaction(() => {
    for (const e of entries) insF.run(`${e.type}:${e.id}`, e.title, e.tags.join(" "), e.body.slice(0, 4000));
  })();
  const ftsBuild = performance.now() - t;

  // ── cold start A: read rows + build the index ──
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  // As the server does it (decision 061): pages of 2,000 read and added in order, people first.
  const page = sqlite.prepare("SELECT rowid, json, body FROM corpus WHERE rowid > ? ORDER BY rowid LIMIT 2000");
  const index = new UnifiedIndex();
  index.beginBuild(entries.length);
  let read = 0;
  let build = 0;
  let peopleReady = 0;
  let peakRss = 0;
  for (let after = 0, done = 0; ; ) {
    t = performance.now();
    const rows = page.all(after) as { rowid: number; json: string; body: string }[];
    read += performance.now() - t;
    if (!rows.length) break;
    t = performance.now();
    index.addBatch(rows.map((row) => ({ ...(JSON.parse(row.json) as Omit<SearchEntry, "body">), body: row.body })));
    build += performance.now() - t;
    after = rows[rows.length - 1]!.rowid;
    done += rows.length;
    if (!peopleReady && done >= N.people) peopleReady = read + build;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  t = performance.now();
  index.endBuild();
  build += performance.now() - t;
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  const rss1 = process.memoryUsage().rss;

  // ── cold start B: snapshot (BENCH_SNAPSHOT=0 skips it: quick runs of the query part) ──
  const withSnapshot = process.env.BENCH_SNAPSHOT !== "0";
  t = performance.now();
  const snapshot = withSnapshot ? JSON.stringify(index.toJSON()) : "";
  if (withSnapshot) writeFileSync(path.join(dir, "snapshot.json"), snapshot);
  const save = performance.now() - t;
  t = performance.now();
  let loaded: UnifiedIndex | null = withSnapshot ? await UnifiedIndex.fromJSON(readFileSync(path.join(dir, "snapshot.json"), "utf8")) : index;
  const load = performance.now() - t;
  if (loaded!.size !== index.size) throw new Error("snapshot lost entries");
  // The loaded copy must answer as the built one does.
  for (const q of ["saml", "kubernetes runbook"]) {
    const a = loaded!.search({ actor: { id: "u1", role: "member", departmentId: "dept1", active: true }, teamIds: [] }, parseQuery(q));
    const b = index.search({ actor: { id: "u1", role: "member", departmentId: "dept1", active: true }, teamIds: [] }, parseQuery(q));
    if (a.total !== b.total) throw new Error(`snapshot answers differently for "${q}": ${a.total} vs ${b.total}`);
  }

  // ── queries ──
  const reader: Reader = { actor: { id: "u1", role: "member", departmentId: "dept1", active: true }, teamIds: ["team1", "team2"] };
  const ftsStmt = sqlite.prepare("SELECT k FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0, 3.0, 2.0, 1.0) LIMIT 20");
  for (const q of qs.slice(0, 100)) {
    index.search(reader, parseQuery(q));
    const f = ftsQuery(q);
    if (f) ftsStmt.all(f);
  }
  const ours: number[] = [];
  const fts: number[] = [];
  let oursEmpty = 0;
  let ftsEmpty = 0;
  const suggest: number[] = [];
  const visited: number[] = [];
  // CPU time per query (user + system, this process): steadier than wall time on a loaded machine.
  const oursCpu: number[] = [];
  const ftsCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
  };
  for (const q of qs) {
    let s = performance.now();
    let c = process.cpuUsage();
    const v0 = index.visited;
    const res = index.search(reader, parseQuery(q));
    ours.push(performance.now() - s);
    oursCpu.push(cpuMs(c));
    visited.push(index.visited - v0);
    if (!res.total) oursEmpty++;
    const f = ftsQuery(q);
    s = performance.now();
    c = process.cpuUsage();
    const rowsF = f ? ftsStmt.all(f) : [];
    fts.push(performance.now() - s);
    ftsCpu.push(cpuMs(c));
    if (!rowsF.length) ftsEmpty++;
    s = performance.now();
    index.suggest(reader, parseQuery(q));
    suggest.push(performance.now() - s);
  }
  const KINDS = ["full name", "surname", "name prefix", "skill", "skill prefix", "typo", "skill + word", "three words", "insight phrase", "two body words"];
  console.log("\nours by query kind (p50 / p95):");
  KINDS.forEach((kind, k) => {
    const x = stats(ours.filter((_, i) => i % 10 === k));
    const y = stats(fts.filter((_, i) => i % 10 === k));
    const v = stats(visited.filter((_, i) => i % 10 === k));
    const xc = stats(oursCpu.filter((_, i) => i % 10 === k));
    console.log(`  ${kind.padEnd(16)} ${ms(x.p50).padStart(10)} ${ms(x.p95).padStart(10)}   FTS5 ${ms(y.p50).padStart(9)} ${ms(y.p95).padStart(9)}   CPU ${ms(xc.p50).padStart(9)} ${ms(xc.p95).padStart(9)}   postings read p50 ${v.p50.toFixed(0)}, p95 ${v.p95.toFixed(0)}`);
  });
  const o = stats(ours);
  const f = stats(fts);
  const sg = stats(suggest);
  console.log("");
  console.log(`Index: ${index.size.toLocaleString()} entries; heap +${mb(heap1 - heap0)}, RSS +${mb(rss1 - rss0)} (RSS now ${mb(process.memoryUsage().rss)}, peak while building +${mb(peakRss - rss0)})`);
  console.log(`Cold start A (build): read rows from SQLite ${read.toFixed(0)} ms + build ${build.toFixed(0)} ms = ${(read + build).toFixed(0)} ms; people searchable after ${peopleReady.toFixed(0)} ms`);
  if (withSnapshot) console.log(`Cold start B (snapshot): ${mb(snapshot.length)} JSON, save ${save.toFixed(0)} ms, load ${load.toFixed(0)} ms`);
  console.log(`FTS5 index build (peer): ${ftsBuild.toFixed(0)} ms`);
  console.log("");
  console.log(`1,000 queries        p50        p95        p99        max     no result`);
  const line = (name: string, x: ReturnType<typeof stats>, empty: number | string) =>
    console.log(`${name.padEnd(16)} ${ms(x.p50).padStart(10)} ${ms(x.p95).padStart(10)} ${ms(x.p99).padStart(10)} ${ms(x.max).padStart(10)} ${String(empty).padStart(8)}`);
  line("ours (search)", o, oursEmpty);
  line("ours (suggest)", sg, "");
  line("SQLite FTS5", f, ftsEmpty);
  const oc = stats(oursCpu);
  const fc = stats(ftsCpu);
  line("ours CPU time", oc, "");
  line("FTS5 CPU time", fc, "");
  console.log("");
  console.log(`Ratio ours/FTS5: p50 ${(o.p50 / f.p50).toFixed(2)}×, p95 ${(o.p95 / f.p95).toFixed(2)}× (below 1 = ours faster)`);
  console.log(`Ratio ours/FTS5 in CPU time: p50 ${(oc.p50 / fc.p50).toFixed(2)}×, p95 ${(oc.p95 / fc.p95).toFixed(2)}×`);
  console.log(`Aim p95 ≤ 5 ms: ${o.p95 <= 5 ? "met" : "missed"}; no slower than FTS5 at p95: ${o.p95 <= f.p95 ? "met" : "missed"}`);
  console.log(`Load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  loaded = null; // let the snapshot's copy go: only the built index is taken apart
  memoryBreakdown(index);
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
