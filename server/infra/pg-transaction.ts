/**
 * One PostgreSQL transaction on a pg connection: BEGIN, the work, COMMIT; on any error ROLLBACK
 * (whose own failure is ignored: the connection may be gone) and the work's error is thrown. The
 * pg driver's code paths (prepared writes, the collaboration update log, the import's bulk writer,
 * migrations) all write through it, so a transaction ends the same way everywhere.
 */
import type pg from "pg";

type Queryable = Pick<pg.ClientBase, "query">;

export async function inPgTransaction<T>(client: Queryable, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const out = await work();
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

/** `inPgTransaction` on a connection borrowed from `pool` and given back afterwards, whatever happened. */
export async function pooledPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inPgTransaction(client, () => work(client));
  } finally {
    client.release();
  }
}
