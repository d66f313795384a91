/**
 * The page reads of server/db-reads.ts on PostgreSQL; createReads imports this module (and `pg`)
 * only for a postgresql:// DATABASE_URL (decision 160).
 */
import pg from "pg";
import { namedStatements, type SqlReads, type SqlValue } from "./db-reads.js";

/** PostgreSQL `timestamp` (without zone) as UTC, whatever the process's time zone: Prisma writes UTC. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 1114 ? (v: string) => new Date(`${v.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

export class PgReads implements SqlReads {
  private readonly pool: pg.Pool;
  private readonly statement = namedStatements("atrium_read");

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4, types: pgTypes });
    // An idle connection dropped by the server must not crash the process; the next read reconnects.
    this.pool.on("error", () => {});
  }

  async one<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    return (await this.all<T>(sql, ...params))[0];
  }

  async all<T>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    // PostgreSQL text cannot hold U+0000, so no stored value equals such a parameter (and the
    // server would refuse it): nothing matches.
    if (params.some((p) => typeof p === "string" && p.includes("\u0000"))) return [];
    const s = this.statement(sql);
    const r = await this.pool.query({ name: s.name, text: s.text, values: params.map((p) => (typeof p === "bigint" ? p.toString() : p)) });
    return r.rows as T[];
  }

  async close() {
    await this.pool.end();
  }
}
