import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client.js";
import { SqliteWrites, type SqlWrites, type SqliteAdapter } from "./db-writes.js";

/**
 * One Prisma model, two generated clients (decision 120): `server/generated/prisma` for SQLite and
 * `server/generated/prisma-pg` for PostgreSQL, from prisma/schema.prisma and the schema
 * scripts/prisma-postgres.mjs derives from it. Their model APIs are the same; the SQLite client's
 * type is the one the code is written against. The PostgreSQL client, its adapter and `pg` are
 * imported when a postgresql:// URL asks for them (server/db-postgres.ts), so a SQLite start never
 * loads them (decision 160).
 */
export type Db = PrismaClient;
export type DbProvider = "sqlite" | "postgresql";

export const providerOf = (url: string): DbProvider => (/^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite");

/** Which database a client (or a transaction's client) talks to; raw SQL that differs asks this. */
export const dbProvider = (db: unknown): DbProvider =>
  (db as { _activeProvider?: string })._activeProvider === "postgresql" ? "postgresql" : "sqlite";

/**
 * Models whose `updatedAt` Prisma stamps itself (`@updatedAt`, with the machine's time).
 * tests/server/db-clock.test.ts holds this list equal to prisma/schema.prisma.
 */
export const STAMPED_MODELS: ReadonlySet<string> = new Set(["User", "Insight", "RoutingRule", "InsightSettings", "Webhook", "Document", "DigestSettings"]);

type Row = Record<string, unknown>;
const stamp = (data: unknown, at: Date) => {
  if (data && typeof data === "object" && !Array.isArray(data) && (data as Row).updatedAt === undefined) (data as Row).updatedAt = at;
};
const stampAll = (data: unknown, at: Date) => (Array.isArray(data) ? data.forEach((d) => stamp(d, at)) : stamp(data, at));

/**
 * Top-level writes to a stamped model take `updatedAt` from the injected clock, as every other
 * time in Atrium does, unless the caller gives one. Relation writes nested inside another model's
 * write still get Prisma's own stamp.
 */
function withClockedStamps(db: Db, now: () => Date): Db {
  type Op = { model?: string; args: Row; query: (args: Row) => Promise<unknown> };
  const on = (fill: (args: Row, at: Date) => void) => ({ model, args, query }: Op) => {
    if (model && STAMPED_MODELS.has(model)) fill(args, now());
    return query(args);
  };
  const data = on((args, at) => stampAll(args.data, at));
  return db.$extends({
    query: {
      $allModels: {
        create: data,
        createMany: data,
        createManyAndReturn: data,
        update: data,
        updateMany: data,
        updateManyAndReturn: data,
        upsert: on((args, at) => (stamp(args.create, at), stamp(args.update, at))),
      },
    },
  } as never) as unknown as Db;
}

export async function createDb(url: string, now?: () => Date): Promise<Db> {
  const db = await openDb(url);
  if (!now) return db;
  const clocked = withClockedStamps(db, now);
  const adapter = sqliteAdapters.get(db);
  if (adapter) sqliteAdapters.set(clocked, adapter);
  return clocked;
}

async function openDb(url: string): Promise<Db> {
  if (providerOf(url) === "postgresql") return (await import("./db-postgres.js")).createPostgresDb(url);
  // The adapter Prisma connects is remembered, so prepared writes (server/db-writes.ts) share its
  // connection and its transaction lock.
  const factory = new PrismaBetterSQLite3({ url });
  let connected: Promise<SqliteAdapter> | null = null;
  const remembering = Object.assign(Object.create(factory) as PrismaBetterSQLite3, {
    connect: () => (connected = factory.connect() as unknown as Promise<SqliteAdapter>) as unknown as ReturnType<PrismaBetterSQLite3["connect"]>,
  });
  const db = new PrismaClient({ adapter: remembering });
  sqliteAdapters.set(db, async () => {
    if (!connected) await db.$connect();
    return connected!;
  });
  return db;
}

const sqliteAdapters = new WeakMap<Db, () => Promise<SqliteAdapter>>();

/**
 * Prepared writes on the database `db` talks to: on SQLite through the connection of `db`'s own
 * adapter; on PostgreSQL a small pool of their own. Null for a SQLite client not made by createDb.
 */
export async function createWrites(db: Db, url: string): Promise<SqlWrites | null> {
  if (providerOf(url) === "postgresql") return new (await import("./db-writes-pg.js")).PgWrites(url);
  const adapter = sqliteAdapters.get(db);
  return adapter ? new SqliteWrites(adapter) : null;
}

/** SQLite tuning: WAL lets readers proceed during a write; busy_timeout waits instead of failing. Nothing to do on PostgreSQL. */
export async function tuneSqlite(db: Db): Promise<void> {
  if (dbProvider(db) !== "sqlite") return;
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
}

/**
 * A case-insensitive `contains` filter on both databases: SQLite's LIKE already ignores ASCII case,
 * PostgreSQL's does not, so there it asks Prisma for ILIKE (`mode: "insensitive"`, which the SQLite
 * client's types do not know).
 */
export const containsText = (db: unknown, term: string): { contains: string } =>
  dbProvider(db) === "postgresql" ? ({ contains: term, mode: "insensitive" } as { contains: string }) : { contains: term };
