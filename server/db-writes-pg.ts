/**
 * The prepared writes of server/db-writes.ts on PostgreSQL: each batch in one transaction on a
 * pooled connection of its own, as named prepared statements. Imported only for a postgresql://
 * DATABASE_URL (decision 160).
 */
import pg from "pg";
import { namedStatements, type SqlValue } from "./db-reads.js";
import { UniqueViolation, type SqlStatement, type SqlWrites } from "./db-writes.js";
import { ValidationError } from "./domain/errors.js";
import { pooledPgTransaction } from "./infra/pg-transaction.js";

export class PgWrites implements SqlWrites {
  private readonly pool: pg.Pool;
  private readonly statement = namedStatements("atrium_write");

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4 });
    // An idle connection dropped by the server must not crash the process; the next write reconnects.
    this.pool.on("error", () => {});
  }

  async transaction(statements: SqlStatement[]): Promise<number[]> {
    // PostgreSQL text cannot hold U+0000 (SQLite's can): refused as the Prisma client refuses it (server/db-postgres.ts).
    if (statements.some((s) => s.params.some((p) => typeof p === "string" && p.includes("\u0000")))) {
      throw new ValidationError({}, "Text must not contain NUL (U+0000) characters.");
    }
    try {
      return await pooledPgTransaction(this.pool, async (client) => {
        const counts: number[] = [];
        for (const st of statements) {
          const s = this.statement(st.sql);
          const r = await client.query({ name: s.name, text: s.text, values: st.params.map((p: SqlValue) => (typeof p === "bigint" ? p.toString() : p)) });
          counts.push(r.rowCount ?? 0);
        }
        return counts;
      });
    } catch (e) {
      throw (e as { code?: string }).code === "23505" ? new UniqueViolation(e) : e;
    }
  }

  async close() {
    await this.pool.end();
  }
}
