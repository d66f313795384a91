/**
 * The migration that folds insights ingest tokens into API tokens (decision 056): a secret already
 * handed to an integration must keep working (it signs in to the API of an app started on the
 * migrated database), and insights must keep pointing at their token.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import { createAtrium } from "../../../server/atrium.js";
import { parseEnv } from "../../../server/env.js";
import { TMP_DIR } from "../../helpers/db.js";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../../prisma/migrations");
const UNIFY = "20261123540000_unify_api_tokens";
const files: string[] = [];
afterAll(() => files.forEach((f) => rmSync(f, { force: true })));

/** A database as it was before the unification, with every earlier migration applied. */
function databaseBeforeUnify() {
  mkdirSync(TMP_DIR, { recursive: true });
  const file = path.join(TMP_DIR, `token-migration-${process.pid}-${files.length}.db`);
  files.push(file);
  const db = new Database(file);
  for (const m of readdirSync(MIGRATIONS).filter((d) => !d.endsWith(".toml")).sort()) {
    if (m >= UNIFY) break;
    db.exec(readFileSync(path.join(MIGRATIONS, m, "migration.sql"), "utf8"));
  }
  return db;
}
const applyUnify = (db: Database.Database) => db.exec(readFileSync(path.join(MIGRATIONS, UNIFY, "migration.sql"), "utf8"));
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const now = new Date("2026-11-01T10:00:00Z").getTime();

function insight(db: Database.Database, id: string, integrationId: string | null, externalId: string) {
  db.prepare(
    `INSERT INTO Insight (id, text, channel, integrationId, externalId, sentimentScore, sentimentLabel, sentimentAuto, createdAt, updatedAt)
     VALUES (?, 'invoices wrong', 'twitter', ?, ?, -0.5, 'negative', 'negative', ?, ?)`,
  ).run(id, integrationId, externalId, now, now);
}

test("ingest tokens become insights-only integration tokens with the same hash, owner and insights", () => {
  const db = databaseBeforeUnify();
  const user = db.prepare("INSERT INTO User (id, email, name, role, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)");
  user.run("admin-old", "first@x.test", "First admin", "admin", now - 1000, now);
  user.run("admin-new", "second@x.test", "Second admin", "admin", now, now);
  const token = db.prepare("INSERT INTO IntegrationToken (id, name, tokenHash, prefix, createdById, createdAt, revokedAt, lastUsedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  token.run("tok-live", "Brandwatch", sha256("atr_live-secret"), "atr_live-s", "admin-new", now, null, now);
  token.run("tok-orphan", "Old forwarder", sha256("atr_orphan-secret"), "atr_orpha", null, now, now, null);
  insight(db, "ins-1", "tok-live", "tweet-1");
  insight(db, "ins-2", "tok-orphan", "mail-1");

  applyUnify(db);

  const rows = db.prepare('SELECT id, name, kind, ownerId, tokenHash, scopes, revokedAt FROM ApiToken ORDER BY id').all();
  expect(rows).toEqual([
    { id: "tok-live", name: "Brandwatch", kind: "integration", ownerId: "admin-new", tokenHash: sha256("atr_live-secret"), scopes: "insights:ingest", revokedAt: null },
    // Its creator is gone: the earliest admin owns it; revoked stays revoked.
    { id: "tok-orphan", name: "Old forwarder", kind: "integration", ownerId: "admin-old", tokenHash: sha256("atr_orphan-secret"), scopes: "insights:ingest", revokedAt: now },
  ]);
  expect(db.prepare("SELECT id, integrationId FROM Insight ORDER BY id").all()).toEqual([
    { id: "ins-1", integrationId: "tok-live" },
    { id: "ins-2", integrationId: "tok-orphan" },
  ]);
  expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'IntegrationToken'").get()).toBeUndefined();
  expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
  db.close();
});

test("with no admin to own it, an orphaned token is dropped and its insights lose only the link", () => {
  const db = databaseBeforeUnify();
  db.prepare("INSERT INTO IntegrationToken (id, name, tokenHash, prefix, createdById, createdAt) VALUES ('t', 'n', 'h', 'p', NULL, ?)").run(now);
  insight(db, "ins-1", "t", "e-1");
  applyUnify(db);
  expect(db.prepare("SELECT COUNT(*) AS n FROM ApiToken").get()).toEqual({ n: 0 });
  expect(db.prepare("SELECT id, integrationId, externalId FROM Insight").all()).toEqual([{ id: "ins-1", integrationId: null, externalId: "e-1" }]);
  expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
  db.close();
});

test("a handed-out secret keeps working: after every migration it signs in to the API, and its insights stay its own", async () => {
  const db = databaseBeforeUnify();
  const file = files[files.length - 1]!;
  db.prepare("INSERT INTO User (id, email, name, role, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)").run("admin-1", "admin@x.test", "Admin", "admin", now, now);
  const token = db.prepare("INSERT INTO IntegrationToken (id, name, tokenHash, prefix, createdById, createdAt, revokedAt, lastUsedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const live = "atr_handed-out-to-brandwatch-long-ago";
  const revoked = "atr_handed-out-and-revoked";
  token.run("tok-live", "Brandwatch", sha256(live), live.slice(0, 10), "admin-1", now, null, null);
  token.run("tok-revoked", "Old forwarder", sha256(revoked), revoked.slice(0, 10), "admin-1", now, now, null);
  insight(db, "ins-1", "tok-live", "tweet-1");
  for (const m of readdirSync(MIGRATIONS).filter((d) => !d.endsWith(".toml")).sort()) {
    if (m >= UNIFY) db.exec(readFileSync(path.join(MIGRATIONS, m, "migration.sql"), "utf8"));
  }
  db.close();
  files.push(`${file}-wal`, `${file}-shm`);

  const env = parseEnv({ NODE_ENV: "test", DATABASE_URL: `file:${file}`, UPLOAD_DIR: path.join(TMP_DIR, `uploads-tm-${process.pid}`), DOC_FILES_DIR: path.join(TMP_DIR, `doc-files-tm-${process.pid}`) });
  const atrium = await createAtrium({ env, withPages: false });
  try {
    const port = await atrium.listen(0, "127.0.0.1");
    const send = (secret: string, externalId: string) =>
      fetch(`http://127.0.0.1:${port}/api/v1/insights`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
        body: JSON.stringify({ externalId, text: "The invoices are wrong again.", channel: "twitter" }),
      });
    const fresh = await send(live, "tweet-2");
    expect(fresh.status).toBe(201);
    const { id } = (await fresh.json()) as { id: string };
    expect((await atrium.db.insight.findUniqueOrThrow({ where: { id } })).integrationId).toBe("tok-live");
    // The insight that came with the old token is still recognised as this token's.
    const again = await send(live, "tweet-1");
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: "ins-1", duplicate: true });
    // Controls: a revoked secret and an unknown one are refused, and write nothing.
    const count = await atrium.db.insight.count();
    expect((await send(revoked, "tweet-3")).status).toBe(401);
    expect((await send("atr_never-handed-out", "tweet-4")).status).toBe(401);
    expect(await atrium.db.insight.count()).toBe(count);
  } finally {
    await atrium.close();
  }
});
