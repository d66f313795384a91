/**
 * People search benchmark: 10,000 generated people, the real PeopleIndex
 * (server/search/people-index.ts), and a naive linear-scan peer on the same data.
 *
 *   npx tsx bench/people-search.ts            (also the first half of `npm run bench`)
 *
 * Prints figures only; it never fails. Aim from the issue: build ≤ 1 s, p95 ≤ 2 ms.
 * Everything is generated from a fixed seed, so two runs search the same people with the same
 * queries. Env: BENCH_PEOPLE (default 10000), BENCH_QUERIES (default 1000), BENCH_SEED.
 */
import { performance } from "node:perf_hooks";
import os from "node:os";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { PeopleIndex, type PeopleFilter, type PersonDoc } from "../server/search/people-index.js";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1_000);
const SEED = Number(process.env.BENCH_SEED ?? 20261123);
const BUILD_RUNS = 7;
const PASSES = 3;

// ---------------------------------------------------------------------------------------------
// Deterministic generator
// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast, good enough for fixtures. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  /** Skewed pick: low indexes are more popular (roughly Zipf-like), as skills are in real orgs. */
  const skewed = <T>(xs: readonly T[]): T => xs[Math.floor(xs.length * next() ** 1.8)]!;
  return { next, int, pick, skewed };
}
const rnd = prng(SEED);

const FIRST = [
  "Alice", "Alina", "Alistair", "Aliyah", "Ali", "Amara", "Andrei", "Anika", "Arjun", "Astrid", "Ayesha", "Bao",
  "Beatriz", "Benedikt", "Bilal", "Camille", "Carlos", "Chen", "Chiara", "Chidi", "Clara", "Daniel", "Dmitri",
  "Elena", "Elif", "Emeka", "Emma", "Ethan", "Fatima", "Felix", "Freya", "Gabriel", "Giulia", "Hana", "Hannah",
  "Harriet", "Hiroshi", "Ingrid", "Isabel", "Ivan", "Jamal", "James", "Javier", "Jia", "Jonas", "Julia", "Kai",
  "Kenji", "Kofi", "Lars", "Leila", "Lena", "Liam", "Lucas", "Lucia", "Maya", "Marco", "Maria", "Mariam", "Mateo",
  "Mei", "Mohammed", "Nadia", "Naveen", "Nia", "Noah", "Nora", "Oliver", "Olivia", "Omar", "Oscar", "Pedro",
  "Priya", "Rahul", "Ravi", "Rosa", "Ryan", "Sakura", "Samuel", "Sara", "Sebastian", "Sofia", "Sven", "Tariq",
  "Thandiwe", "Tomás", "Valentina", "Victor", "Wei", "Yara", "Yusuf", "Zoe", "Zainab", "Ingrid", "Mateus", "Amelia",
];
const LAST = [
  "Abara", "Adeyemi", "Alvarez", "Andersson", "Bakshi", "Becker", "Bianchi", "Bose", "Carter", "Castillo", "Chen",
  "Costa", "Dubois", "Duarte", "Eriksen", "Fernandes", "Fischer", "Fontaine", "Garcia", "Gonzalez", "Gupta",
  "Haddad", "Hansen", "Herrera", "Hoffmann", "Ibrahim", "Ito", "Jensen", "Johansson", "Kapoor", "Kaur", "Keller",
  "Khan", "Kim", "Kowalski", "Kumar", "Larsen", "Laurent", "Li", "Lopez", "Mahlangu", "Martin", "Mendes",
  "Meyer", "Moreau", "Murphy", "Nakamura", "Nguyen", "Novak", "Nwosu", "O'Brien", "Okafor", "Olsen", "Park",
  "Patel", "Pereira", "Petrov", "Popescu", "Raman", "Reddy", "Ricci", "Rossi", "Sato", "Schmidt", "Schneider",
  "Silva", "Singh", "Smith", "Sousa", "Suzuki", "Tanaka", "Tran", "Ueda", "Van Dijk", "Varga", "Wagner",
  "Walker", "Wang", "Watanabe", "Weber", "Williams", "Wong", "Yamamoto", "Yilmaz", "Zhang", "Zimmermann",
];
const CITIES = [
  "London", "Berlin", "Lisbon", "New York", "Toronto", "San Francisco", "Singapore", "Sydney", "Bangalore",
  "Paris", "Madrid", "Amsterdam", "Stockholm", "Tokyo", "São Paulo", "Nairobi", "Dublin", "Remote",
];

/** ~150 skills, canonical lower-case names with the synonyms people type (as the vocabulary holds them). */
const VOCAB: [string, ...string[]][] = [
  // platform / infrastructure
  ["kubernetes", "k8s"], ["docker", "containers"], ["terraform", "tf"], ["aws", "amazon web services"], ["gcp", "google cloud"],
  ["azure", "microsoft azure"], ["helm"], ["ansible"], ["linux", "gnu/linux"], ["networking", "tcp/ip"], ["observability", "o11y"],
  ["prometheus"], ["grafana"], ["opentelemetry", "otel"], ["incident response", "on-call"], ["site reliability engineering", "sre"],
  ["ci/cd", "continuous delivery"], ["github actions"], ["jenkins"], ["nginx"], ["load balancing"], ["service mesh", "istio"],
  ["bash", "shell scripting"], ["capacity planning"], ["chaos engineering"],
  // languages and web
  ["go", "golang"], ["rust"], ["typescript", "ts"], ["javascript", "js", "ecmascript"], ["node.js", "nodejs", "node"],
  ["python", "py"], ["java"], ["kotlin"], ["swift"], ["c++", "cpp"], ["c#", "csharp", ".net"], ["ruby", "rails"], ["php"],
  ["scala"], ["elixir"], ["react", "reactjs", "react.js"], ["vue", "vue.js"], ["angular"], ["svelte"], ["next.js", "nextjs"],
  ["css", "stylesheets"], ["html"], ["graphql", "gql"], ["rest apis", "rest"], ["websockets"], ["accessibility", "a11y"],
  ["web performance", "core web vitals"], ["design systems"], ["ios development", "ios"], ["android development", "android"],
  ["react native"], ["testing", "test automation"], ["playwright"], ["domain-driven design", "ddd"], ["microservices"],
  ["distributed systems"], ["api design"], ["code review"],
  // data and ml
  ["postgresql", "postgres", "psql"], ["mysql"], ["sqlite"], ["mongodb", "mongo"], ["redis"], ["elasticsearch", "elastic"],
  ["kafka", "event streaming"], ["sql"], ["data engineering", "etl"], ["data warehousing", "dwh"], ["dbt"], ["airflow"],
  ["spark", "apache spark"], ["machine learning", "ml"], ["deep learning", "neural networks"], ["nlp", "natural language processing"],
  ["computer vision", "cv"], ["statistics", "stats"], ["a/b testing", "experimentation"], ["search relevance", "information retrieval"],
  ["pytorch"], ["tensorflow"], ["llms", "large language models"], ["data visualisation", "dataviz", "data visualization"],
  ["tableau"], ["looker"],
  // identity and security
  ["saml", "saml2", "saml 2.0"], ["oidc", "openid connect"], ["oauth", "oauth2"], ["scim"], ["single sign-on", "sso"],
  ["threat modelling", "threat modeling"], ["penetration testing", "pentesting"], ["soc 2", "soc2"], ["gdpr", "data protection"],
  ["iso 27001"], ["cryptography", "crypto"], ["vulnerability management"], ["cloud security"], ["identity governance", "iam"],
  // product and design
  ["product strategy"], ["product discovery"], ["roadmapping", "roadmaps"], ["user research", "ux research"],
  ["interaction design", "ixd"], ["figma"], ["prototyping"], ["usability testing"], ["information architecture", "ia"],
  ["service design"], ["content design", "ux writing"], ["illustration"], ["motion design", "animation"],
  // go to market
  ["brand strategy", "branding"], ["copywriting"], ["social media", "social"], ["seo", "search engine optimisation"],
  ["paid acquisition", "ppc"], ["marketing analytics"], ["content marketing"], ["email marketing"], ["event management", "events"],
  ["enterprise sales", "b2b sales"], ["negotiation"], ["salesforce", "sfdc"], ["hubspot"], ["solution architecture"],
  ["customer onboarding"], ["account management"], ["partnerships"], ["pricing"],
  // support, finance, people
  ["zendesk"], ["de-escalation"], ["troubleshooting"], ["technical writing", "documentation"], ["billing"], ["invoicing"],
  ["accounts receivable", "ar"], ["revenue recognition", "rev rec"], ["financial modelling", "financial modeling"],
  ["netsuite"], ["excel", "spreadsheets"], ["payroll"], ["budgeting", "fp&a"], ["procurement"], ["recruiting", "hiring"],
  ["employee onboarding"], ["compensation", "comp"], ["employment law"], ["coaching"], ["mentoring"], ["public speaking"],
  ["facilitation", "workshops"], ["agile", "scrum"], ["project management", "pm"], ["okrs"], ["change management"],
  // languages
  ["german", "deutsch"], ["french", "français"], ["spanish", "español"], ["portuguese", "português"], ["italian"],
  ["japanese", "日本語"], ["mandarin", "mandarin chinese"], ["korean"], ["hindi"], ["arabic"], ["swahili"], ["dutch"],
];

interface Dept {
  id: string;
  name: string;
  /** Indexes into VOCAB people in this department tend to hold. */
  skills: number[];
  teams: { id: string; name: string }[];
  roles: string[];
}
const skillIdx = (name: string) => {
  const i = VOCAB.findIndex((v) => v[0] === name);
  if (i < 0) throw new Error(`unknown skill ${name}`);
  return i;
};
const range = (from: string, to: string) => {
  const a = skillIdx(from);
  const b = skillIdx(to);
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
};
const DEPTS: Dept[] = (
  [
    ["Engineering", [...range("kubernetes", "chaos engineering"), ...range("go", "code review"), ...range("postgresql", "spark")],
      ["Platform", "Web Experience", "Mobile", "Payments", "Core API", "Developer Tools", "Reliability"],
      ["Software Engineer", "Backend Engineer", "Frontend Engineer", "Platform Engineer", "Staff Engineer", "Engineering Manager", "SRE"]],
    ["Data & Machine Learning", range("postgresql", "looker"), ["Data Platform", "Search & Ranking", "Analytics", "Applied ML"],
      ["Data Engineer", "Data Scientist", "ML Engineer", "Analytics Engineer", "Data Analyst"]],
    ["Identity & Security", [...range("saml", "identity governance"), ...range("kubernetes", "networking")],
      ["Identity", "Security Operations", "AppSec", "GRC"], ["Security Engineer", "Identity Engineer", "Security Analyst", "CISO"]],
    ["Product", range("product strategy", "motion design"), ["Product Management", "Product Design", "Research"],
      ["Product Manager", "Product Designer", "UX Researcher", "Content Designer", "Head of Product"]],
    ["Marketing", range("brand strategy", "event management"), ["Brand & Content", "Growth Marketing", "Events", "Product Marketing"],
      ["Marketing Manager", "Content Strategist", "Growth Marketer", "Brand Designer", "SEO Specialist"]],
    ["Sales", range("enterprise sales", "pricing"), ["Enterprise Sales", "Mid-Market", "Solutions Engineering", "Partnerships"],
      ["Account Executive", "Solutions Engineer", "Sales Development Rep", "Account Manager", "VP Sales"]],
    ["Customer Support", range("zendesk", "technical writing"), ["Social Care", "Technical Support", "Support Operations"],
      ["Support Specialist", "Support Engineer", "Community Manager", "Support Lead"]],
    ["Finance Operations", range("billing", "procurement"), ["Billing", "Revenue Operations", "FP&A", "Payroll & Treasury"],
      ["Financial Analyst", "Billing Specialist", "Accountant", "Controller", "Payroll Specialist"]],
    ["People & HR", range("recruiting", "change management"), ["Talent Acquisition", "People Operations", "Learning & Development", "Workplace IT"],
      ["Recruiter", "People Partner", "HR Generalist", "L&D Lead", "IT Support Specialist"]],
  ] as [string, number[], string[], string[]][]
).map(([name, skills, teams, roles], d) => ({
  id: `dept-${d}`,
  name,
  skills,
  teams: teams.map((t, i) => ({ id: `team-${d}-${i}`, name: t })),
  roles,
}));
const LANGUAGES = range("german", "dutch");
const CROSS_TEAMS = [
  { id: "team-x-0", name: "Accessibility Guild" },
  { id: "team-x-1", name: "Incident Commanders" },
  { id: "team-x-2", name: "Mentoring Circle" },
];
const SENIORITY = ["", "", "Senior ", "Senior ", "Lead ", "Principal ", "Junior ", "Associate "];
const HOBBIES = [
  "climbing", "sourdough", "chess", "cycling", "jazz piano", "trail running", "board games", "photography",
  "gardening", "open source", "sailing", "pottery", "karaoke", "birdwatching", "football", "knitting",
];
const ERAS = ["two years", "three years", "a decade", "five years", "eighteen months", "seven years"];

type Level = "expert" | "mentor" | "learning";

function generatePeople(n: number): PersonDoc[] {
  const out: PersonDoc[] = [];
  for (let i = 0; i < n; i++) {
    const dept = rnd.pick(DEPTS);
    const name = `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`;
    const title = `${rnd.pick(SENIORITY)}${rnd.pick(dept.roles)}`;
    const location = rnd.pick(CITIES);
    const teams = [rnd.pick(dept.teams)];
    if (rnd.next() < 0.25) teams.push(rnd.pick(dept.teams));
    if (rnd.next() < 0.08) teams.push(rnd.pick(CROSS_TEAMS));
    const uniqueTeams = [...new Map(teams.map((t) => [t.id, t])).values()];

    const count = 3 + rnd.int(6); // 3–8 skills
    const held = new Map<number, Level>();
    while (held.size < count) {
      const r = rnd.next();
      const idx = r < 0.72 ? rnd.skewed(dept.skills) : r < 0.85 ? rnd.pick(LANGUAGES) : rnd.int(VOCAB.length);
      if (held.has(idx)) continue;
      const l = rnd.next();
      held.set(idx, l < 0.3 ? "expert" : l < 0.55 ? "mentor" : "learning");
    }
    const byLevel = (level: Level) =>
      [...held]
        .filter(([, l]) => l === level)
        .flatMap(([idx]) => VOCAB[idx]!)
        .join(" ");
    const skillNames = [...held.keys()].map((idx) => VOCAB[idx]![0]);
    const experts = [...held].filter(([, l]) => l === "expert").map(([idx]) => VOCAB[idx]![0]);
    const learning = [...held].filter(([, l]) => l === "learning").map(([idx]) => VOCAB[idx]![0]);
    const team = uniqueTeams[0]!.name;
    const hobby = () => rnd.pick(HOBBIES);
    const bio = [
      rnd.pick([
        `${title} in ${team}, based in ${location}.`,
        `I work on ${team} from ${location}.`,
        `${location}-based ${title.toLowerCase()}; part of ${team}.`,
        `Joined ${dept.name} ${rnd.pick(ERAS)} ago, now on ${team}.`,
        "",
      ]),
      experts.length
        ? rnd.pick([
            `Been working with ${experts.slice(0, 2).join(" and ")} for ${rnd.pick(ERAS)}.`,
            `Happy to talk about ${experts[0]}.`,
            `Ask me anything about ${experts.slice(0, 2).join(", ")}.`,
            "",
          ])
        : "",
      learning.length ? rnd.pick([`Currently learning ${learning[0]}.`, `Getting into ${learning[0]} this year.`, ""]) : "",
      rnd.pick([`Outside work: ${hobby()} and ${hobby()}.`, `Weekends are for ${hobby()}.`, `Ask me about ${hobby()}.`, "", ""]),
    ]
      .filter(Boolean)
      .join(" ");
    out.push({
      id: `u${String(i).padStart(5, "0")}`,
      name,
      title,
      bio,
      department: dept.name,
      teams: uniqueTeams.map((t) => t.name).join(" "),
      location,
      skillsExpert: byLevel("expert"),
      skillsMentor: byLevel("mentor"),
      skillsLearning: byLevel("learning"),
      departmentId: dept.id,
      teamIds: uniqueTeams.map((t) => t.id),
      skillNames,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Query mix
// ---------------------------------------------------------------------------------------------

type Kind = "skill" | "synonym" | "name prefix" | "typo" | "two words" | "department" | "filtered";
interface Query {
  kind: Kind;
  q: string;
  filter: PeopleFilter;
}

/** One plausible typo: drop, double, swap or replace a character (never in the first letter). */
function typo(word: string): string {
  const w = [...word];
  if (w.length < 4) return word + word.at(-1);
  const i = 1 + rnd.int(w.length - 2);
  switch (rnd.int(4)) {
    case 0:
      w.splice(i, 1);
      break;
    case 1:
      w.splice(i, 0, w[i]!);
      break;
    case 2:
      [w[i], w[i + 1]] = [w[i + 1]!, w[i]!];
      break;
    default:
      w[i] = "aeiou"[rnd.int(5)]!;
  }
  return w.join("");
}

function generateQueries(n: number, people: PersonDoc[]): Query[] {
  const mix: [Kind, number][] = [
    ["skill", 0.22], ["synonym", 0.14], ["name prefix", 0.14], ["typo", 0.14], ["two words", 0.12], ["department", 0.08], ["filtered", 0.16],
  ];
  const withSynonyms = VOCAB.filter((v) => v.length > 1);
  const single = VOCAB.filter((v) => !v[0].includes(" ") && v[0].length >= 5);
  const fixed: Query[] = [
    { kind: "typo", q: "kubernets", filter: {} },
    { kind: "name prefix", q: "ali", filter: {} },
    { kind: "synonym", q: "k8s", filter: {} },
  ];
  const out: Query[] = [...fixed];
  while (out.length < n) {
    let r = rnd.next();
    const kind = mix.find(([, w]) => (r -= w) < 0)?.[0] ?? "skill";
    const person = rnd.pick(people);
    switch (kind) {
      case "skill":
        out.push({ kind, q: rnd.skewed(VOCAB)[0], filter: {} });
        break;
      case "synonym": {
        const v = rnd.pick(withSynonyms);
        out.push({ kind, q: v[1 + rnd.int(v.length - 1)]!, filter: {} });
        break;
      }
      case "name prefix": {
        const part = rnd.next() < 0.7 ? person.name.split(" ")[0]! : person.name.split(" ").at(-1)!;
        out.push({ kind, q: part.slice(0, 3 + rnd.int(2)).toLowerCase(), filter: {} });
        break;
      }
      case "typo":
        out.push({ kind, q: typo(rnd.pick(single)[0]), filter: {} });
        break;
      case "two words": {
        const shape = rnd.int(3);
        const q =
          shape === 0
            ? `${rnd.pick(VOCAB)[0]} ${rnd.pick(VOCAB)[0]}`
            : shape === 1
              ? `${rnd.skewed(VOCAB)[0]} ${rnd.pick(CITIES).toLowerCase()}`
              : person.name.toLowerCase();
        out.push({ kind, q, filter: {} });
        break;
      }
      case "department":
        out.push({ kind, q: rnd.pick(DEPTS).name.toLowerCase(), filter: {} });
        break;
      case "filtered": {
        const dept = rnd.pick(DEPTS);
        const f = rnd.int(4);
        const filter: PeopleFilter =
          f === 0
            ? { departmentId: dept.id }
            : f === 1
              ? { teamId: rnd.pick(dept.teams).id }
              : f === 2
                ? { location: rnd.pick(CITIES) }
                : { skill: VOCAB[rnd.skewed(dept.skills)]![0] };
        out.push({ kind, q: rnd.next() < 0.5 ? VOCAB[rnd.skewed(dept.skills)]![0] : rnd.pick(FIRST).slice(0, 3).toLowerCase(), filter });
        break;
      }
    }
  }
  return out.slice(0, n);
}

// ---------------------------------------------------------------------------------------------
// Peer: naive linear scan
// ---------------------------------------------------------------------------------------------

// Same weights as PeopleIndex's BOOST (server/search/people-index.ts), so the peer ranks alike.
const PEER_WEIGHTS: [keyof PersonDoc, number][] = [
  ["name", 4], ["skillsExpert", 3], ["skillsMentor", 2], ["title", 1.5], ["department", 1.2], ["teams", 1],
  ["location", 1], ["bio", 0.5], ["skillsLearning", 0.35],
];

/**
 * What one would write without a search library: for each person, for each query word, add the
 * field's weight when its lower-cased text contains the word; sort by score. Lower-casing happens
 * once at "build" so the scan itself is as cheap as it can be. No fuzziness: typos find nothing.
 */
class LinearScan {
  private rows: { doc: PersonDoc; fields: string[] }[] = [];

  build(docs: PersonDoc[]) {
    this.rows = docs.map((doc) => ({ doc, fields: PEER_WEIGHTS.map(([f]) => String(doc[f]).toLowerCase()) }));
  }

  search(query: string, f: PeopleFilter = {}, limit = 50): { id: string; score: number }[] {
    const words = query.trim().slice(0, 200).toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    const loc = f.location?.toLowerCase();
    const hits: { id: string; score: number }[] = [];
    for (const { doc, fields } of this.rows) {
      if (f.departmentId && doc.departmentId !== f.departmentId) continue;
      if (f.teamId && !doc.teamIds.includes(f.teamId)) continue;
      if (loc && doc.location.toLowerCase() !== loc) continue;
      if (f.skill && !doc.skillNames.includes(f.skill)) continue;
      let score = 0;
      for (const w of words) for (let i = 0; i < fields.length; i++) if (fields[i]!.includes(w)) score += PEER_WEIGHTS[i]![1];
      if (score > 0) hits.push({ id: doc.id, score });
    }
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, limit);
  }
}

// ---------------------------------------------------------------------------------------------
// Measurement helpers
// ---------------------------------------------------------------------------------------------

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99), max: s.at(-1) ?? NaN, mean: xs.reduce((a, b) => a + b, 0) / xs.length };
};
const ms = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : "—");

function getGc(): (() => void) | null {
  try {
    v8.setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return null;
  }
}
const gc = getGc();
const settleHeap = () => {
  if (!gc) return process.memoryUsage().heapUsed;
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

function table(head: string[], rows: (string | number)[][]) {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  const line = (r: string[]) => "  " + r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join("  ");
  console.log(line(head));
  console.log("  " + widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of cells.slice(1)) console.log(line(r));
}

// ---------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------

function main() {
  console.log(`People search benchmark — ${PEOPLE.toLocaleString("en")} people, ${QUERIES.toLocaleString("en")} queries, seed ${SEED}`);
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");
  console.log(`Node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model.trim() ?? "?"}), ${os.platform()} ${os.arch()}, load average ${load()}`);

  const tGen = nowMs();
  const docs = generatePeople(PEOPLE);
  const queries = generateQueries(QUERIES, docs);
  const skillMentions = docs.reduce((n, d) => n + d.skillNames.length, 0);
  console.log(
    `Generated in ${ms(nowMs() - tGen, 0)} ms: ${VOCAB.length} skills (${VOCAB.reduce((n, v) => n + v.length - 1, 0)} synonyms), ` +
      `${DEPTS.length} departments, ${DEPTS.reduce((n, d) => n + d.teams.length, 0) + CROSS_TEAMS.length} teams, ` +
      `${CITIES.length} locations, ${(skillMentions / docs.length).toFixed(1)} skills/person on average`,
  );
  console.log(`Sample: ${JSON.stringify({ ...docs[0], teamIds: undefined, skillNames: undefined })}`);

  // --- build: one warm-up, then BUILD_RUNS timed runs, each into a fresh index -----------------
  new PeopleIndex().build(docs);
  new LinearScan().build(docs);
  const builds: number[] = [];
  const peerBuilds: number[] = [];
  for (let i = 0; i < BUILD_RUNS; i++) {
    settleHeap();
    let t = nowMs();
    new PeopleIndex().build(docs);
    builds.push(nowMs() - t);
    settleHeap();
    t = nowMs();
    new LinearScan().build(docs);
    peerBuilds.push(nowMs() - t);
  }

  // --- memory: heapUsed delta of a kept index over the same (already allocated) docs ------------
  const before = settleHeap();
  const index = new PeopleIndex();
  index.build(docs);
  const indexBytes = settleHeap() - before;
  const before2 = settleHeap();
  const peer = new LinearScan();
  peer.build(docs);
  const peerBytes = settleHeap() - before2;

  // --- queries: warm-up pass over the whole mix, then PASSES timed passes -------------------
  for (const { q, filter } of queries) {
    index.search(q, filter);
    peer.search(q, filter);
  }
  const oursByPass: number[][] = [];
  const peerByPass: number[][] = [];
  const byKind = new Map<Kind, { ours: number[]; peer: number[]; oursHit: number; peerHit: number; matches: number }>();
  for (const { kind } of queries) if (!byKind.has(kind)) byKind.set(kind, { ours: [], peer: [], oursHit: 0, peerHit: 0, matches: 0 });
  let agreeTop = 0;
  let bothHit = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    const ours: number[] = [];
    const theirs: number[] = [];
    // Interleave the two engines query by query, so drift (GC, other processes) hits both alike.
    for (const { kind, q, filter } of queries) {
      let t = nowMs();
      const a = index.search(q, filter);
      const da = nowMs() - t;
      t = nowMs();
      const b = peer.search(q, filter);
      const db = nowMs() - t;
      ours.push(da);
      theirs.push(db);
      const k = byKind.get(kind)!;
      k.ours.push(da);
      k.peer.push(db);
      if (pass > 0) continue;
      if (a.length) k.oursHit++;
      if (b.length) k.peerHit++;
      if (a.length && b.length) {
        bothHit++;
        if (b.slice(0, 10).some((x) => x.id === a[0]!.id)) agreeTop++;
      }
    }
    oursByPass.push(ours);
    peerByPass.push(theirs);
  }
  // Per query, the fastest of the passes: what is slow every time, not just when preempted.
  const slow = queries
    .map(({ q, filter }, i) => ({ q, filter, ms: Math.min(...oursByPass.map((p) => p[i]!)) }))
    .sort((x, y) => y.ms - x.ms)
    .filter((x, i, all) => all.findIndex((y) => y.q === x.q && JSON.stringify(y.filter) === JSON.stringify(x.filter)) === i);

  // Untimed: how many people each query matches before the top-50 cut (what the latency scales with).
  const matchCount = new Map<string, number>();
  for (const { kind, q, filter } of queries) {
    const n = index.search(q, filter, Infinity).length;
    matchCount.set(q + JSON.stringify(filter), n);
    byKind.get(kind)!.matches += n;
  }

  // --- report ----------------------------------------------------------------------------------
  const B = stats(builds);
  const PB = stats(peerBuilds);
  // Each percentile is the median over the passes (one noisy pass cannot make the headline).
  const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const combine = (passes: number[][]) => {
    const each = passes.map(stats);
    return {
      each,
      p50: medianOf(each.map((x) => x.p50)),
      p95: medianOf(each.map((x) => x.p95)),
      p99: medianOf(each.map((x) => x.p99)),
      max: medianOf(each.map((x) => x.max)),
      mean: medianOf(each.map((x) => x.mean)),
    };
  };
  const O = combine(oursByPass);
  const P = combine(peerByPass);
  console.log("");
  console.log(`Index build (${BUILD_RUNS} runs after a warm-up; ms)`);
  table(
    ["engine", "median", "min", "max"],
    [
      ["PeopleIndex (MiniSearch)", ms(B.p50, 1), ms(Math.min(...builds), 1), ms(B.max, 1)],
      ["linear scan (lower-case copy)", ms(PB.p50, 1), ms(Math.min(...peerBuilds), 1), ms(PB.max, 1)],
    ],
  );
  console.log("");
  console.log(`Query latency, ${queries.length} mixed queries × ${PASSES} passes, top 50 (ms; each figure the median of the passes)`);
  table(
    ["engine", "p50", "p95", "p99", "max", "mean"],
    [
      ["PeopleIndex (MiniSearch)", ms(O.p50), ms(O.p95), ms(O.p99), ms(O.max), ms(O.mean)],
      ["linear scan peer", ms(P.p50), ms(P.p95), ms(P.p99), ms(P.max), ms(P.mean)],
      ["ratio peer ÷ ours", (P.p50 / O.p50).toFixed(1) + "×", (P.p95 / O.p95).toFixed(1) + "×", (P.p99 / O.p99).toFixed(1) + "×", "", ""],
    ],
  );
  console.log(`  ours p95 per pass: ${O.each.map((x) => ms(x.p95)).join(", ")}; peer p95 per pass: ${P.each.map((x) => ms(x.p95)).join(", ")}`);
  console.log("");
  console.log(`By query kind (ms, all ${PASSES} passes pooled; hits = queries with ≥ 1 result; matches = people matched before the top-50 cut)`);
  table(
    ["kind", "n", "ours p50", "ours p95", "peer p50", "peer p95", "ours hits", "peer hits", "avg matches"],
    [...byKind].map(([kind, k]) => {
      const a = stats(k.ours);
      const b = stats(k.peer);
      const n = k.ours.length / PASSES;
      return [kind, n, ms(a.p50), ms(a.p95), ms(b.p50), ms(b.p95), k.oursHit, k.peerHit, Math.round(k.matches / n)];
    }),
  );
  console.log(
    `  slowest for ours (fastest of ${PASSES} passes): ` +
      slow
        .slice(0, 6)
        .map((s) => `"${s.q}"${Object.keys(s.filter).length ? " " + JSON.stringify(s.filter) : ""} ${ms(s.ms, 1)} ms (${matchCount.get(s.q + JSON.stringify(s.filter))} matches)`)
        .join(", "),
  );
  console.log(`  ours' top hit is in the peer's top 10 for ${agreeTop} of ${bothHit} queries both answered`);
  console.log("");
  console.log("Memory (heapUsed delta after GC" + (gc ? "" : " — gc unavailable, figures are noisy") + ")");
  table(
    ["engine", "MB", "bytes/person"],
    [
      ["PeopleIndex (MiniSearch)", (indexBytes / 1048576).toFixed(1), Math.round(indexBytes / docs.length)],
      ["linear scan peer", (peerBytes / 1048576).toFixed(1), Math.round(peerBytes / docs.length)],
    ],
  );

  // A sanity probe rather than a test: does the level ranking hold at this scale?
  const probe = index.search("kubernetes").slice(0, 10);
  const levels = probe.map((r) => {
    const d = docs.find((x) => x.id === r.id)!;
    return /\bkubernetes\b/.test(d.skillsExpert) ? "E" : /\bkubernetes\b/.test(d.skillsMentor) ? "M" : /\bkubernetes\b/.test(d.skillsLearning) ? "L" : "-";
  });
  console.log(`\n"kubernetes" top 10 by level (E expert, M mentor, L learning, - other field): ${levels.join(" ")}`);

  const buildOk = B.p50 <= 1000;
  const p95Ok = O.p95 <= 2;
  console.log(`\nLoad average at the end: ${load()} (other work on this machine inflates every figure above)`);
  if (os.loadavg()[0] > os.cpus().length) {
    console.log("NOTE: the load average exceeds the core count — other processes competed for the CPU; rerun on a quiet machine.");
  }
  console.log("");
  console.log("Aims");
  console.log(`  build ≤ 1 s   : ${ms(B.p50, 1)} ms median → ${buildOk ? "MET" : "NOT MET"}`);
  console.log(`  p95  ≤ 2 ms   : ${ms(O.p95)} ms → ${p95Ok ? "MET" : "NOT MET"}`);
}

main();
