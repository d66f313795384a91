/**
 * Profiles the unified index on one kind of query (the bench's slow kinds): builds the index over
 * the generated corpus, then runs the queries of that kind many times, so `node --cpu-prof` sees
 * the query path and little else.
 *
 *   BENCH_SCALE=0.3 node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/search-profile.ts skill
 *   npx tsx bench/cpuprofile-top.ts /tmp/prof/*.cpuprofile
 */
import { performance } from "node:perf_hooks";
import { parseQuery } from "../server/search/query.js";
import { UnifiedIndex, type Reader } from "../server/search/unified-index.js";
import { generate, SKILLS } from "./corpus.js";

const kind = process.argv[2] ?? "skill";
const entries = generate({ seed: 6, scale: Number(process.env.BENCH_SCALE ?? 0.3) });
const index = new UnifiedIndex();
index.build(entries);
const typo = (w: string, i: number) => w.slice(0, 1 + (i % (w.length - 2))) + w.slice(2 + (i % (w.length - 2)));
const qs = SKILLS.map((s, i) => (kind === "typo" ? typo(s.toLowerCase(), i) : kind === "skill prefix" ? s.toLowerCase().slice(0, 4) : s));
const reader: Reader = { actor: { id: "u1", role: "member", departmentId: "dept1", active: true }, teamIds: ["team1", "team2"] };
const c = process.cpuUsage();
const t = performance.now();
let n = 0;
for (let round = 0; round < Number(process.env.ROUNDS ?? 20); round++) for (const q of qs) (index.search(reader, parseQuery(q)), n++);
const cpu = process.cpuUsage(c);
console.log(`${kind}: ${n} queries, ${((performance.now() - t) / n).toFixed(2)} ms wall, ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms CPU per query`);
