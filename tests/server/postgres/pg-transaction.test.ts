/**
 * The one way the pg-driver paths run a transaction (server/infra/pg-transaction.ts), against the
 * local PostgreSQL server: what commits, what rolls back, and that a borrowed connection goes back.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inPgTransaction, pooledPgTransaction } from "../../../server/infra/pg-transaction.js";
import { pgAdmin, pgReachable, pgScratchName, pgUrlFor } from "../../helpers/db.js";

const reachable = pgReachable();

describe.skipIf(!reachable)("a transaction through the pg driver", () => {
  const name = pgScratchName("tx_");
  let pool: pg.Pool;
  const rows = async () => (await pool.query<{ v: string }>('SELECT "v" FROM "t" ORDER BY "v"')).rows.map((r) => r.v);

  beforeAll(async () => {
    pgAdmin(`CREATE DATABASE "${name}"`);
    pool = new pg.Pool({ connectionString: pgUrlFor(name), max: 1 });
    await pool.query('CREATE TABLE "t" ("v" TEXT PRIMARY KEY)');
  });
  afterAll(async () => {
    await pool?.end();
    pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  test("the work's writes commit together and its result is returned", async () => {
    await pool.query('DELETE FROM "t"');
    const out = await pooledPgTransaction(pool, async (c) => {
      await c.query('INSERT INTO "t" VALUES ($1)', ["a"]);
      await c.query('INSERT INTO "t" VALUES ($1)', ["b"]);
      return 42;
    });
    expect(out).toBe(42);
    expect(await rows()).toEqual(["a", "b"]);
  });

  test("an error inside the work rolls every write back and is thrown as it was", async () => {
    await pool.query('DELETE FROM "t"');
    await pool.query(`INSERT INTO "t" VALUES ('kept')`);
    const failure = new Error("the work failed");
    await expect(
      pooledPgTransaction(pool, async (c) => {
        await c.query('INSERT INTO "t" VALUES ($1)', ["lost"]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    // A statement PostgreSQL refuses (a duplicate key) rolls back the earlier write of the same work too.
    await expect(
      pooledPgTransaction(pool, async (c) => {
        await c.query('INSERT INTO "t" VALUES ($1)', ["also lost"]);
        await c.query('INSERT INTO "t" VALUES ($1)', ["kept"]);
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await rows()).toEqual(["kept"]);
  });

  test("the borrowed connection goes back to the pool after success and after failure", async () => {
    // The pool holds one connection: a transaction that kept it would leave the next one waiting for ever.
    await pooledPgTransaction(pool, async () => {});
    await pooledPgTransaction(pool, async () => Promise.reject(new Error("no"))).catch(() => {});
    expect(pool.totalCount).toBe(1);
    expect(pool.idleCount).toBe(1);
    expect(pool.waitingCount).toBe(0);
    await expect(pooledPgTransaction(pool, async (c) => (await c.query("SELECT 1 AS one")).rows[0].one)).resolves.toBe(1);
  });

  test("after a rollback the connection is out of the transaction, so its next statement commits on its own", async () => {
    await pool.query('DELETE FROM "t"');
    const c = await pool.connect();
    try {
      await inPgTransaction(c, async () => {
        await c.query(`INSERT INTO "t" VALUES ('rolled back')`);
        throw new Error("no");
      }).catch(() => {});
      await c.query(`INSERT INTO "t" VALUES ('autocommitted')`);
    } finally {
      c.release();
    }
    expect(await rows()).toEqual(["autocommitted"]);
  });

  test("a ROLLBACK that fails too does not hide the work's own error", async () => {
    const sent: string[] = [];
    const client = {
      query: async (sql: string) => {
        sent.push(sql);
        if (sql === "ROLLBACK") throw new Error("connection lost");
        return { rows: [] };
      },
    } as unknown as pg.ClientBase;
    const failure = new Error("the work failed");
    await expect(inPgTransaction(client, async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(sent).toEqual(["BEGIN", "ROLLBACK"]);
  });
});
