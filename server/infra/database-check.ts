/**
 * Checks the SQLite files before anything opens them, and the document update log right after
 * (decision 092). SQLite silently ignores a write-ahead log whose header or first frame is damaged
 * (and forgets a deleted one): every commit since the last checkpoint is gone and the server would
 * start as if nothing happened. This says so, loudly, and refuses to start unless
 * ALLOW_DAMAGED_DATABASE=1; with the override, the damaged WAL is first copied aside.
 */
import { copyFileSync, existsSync, openSync, readSync, closeSync, statSync } from "node:fs";
import Database from "better-sqlite3";

export class DatabaseDamaged extends Error {
  constructor(readonly problems: string[]) {
    super(
      [
        "The database looks damaged; Atrium will not start on it:",
        ...problems.map((p) => `  - ${p}`),
        "Restore the latest backup (see README, 'Back up and restore'), or start anyway with",
        "ALLOW_DAMAGED_DATABASE=1 (the damaged WAL is copied aside first; what it held stays lost).",
      ].join("\n"),
    );
    this.name = "DatabaseDamaged";
  }
}

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** SQLite's WAL checksum: pairs of 32-bit words, big- or little-endian as the magic says. */
function walChecksum(buf: Buffer, bigEndian: boolean, s0 = 0, s1 = 0): [number, number] {
  for (let i = 0; i + 8 <= buf.length; i += 8) {
    const a = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const b = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + a + s1) >>> 0;
    s1 = (s1 + b + s0) >>> 0;
  }
  return [s0, s1];
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  const n = readSync(fd, b, 0, len, pos);
  return b.subarray(0, n);
}

/** Problems with `<file>-wal` (and `-shm`), or [] when they look sound (or are absent). */
export function checkWalFile(file: string): string[] {
  const wal = `${file}-wal`;
  const shm = `${file}-shm`;
  if (!existsSync(wal)) {
    // SQLite removes the index (-shm) before the log on a clean close: an index without its
    // log means the log was deleted, with every commit since the last checkpoint.
    return existsSync(shm) && existsSync(file) ? [`${wal} is missing while ${shm} is present: the write-ahead log was deleted, and commits since the last checkpoint with it.`] : [];
  }
  const size = statSync(wal).size;
  if (size === 0) return [];
  if (size < WAL_HEADER) return [`${wal} is ${size} bytes, shorter than a WAL header (32 bytes).`];
  const fd = openSync(wal, "r");
  try {
    const h = readAt(fd, 0, WAL_HEADER);
    const magic = h.readUInt32BE(0);
    if (magic !== 0x377f0682 && magic !== 0x377f0683) return [`${wal} has a damaged header (magic number ${magic.toString(16)}): SQLite would ignore the whole log.`];
    const bigEndian = (magic & 1) === 1;
    const version = h.readUInt32BE(4);
    const pageSize = h.readUInt32BE(8);
    if (version !== 3007000) return [`${wal} has a damaged header (format version ${version}).`];
    const pageOk = (pageSize >= 512 && pageSize <= 32768 && (pageSize & (pageSize - 1)) === 0) || pageSize === 1;
    if (!pageOk) return [`${wal} has a damaged header (page size ${pageSize}).`];
    const [c0, c1] = walChecksum(h.subarray(0, 24), bigEndian);
    if (c0 !== h.readUInt32BE(24) || c1 !== h.readUInt32BE(28)) return [`${wal} has a damaged header (checksum mismatch): SQLite would ignore the whole log.`];
    const realPage = pageSize === 1 ? 65536 : pageSize;
    if (size < WAL_HEADER + FRAME_HEADER + realPage) return [];
    // The first frame must carry the header's salt and continue its checksum; otherwise SQLite
    // reads the log as empty. (Later frames failing is how SQLite finds the end of a log.)
    const f = readAt(fd, WAL_HEADER, FRAME_HEADER + realPage);
    const saltOk = f.readUInt32BE(8) === h.readUInt32BE(16) && f.readUInt32BE(12) === h.readUInt32BE(20);
    let [s0, s1] = walChecksum(f.subarray(0, 8), bigEndian, c0, c1);
    [s0, s1] = walChecksum(f.subarray(FRAME_HEADER), bigEndian, s0, s1);
    if (!saltOk || s0 !== f.readUInt32BE(16) || s1 !== f.readUInt32BE(20)) {
      return [`${wal} holds ${size - WAL_HEADER} bytes of frames but its first frame is damaged: SQLite would ignore them all.`];
    }
    return [];
  } finally {
    closeSync(fd);
  }
}

/** Gaps in the document update log: sequence numbers must run on from each snapshot without holes. */
export function checkUpdateLog(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const has = (t: string) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t);
    if (!has("DocUpdate") || !has("DocState")) return [];
    const rows = db
      .prepare(
        `SELECT u."docId" AS docId, COALESCE(s."seq", 0) AS base, MIN(u."seq") AS first, MAX(u."seq") AS last, COUNT(*) AS n
         FROM "DocUpdate" u LEFT JOIN "DocState" s ON s."docId" = u."docId"
         WHERE u."seq" > COALESCE(s."seq", 0)
         GROUP BY u."docId"`,
      )
      .all() as { docId: string; base: number; first: number; last: number; n: number }[];
    const problems: string[] = [];
    for (const r of rows) {
      if (r.first !== r.base + 1 || r.last - r.base !== r.n) {
        problems.push(`document ${r.docId}: the update log jumps (snapshot at ${r.base}, ${r.n} entries between ${r.first} and ${r.last}): updates are missing.`);
      }
    }
    if (has("DocRevision")) {
      const ahead = db
        .prepare(
          `SELECT r."docId" AS docId, MAX(r."seq") AS rev,
             MAX(COALESCE((SELECT MAX(u."seq") FROM "DocUpdate" u WHERE u."docId" = r."docId"), 0),
                 COALESCE((SELECT s."seq" FROM "DocState" s WHERE s."docId" = r."docId"), 0)) AS logged
           FROM "DocRevision" r GROUP BY r."docId" HAVING rev > logged`,
        )
        .all() as { docId: string; rev: number; logged: number }[];
      for (const a of ahead) problems.push(`document ${a.docId}: a revision was taken at update ${a.rev}, but the log ends at ${a.logged}: updates are missing.`);
    }
    return problems.slice(0, 20).concat(problems.length > 20 ? [`…and ${problems.length - 20} more`] : []);
  } finally {
    db.close();
  }
}

/**
 * Runs both checks. Damage → DatabaseDamaged (after a loud console error), unless `allowDamaged`,
 * in which case the damaged WAL is copied to `<file>-wal.damaged-<time>` and the start goes on.
 */
export function checkDatabaseAtStart(file: string, opts: { allowDamaged: boolean; now: Date; logger?: Pick<Console, "error"> }): string[] {
  const logger = opts.logger ?? console;
  if (!existsSync(file)) return [];
  const walProblems = checkWalFile(file);
  if (walProblems.length && opts.allowDamaged && existsSync(`${file}-wal`)) {
    copyFileSync(`${file}-wal`, `${file}-wal.damaged-${opts.now.toISOString().replace(/[:.]/g, "-")}`);
  }
  // Reading the log opens the database, which lets SQLite recover (and drop) a damaged WAL: only
  // once that is allowed.
  const problems = walProblems.length && !opts.allowDamaged ? walProblems : [...walProblems, ...checkUpdateLog(file)];
  if (!problems.length) return [];
  const err = new DatabaseDamaged(problems);
  logger.error(`\n${"!".repeat(78)}\n${err.message}\n${"!".repeat(78)}\n`);
  if (!opts.allowDamaged) throw err;
  return problems;
}
