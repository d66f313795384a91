import { randomBytes } from "node:crypto";
import path from "node:path";
import { createAtrium, type Atrium } from "../../server/atrium.js";
import type { Clock } from "../../server/domain/context.js";
import { hashPassword } from "../../server/domain/accounts.js";
import { parseEnv } from "../../server/env.js";
import type { Actor } from "../../server/policy.js";
import { freshDatabase, TMP_DIR } from "./db.js";

export interface TestApp {
  atrium: Atrium;
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts a real Atrium (real Prisma + SQLite file, real Socket.io, and Remix pages when
 * `withPages`) on a random loopback port: on a fresh migrated database, or on `database` (which
 * the app then owns and disposes of when it closes).
 */
export async function startTestApp(
  opts: { withPages?: boolean; env?: Record<string, string>; clock?: Clock; database?: { url: string; dispose: () => void } } = {},
): Promise<TestApp> {
  const db = opts.database ?? freshDatabase();
  const env = parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    UPLOAD_DIR: path.join(TMP_DIR, `uploads-${randomBytes(4).toString("hex")}`),
    DOC_FILES_DIR: path.join(TMP_DIR, `doc-files-${randomBytes(4).toString("hex")}`),
    IMPORT_STAGE_DIR: path.join(TMP_DIR, `imports-${randomBytes(4).toString("hex")}`),
    PRESENCE_GRACE_MS: "300",
    ...opts.env,
  });
  const atrium = await createAtrium({ env, withPages: opts.withPages ?? false, clock: opts.clock });
  const port = await atrium.listen(0, "127.0.0.1");
  return {
    atrium,
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await atrium.close();
      db.dispose();
    },
  };
}

let seq = 0;

/** Factory: a user with a known password, returned with the Actor the policy sees. */
export async function makeUser(
  atrium: Atrium,
  over: Partial<{ email: string; name: string; role: Actor["role"]; password: string; departmentId: string | null; title: string; timeZone: string }> = {},
) {
  seq++;
  const password = over.password ?? "correct-horse-battery";
  const user = await atrium.db.user.create({
    data: {
      email: over.email ?? `person${seq}-${randomBytes(3).toString("hex")}@example.test`,
      name: over.name ?? `Person ${seq}`,
      role: over.role ?? "member",
      title: over.title ?? "",
      timeZone: over.timeZone ?? "UTC",
      departmentId: over.departmentId ?? null,
      passwordHash: await hashPassword(password),
    },
  });
  const actor: Actor = { id: user.id, role: user.role as Actor["role"], departmentId: user.departmentId, active: true };
  return { user, actor, password };
}

/** Signs in through the domain and returns a Cookie header value for HTTP or socket clients. */
export async function sessionCookieFor(atrium: Atrium, email: string, password: string): Promise<string> {
  const s = await atrium.domain.accounts.signIn({ email, password }, { ip: "127.0.0.1", userAgent: "test" });
  return `atrium_session=${s.token}`;
}
