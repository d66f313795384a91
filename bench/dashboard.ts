/**
 * Involvement dashboard benchmark: a year of activity for 1,000 people in a temporary
 * SQLite file; the page's data computation (company and department scope, this month and the last
 * 12 months) and the HTTP page, p50/p95 over repeated requests; and the naive peer (every row of
 * the period loaded with Prisma, figures computed in JavaScript) in the same process, for a ratio.
 *
 *   npm run bench:dashboard          (needs `npx remix build` for the HTTP part)
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createAtrium } from "../server/atrium.js";
import { computeMetrics } from "../server/dashboard/metrics.js";
import { naiveMetrics } from "../server/dashboard/naive.js";
import { resolvePeriod } from "../server/dashboard/period.js";
import { hashPassword } from "../server/domain/accounts.js";
import { parseEnv } from "../server/env.js";
import { rng } from "./qa-common.js";

const PEOPLE = 1_000;
const DEPTS = 10;
const TEAMS = 30;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const ROOT = path.resolve(import.meta.dirname, "..");

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const id = () => randomBytes(12).toString("hex");

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  return { p50: q(0.5), p95: q(0.95) };
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main() {
  const dir = path.join(ROOT, "tests/.tmp/bench");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `dashboard-${process.pid}.db`);
  const sql = new Database(file);
  for (const m of readdirSync(path.join(ROOT, "prisma/migrations")).filter((d) => !d.endsWith(".toml")).sort()) {
    sql.exec(readFileSync(path.join(ROOT, "prisma/migrations", m, "migration.sql"), "utf8"));
  }
  sql.pragma("journal_mode = WAL");
  const now = Date.now();
  const r = rng(6);
  const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const t0 = performance.now();
  const counts = { questions: 0, answers: 0, comments: 0, insights: 0, events: 0, revisions: 0 };
  const passwordHash = await hashPassword("bench-password-1");
  sql.transaction(() => {
    const depts = Array.from({ length: DEPTS }, (_, i) => ({ id: id(), name: `Department ${i + 1}` }));
    for (const d of depts) sql.prepare(`INSERT INTO "Department" (id, name, slug, description, createdAt) VALUES (?, ?, ?, '', ?)`).run(d.id, d.name, d.name.toLowerCase().replace(/ /g, "-"), iso(now));
    const insUser = sql.prepare(`INSERT INTO "User" (id, email, name, role, departmentId, passwordHash, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const users = Array.from({ length: PEOPLE }, (_, i) => ({ id: id(), dept: depts[i % DEPTS]!.id }));
    users.forEach((u, i) => insUser.run(u.id, `p${i}@bench.test`, `Person ${i}`, i === 0 ? "leader" : "member", u.dept, i === 0 ? passwordHash : null, iso(now), iso(now)));
    const teams = Array.from({ length: TEAMS }, (_, i) => ({ id: id(), dept: depts[i % DEPTS]!.id }));
    for (const [i, t] of teams.entries()) sql.prepare(`INSERT INTO "Team" (id, name, slug, description, departmentId, createdAt) VALUES (?, ?, ?, '', ?, ?)`).run(t.id, `Team ${i}`, `team-${i}`, t.dept, iso(now));
    const insQ = sql.prepare(`INSERT INTO "Question" (id, authorId, title, bodyJson, bodyText, createdAt, lastActivityAt, acceptedAnswerId, deletedAt, answerCount) VALUES (?, ?, ?, '{}', '', ?, ?, ?, ?, ?)`);
    const insA = sql.prepare(`INSERT INTO "Answer" (id, questionId, authorId, bodyJson, bodyText, createdAt, deletedAt) VALUES (?, ?, ?, '{}', '', ?, ?)`);
    const insC = sql.prepare(`INSERT INTO "QaComment" (id, questionId, authorId, body, createdAt) VALUES (?, ?, ?, 'ok', ?)`);
    // A year: each person asks about one question a month; two answers on average.
    for (let i = 0; i < PEOPLE * 12; i++) {
      const asker = pick(users);
      const at = now - r() * 365 * DAY;
      const qid = id();
      const answers: { id: string; author: string; at: number; deleted: boolean }[] = [];
      const n = r() < 0.12 ? 0 : 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) {
        const delay = Math.exp(r() * Math.log(200)) * HOUR * 0.2;
        if (at + delay < now) answers.push({ id: id(), author: pick(users).id, at: at + delay, deleted: r() < 0.03 });
      }
      const accepted = answers.length && r() < 0.5 ? answers[0]!.id : null;
      insQ.run(qid, asker.id, `Question ${i}`, iso(at), iso(at), null, r() < 0.02 ? iso(at + HOUR) : null, answers.length);
      for (const a of answers) insA.run(a.id, qid, a.author, iso(a.at), a.deleted ? iso(a.at + HOUR) : null);
      if (accepted) sql.prepare(`UPDATE "Question" SET acceptedAnswerId = ? WHERE id = ?`).run(accepted, qid);
      if (r() < 0.8) insC.run(id(), qid, pick(users).id, iso(at + HOUR));
      counts.questions++;
      counts.answers += answers.length;
      counts.comments++;
    }
    const insI = sql.prepare(`INSERT INTO "Insight" (id, text, channel, sentimentScore, sentimentLabel, sentimentAuto, status, createdAt, updatedAt, acknowledgedAt, resolvedAt, ackBreachedAt, resolveBreachedAt) VALUES (?, 'text', 'email', 0, 'neutral', 'neutral', ?, ?, ?, ?, ?, ?, ?)`);
    const insR = sql.prepare(`INSERT INTO "InsightRoute" (insightId, teamId, createdAt) VALUES (?, ?, ?)`);
    const insE = sql.prepare(`INSERT INTO "InsightEvent" (id, insightId, type, actorId, note, createdAt) VALUES (?, ?, ?, ?, '', ?)`);
    for (let i = 0; i < 8_000; i++) {
      const at = now - r() * 365 * DAY;
      const ack = r() < 0.9 ? at + Math.exp(r() * Math.log(500)) * 60_000 : null;
      const res = ack && r() < 0.8 ? ack + Math.exp(r() * Math.log(300)) * HOUR * 0.1 : null;
      const iid = id();
      insI.run(iid, res ? "resolved" : ack ? "acknowledged" : "new", iso(at), iso(at), ack && ack < now ? iso(ack) : null, res && res < now ? iso(res) : null, r() < 0.1 ? iso(at + HOUR) : null, r() < 0.1 ? iso(at + DAY) : null);
      const t1 = pick(teams);
      insR.run(iid, t1.id, iso(at));
      if (r() < 0.2) {
        const t2 = pick(teams);
        if (t2 !== t1) insR.run(iid, t2.id, iso(at));
      }
      insE.run(id(), iid, "created", null, iso(at));
      if (ack && ack < now) insE.run(id(), iid, "acknowledged", pick(users).id, iso(ack));
      if (res && res < now) insE.run(id(), iid, "resolved", pick(users).id, iso(res));
      counts.insights++;
      counts.events += 3;
    }
    sql.prepare(`INSERT INTO "Space" (id, name, slug, kind, createdAt) VALUES ('s1', 'Company', 'company', 'company', ?)`).run(iso(now));
    const insD = sql.prepare(`INSERT INTO "Document" (id, title, spaceId, ownerId, createdAt, updatedAt) VALUES (?, 'Doc', 's1', ?, ?, ?)`);
    const insRev = sql.prepare(`INSERT INTO "DocRevision" (id, docId, createdAt, reason, state, seq, contributorIds) VALUES (?, ?, ?, 'burst', x'00', 1, ?)`);
    for (let i = 0; i < 2_000; i++) {
      const did = id();
      const owner = pick(users).id;
      insD.run(did, owner, iso(now - 365 * DAY), iso(now));
      for (let k = 0; k < 6; k++) {
        insRev.run(id(), did, iso(now - r() * 365 * DAY), JSON.stringify(r() < 0.3 ? [owner, pick(users).id] : [owner]));
        counts.revisions++;
      }
    }
  })();
  sql.close();
  console.log(`Generated ${PEOPLE} people, ${DEPTS} departments, ${TEAMS} teams, a year of activity in ${((performance.now() - t0) / 1000).toFixed(1)} s:`, counts);

  const env = parseEnv({ NODE_ENV: "test", DATABASE_URL: `file:${file}`, UPLOAD_DIR: path.join(dir, "uploads"), DOC_FILES_DIR: path.join(dir, "doc-files"), INSIGHT_SLA_SWEEP_MS: "3600000" });
  const withPages = existsSync(path.join(ROOT, "build/index.js"));
  const atrium = await createAtrium({ env, withPages });
  const port = await atrium.listen(0, "127.0.0.1");
  try {
    const dept = (await atrium.db.department.findFirst({ orderBy: { name: "asc" } }))!;
    const leader = (await atrium.db.user.findUnique({ where: { email: "p0@bench.test" } }))!;
    const periods = (process.env.DASH_PROFILE ? ["last-12-months"] : ["this-month", "last-12-months"]) as readonly ("this-month" | "last-12-months")[];
    const REPS = process.env.DASH_PROFILE ? 2 : 30;
    const NAIVE_REPS = process.env.DASH_PROFILE ? 1 : 5;
    console.log(`\nload average before timing: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")} (${os.cpus().length} cores)`);
    for (const preset of periods) {
      const p = resolvePeriod({ period: preset }, new Date(now), "UTC");
      if (!p.ok) throw new Error("period");
      for (const scope of [null, dept.id]) {
        const input = { from: p.period.from, to: p.period.to, asOf: new Date(now), departmentId: scope };
        await computeMetrics(atrium.db, input); // warm
        const fast: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < REPS; i++) {
          const s = performance.now();
          const c = process.cpuUsage();
          await computeMetrics(atrium.db, input);
          const dc = process.cpuUsage(c);
          fast.push(performance.now() - s);
          cpu.push((dc.user + dc.system) / 1000);
        }
        const naive: number[] = [];
        for (let i = 0; i < NAIVE_REPS; i++) {
          const s = performance.now();
          await naiveMetrics(atrium.db, input);
          naive.push(performance.now() - s);
        }
        const f = stats(fast);
        const n = stats(naive);
        console.log(
          `${preset.padEnd(15)} ${scope ? "department" : "company   "}  SQL aggregates p50 ${ms(f.p50)} p95 ${ms(f.p95)} (CPU p50 ${ms(stats(cpu).p50)})  |  naive (rows → JS) p50 ${ms(n.p50)} p95 ${ms(n.p95)}  |  naive/SQL ${(n.p50 / f.p50).toFixed(1)}×`,
        );
      }
    }
    if (withPages) {
      const s = await atrium.domain.accounts.signIn({ email: "p0@bench.test", password: "bench-password-1" }, { ip: "127.0.0.1", userAgent: "bench" });
      const cookie = `atrium_session=${s.token}`;
      void leader;
      for (const preset of periods) {
        for (const scope of ["company", dept.slug]) {
          const url = `http://127.0.0.1:${port}/dashboard?scope=${scope}&period=${preset}`;
          const first = await fetch(url, { headers: { cookie } });
          if (first.status !== 200) throw new Error(`HTTP ${first.status}`);
          await first.text();
          const times: number[] = [];
          for (let i = 0; i < 20; i++) {
            const st = performance.now();
            const res = await fetch(url, { headers: { cookie } });
            await res.text();
            times.push(performance.now() - st);
          }
          const h = stats(times);
          console.log(`HTTP GET /dashboard ${preset.padEnd(15)} ${scope === "company" ? "company   " : "department"}  p50 ${ms(h.p50)} p95 ${ms(h.p95)}`);
        }
      }
    } else console.log("(no Remix build: skipped the HTTP page timing; run `npx remix build` first)");
    console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  } finally {
    await atrium.close();
    if (!process.env.DASH_KEEP) for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    else console.log(`kept ${file}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
