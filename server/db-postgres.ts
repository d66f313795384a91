/**
 * The Prisma client for PostgreSQL (decision 120), imported by createDb (server/db.ts) only when
 * DATABASE_URL is postgresql://…: the generated PostgreSQL client, @prisma/adapter-pg and `pg` stay
 * out of a SQLite start (decision 160).
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgPrismaClient } from "./generated/prisma-pg/client.js";
import type { Db } from "./db.js";
import { ValidationError } from "./domain/errors.js";

/** PostgreSQL text cannot hold U+0000 (SQLite's can): such input is refused before it reaches the database. */
const hasNul = (v: unknown, depth = 0): boolean => {
  if (typeof v === "string") return v.includes("\u0000");
  if (!v || typeof v !== "object" || depth > 8 || v instanceof Date || v instanceof Uint8Array) return false;
  return Object.values(v).some((x) => hasNul(x, depth + 1));
};

export function createPostgresDb(url: string): Db {
  const client = new PgPrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return client.$extends({
    query: {
      $allModels: {
        $allOperations({ args, query }) {
          if (hasNul(args)) throw new ValidationError({}, "Text must not contain NUL (U+0000) characters.");
          return query(args);
        },
      },
    },
  }) as unknown as Db;
}
