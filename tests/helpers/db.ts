import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const TMP_ROOT = path.join(ROOT, "tests/.tmp");
/**
 * This run's scratch folder. Each `vitest run` gets its own (named by global-setup), so a run that
 * finishes and cleans up never deletes the databases of another run going on in the same tree.
 */
export const TMP_DIR = path.join(TMP_ROOT, process.env.ATRIUM_TEST_RUN ?? "shared");

/**
 * A fresh SQLite file with every migration applied, one per test file (or per test). Applying the
 * committed migration SQL directly is what `prisma migrate deploy` does, without a process spawn.
 */
export function freshDatabase(): { url: string; file: string; dispose: () => void } {
  const fresh = freshDatabase.empty();
  const db = new Database(fresh.file);
  const dir = path.join(ROOT, "prisma/migrations");
  for (const m of readdirSync(dir).filter((d) => !d.endsWith(".toml")).sort()) {
    db.exec(readFileSync(path.join(dir, m, "migration.sql"), "utf8"));
  }
  db.close();
  return fresh;
}

/** A path for a new, empty SQLite file in this run's scratch folder (nothing created yet). */
freshDatabase.empty = (): { url: string; file: string; dispose: () => void } => {
  mkdirSync(TMP_DIR, { recursive: true });
  const file = path.join(TMP_DIR, `test-${process.pid}-${randomBytes(4).toString("hex")}.db`);
  return {
    url: `file:${file}`,
    file,
    dispose: () => {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
    },
  };
};
