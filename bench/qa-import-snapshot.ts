/**
 * What an import stores, as text to compare before and after a change to the importer: imports
 * each dump folder twice into one fresh SQLite file, then writes every imported table (users and
 * identities, questions, answers, revisions, tags, comments, skills, dashboard facts) with each
 * generated id replaced by the dump's own key for that row and the import's clock and random
 * e-mail suffix masked, rows sorted. Also prints the summaries of both runs.
 *   npx tsx bench/qa-import-snapshot.ts out.json <dump folder>...
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { createDb, tuneSqlite } from "../server/db.js";
import { importStackExchange } from "../server/import/stackexchange.js";
import { freshBenchDb } from "./qa-common.js";

const [out, ...folders] = process.argv.slice(2);
const scratch = freshBenchDb("snapshot");
const db = await createDb(scratch.url);
await tuneSqlite(db);
const summaries: unknown[] = [];
for (const run of [1, 2])
  for (const f of folders) {
    const s = await importStackExchange({ db, env: { DATABASE_URL: scratch.url } }, path.resolve(f!));
    summaries.push({ run, ...s, seconds: 0, postsPerSecond: 0, peakRssBytes: 0 });
  }
await db.$disconnect();

const raw = new Database(scratch.url.slice("file:".length), { readonly: true });
const key = new Map<string, string>();
for (const r of raw.prepare(`SELECT "userId", "source", "externalId" FROM "ImportedIdentity"`).all() as { userId: string; source: string; externalId: string }[]) key.set(r.userId, `user:${r.source}:${r.externalId}`);
for (const t of ["Question", "Answer", "QaComment"])
  for (const r of raw.prepare(`SELECT "id", "importSource", "importId" FROM "${t}"`).all() as { id: string; importSource: string; importId: string }[]) key.set(r.id, `${t}:${r.importSource}:${r.importId}`);
for (const r of raw.prepare(`SELECT "id", "name" FROM "Skill"`).all() as { id: string; name: string }[]) key.set(r.id, `skill:${r.name}`);
for (const r of raw.prepare(`SELECT "id", "questionId", "answerId", "number" FROM "PostRevision"`).all() as { id: string; questionId: string | null; answerId: string | null; number: number }[])
  key.set(r.id, `rev:${key.get(r.questionId ?? r.answerId ?? "") ?? "?"}:${r.number}`);

const masked: Record<string, string[]> = { User: ["createdAt", "updatedAt"] };
const tables: Record<string, string[]> = {};
for (const t of ["User", "ImportedIdentity", "Question", "Answer", "PostRevision", "QuestionTag", "QaComment", "Skill", "DashQuestionFact"]) {
  tables[t] = (raw.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[])
    .map((r) => {
      const o: Record<string, unknown> = {};
      for (const [c, v] of Object.entries(r)) {
        if (masked[t]?.includes(c)) o[c] = "(import time)";
        else if (t === "User" && c === "email") o[c] = String(v).replace(/-[0-9a-f]{8}@import\.invalid$/, "-(random)@import.invalid");
        else o[c] = typeof v === "string" && key.has(v) ? key.get(v) : v;
      }
      return JSON.stringify(o);
    })
    .sort();
}
raw.close();
scratch.dispose();
writeFileSync(out!, JSON.stringify({ summaries, tables }, null, 1));
console.log(`${out}: ${Object.entries(tables).map(([t, rows]) => `${t} ${rows.length}`).join(", ")}`);
