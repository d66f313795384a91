/**
 * Multi-row INSERT through a Prisma transaction client. Prisma's createMany costs ~0.3 ms a row
 * here (50,000 people took 14 s); one statement per few thousand values takes a tenth of that.
 * Columns with a client-side default in the Prisma schema (ids, @updatedAt, now()) must be given.
 *
 * SQLite placeholders (?); on PostgreSQL (told by the client itself, or `dialect`) $1, $2….
 */
import { dbProvider } from "../db.js";

type RawTx = { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> };

const MAX_PARAMS = 30_000; // under SQLite's 32,766 host-parameter limit

export async function bulkInsert(
  tx: RawTx,
  table: string,
  columns: string[],
  rows: unknown[][],
  opts: { dialect?: "sqlite" | "postgresql"; onBatch?: (n: number) => void } = {},
): Promise<void> {
  if (!rows.length) return;
  const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `;
  for (let i = 0; i < rows.length; i += per) {
    const batch = rows.slice(i, i + per);
    let n = 0;
    const pgStyle = (opts.dialect ?? dbProvider(tx)) === "postgresql";
    const tuple = () => `(${columns.map(() => (pgStyle ? `$${++n}` : "?")).join(",")})`;
    await tx.$executeRawUnsafe(head + batch.map(tuple).join(","), ...batch.flat());
    opts.onBatch?.(batch.length);
  }
}
