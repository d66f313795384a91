/**
 * Benchmark child: a real Atrium (no pages) on a scratch SQLite file, controlled over IPC.
 * Messages: {seed: {users, markdownBytes?}} → {docId, cookies}; {cpu: true} → {cpu: microseconds}.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { readdirSync, readFileSync } from "node:fs";
import { createAtrium } from "../../server/atrium.js";
import { hashPassword } from "../../server/domain/accounts.js";
import { parseEnv } from "../../server/env.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-bench-"));
const file = path.join(dir, "bench.db");
{
  const db = new Database(file);
  const migrations = path.resolve(import.meta.dirname, "../../prisma/migrations");
  for (const m of readdirSync(migrations).filter((d) => !d.endsWith(".toml")).sort()) db.exec(readFileSync(path.join(migrations, m, "migration.sql"), "utf8"));
  db.close();
}
const env = parseEnv({ ...process.env, NODE_ENV: "production", DATABASE_URL: `file:${file}`, UPLOAD_DIR: path.join(dir, "uploads"), DOC_FILES_DIR: path.join(dir, "files") });
const atrium = await createAtrium({ env, withPages: false });
const port = await atrium.listen(0, "127.0.0.1");

process.on("message", async (m: { seed?: { users: number; state?: number[] }; cpu?: boolean; stop?: boolean }) => {
  if (m.cpu) {
    const u = process.cpuUsage();
    return process.send!({ cpu: u.user + u.system, writer: atrium.ctx.collab.writer.stats });
  }
  if (m.stop) {
    await atrium.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
  if (m.seed) {
    const dept = await atrium.db.department.create({ data: { name: "Bench", slug: "bench" } });
    await atrium.domain.docs.ensureSpaces();
    const space = await atrium.db.space.findFirstOrThrow({ where: { departmentId: dept.id } });
    const passwordHash = await hashPassword("bench-bench-bench");
    const cookies: string[] = [];
    let owner: { id: string } | null = null;
    for (let i = 0; i < m.seed.users; i++) {
      const u = await atrium.db.user.create({ data: { email: `b${i}@bench.test`, name: `Bench ${i}`, departmentId: dept.id, passwordHash } });
      owner ??= u;
      const s = await atrium.domain.accounts.signIn({ email: u.email, password: "bench-bench-bench" }, { ip: `10.0.${i >> 8}.${i & 255}`, userAgent: "bench" });
      cookies.push(`atrium_session=${s.token}`);
    }
    const actor = { id: owner!.id, role: "member" as const, departmentId: dept.id, active: true };
    const content = m.seed.state ? { state: new Uint8Array(m.seed.state) } : undefined;
    const { id } = await atrium.domain.docs.createDocument(actor, { title: "Bench", spaceId: space.id }, content);
    process.send!({ docId: id, cookies });
  }
});
process.send!({ ready: true, url: `http://127.0.0.1:${port}` });
