/**
 * The migration that folds insights ingest tokens into API tokens (decision 056): a secret already
 * handed to an integration must keep working, and insights must keep pointing at their token.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
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
