/**
 * Summarises V8 CPU profiles side by side (e.g. the first and last window of `bench:writes` with
 * BENCH_PROFILE set): the share of samples per function (self time) and per function including
 * what it calls (total time), biggest first, for each profile given.
 *
 *   npx tsx bench/cpuprofile-top.ts first.cpuprofile last.cpuprofile [--top 25] [--match vacuum]
 */
import { readFileSync } from "node:fs";
import path from "node:path";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[] };

const args = process.argv.slice(2);
const top = Number(args[args.indexOf("--top") + 1] ?? 25) || 25;
const match = args.includes("--match") ? args[args.indexOf("--match") + 1]!.toLowerCase() : null;
const files = args.filter((a, i) => a.endsWith(".cpuprofile") && args[i - 1] !== "--top" && args[i - 1] !== "--match");

function nameOf(n: Node): string {
  const f = n.callFrame;
  const where = f.url ? `${path.basename(f.url.replace(/^file:\/\//, ""))}:${f.lineNumber + 1}` : "";
  return `${f.functionName || "(anonymous)"} ${where}`.trim();
}

function summarise(file: string) {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const s of p.samples) {
    const leaf = byId.get(s)!;
    self.set(nameOf(leaf), (self.get(nameOf(leaf)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
      const name = nameOf(byId.get(id)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + 1);
    }
  }
  return { samples: p.samples.length, self, total };
}

const profiles = files.map(summarise);
for (const kind of ["self", "total"] as const) {
  const names = new Set<string>();
  for (const pr of profiles) {
    const sorted = [...pr[kind]].filter(([n]) => !match || n.toLowerCase().includes(match)).sort((a, b) => b[1] - a[1]).slice(0, top);
    for (const [n] of sorted) names.add(n);
  }
  const rows = [...names].map((n) => ({ n, shares: profiles.map((pr) => (100 * (pr[kind].get(n) ?? 0)) / pr.samples) })).sort((a, b) => b.shares.at(-1)! - a.shares.at(-1)!);
  console.log(`\n${kind} time, % of samples (${files.map((f, i) => `${path.basename(f)}: ${profiles[i]!.samples}`).join(", ")})`);
  for (const r of rows.slice(0, top)) console.log(`${r.shares.map((s) => s.toFixed(1).padStart(6)).join(" ")}  ${r.n}`);
}
