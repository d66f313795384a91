/** Shared pieces for the Q&A benchmarks: deterministic random data, a fresh SQLite file, stats. */
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** Mulberry32: the same "random" data on every run. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TECH = (
  "saml sso oidc oauth ldap kerberos okta azure aws gcp kubernetes docker helm terraform ansible postgres mysql sqlite redis kafka " +
  "rabbitmq nginx apache tls certificate vpn dns proxy firewall jenkins gitlab github ci pipeline deploy rollback canary metrics " +
  "grafana prometheus logging tracing react typescript node python java golang rust webpack vite babel eslint jest vitest playwright " +
  "selenium api rest graphql grpc websocket socket cache cdn s3 bucket iam role policy token jwt session cookie csrf cors header " +
  "invoice billing payroll expense budget forecast crm salesforce hubspot zendesk ticket sla escalation onboarding laptop printer " +
  "wifi email calendar outlook teams slack zoom badge parking travel visa contract legal gdpr privacy retention backup restore " +
  "migration schema index query timeout latency memory cpu disk outage incident postmortem alert pager oncall runbook"
).split(" ");
const SYL = "ka lo mi ne ru sa te vo zi pa qu ri to be da fe gi hu ja ko li mo nu pe ra si tu va we xo yo an el is or um".split(" ");

export function vocabulary(r: () => number, size = 30_000): string[] {
  const words = new Set(TECH);
  while (words.size < size) {
    const n = 2 + Math.floor(r() * 3);
    let w = "";
    for (let i = 0; i < n; i++) w += SYL[Math.floor(r() * SYL.length)];
    words.add(w);
  }
  return [...words];
}

/** Zipf (s = 1, as in natural language): rank k is picked with probability ∝ 1/k. */
export const zipf = (r: () => number, n: number) => Math.min(n - 1, Math.floor(Math.exp(r() * Math.log(n + 1))) - 1);

export function sentence(r: () => number, vocab: string[], min: number, max: number): string {
  const n = min + Math.floor(r() * (max - min + 1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(vocab[zipf(r, vocab.length)]!);
  return out.join(" ");
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? 0 };
}

export const ms = (v: number) => `${v.toFixed(2)} ms`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A fresh SQLite file in /tmp with every migration applied. */
export function freshBenchDb(name: string): { url: string; dispose: () => void } {
  const dir = "/tmp/atrium-bench";
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${process.pid}.db`);
  for (const sfx of ["", "-wal", "-shm"]) rmSync(file + sfx, { force: true });
  const db = new Database(file);
  const migrations = path.resolve(import.meta.dirname, "../prisma/migrations");
  for (const m of readdirSync(migrations).filter((d) => !d.endsWith(".toml")).sort()) db.exec(readFileSync(path.join(migrations, m, "migration.sql"), "utf8"));
  db.close();
  return { url: `file:${file}`, dispose: () => ["", "-wal", "-shm"].forEach((s) => rmSync(file + s, { force: true })) };
}
