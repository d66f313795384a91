/**
 * Tests of several instances use the local Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379),
 * each under its own key prefix, removed afterwards.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Redis } from "ioredis";
import { createAtrium, type Atrium } from "../../server/atrium.js";
import type { Clock } from "../../server/domain/context.js";
import { parseEnv, type Env } from "../../server/env.js";
import type { ScaleOptions } from "../../server/infra/scale.js";
import { freshDatabase, TMP_DIR } from "./db.js";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function testPrefix(): string {
  return `atrium:test:${randomBytes(5).toString("hex")}:`;
}

/** Deletes every key under the prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const r = new Redis(TEST_REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
}

export interface Instance {
  atrium: Atrium;
  url: string;
  name: string;
  close(): Promise<void>;
}

/**
 * Several Atriums sharing one SQLite file and one Redis (as behind a balancer), each on its own
 * port. `start(name)` adds (or restarts) an instance.
 */
export async function startCluster(opts: { env?: Record<string, string>; clock?: Clock; scale?: ScaleOptions } = {}) {
  const db = freshDatabase();
  const prefix = testPrefix();
  const env: Env = parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    UPLOAD_DIR: path.join(TMP_DIR, `uploads-${randomBytes(4).toString("hex")}`),
    DOC_FILES_DIR: path.join(TMP_DIR, `doc-files-${randomBytes(4).toString("hex")}`),
    PRESENCE_GRACE_MS: "300",
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    ...opts.env,
  });
  const running = new Set<Instance>();
  const start = async (name: string, scale: ScaleOptions = {}): Promise<Instance> => {
    const atrium = await createAtrium({ env, withPages: false, clock: opts.clock, scale: { instanceId: name, ...opts.scale, ...scale } });
    const port = await atrium.listen(0, "127.0.0.1");
    const inst: Instance = {
      atrium,
      name,
      url: `http://127.0.0.1:${port}`,
      async close() {
        running.delete(inst);
        await atrium.close();
      },
    };
    running.add(inst);
    return inst;
  };
  return {
    env,
    prefix,
    start,
    async close() {
      for (const i of [...running]) await i.close();
      db.dispose();
      await dropPrefix(prefix);
    },
  };
}
