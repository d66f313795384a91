/**
 * The generated company shared by the benchmarks: 10,000 people, 50,000 documents, 20,000
 * questions, 12,000 answers and 8,000 insights (at scale 1) as search entries. Deterministic
 * for a seed. bench/search-unified.ts indexes it; bench/pages.ts writes it into a database.
 */
import type { SearchEntry } from "../server/search/unified-index.js";
import { rng, sentence, vocabulary } from "./qa-common.js";

const BASE = { people: 10_000, docs: 50_000, questions: 20_000, answers: 12_000, insights: 8_000 };
export const N = { ...BASE };

let r = rng(6);
export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
// Shuffled past the head: the generator lists technical words first, which Zipf would make the
// commonest words of every text ("saml" in every document); real text has them in the long tail.
export let vocab: string[] = [];
function makeVocab() {
  const v = vocabulary(r, 20_000);
  const tech = v.splice(0, 180);
  for (const w of tech) v.splice(300 + Math.floor(r() * 5_000), 0, w);
  return v;
}

export const FIRST = "Alice Amara Andrei Anika Arjun Astrid Ayesha Beatriz Bilal Camille Carlos Chen Chiara Chidi Clara Daniel Dmitri Elena Elif Emeka Emma Ethan Fatima Felix Freya Gabriel Giulia Hana Harriet Hiroshi Ingrid Isabel Ivan Jamal James Javier Jonas Julia Kai Kenji Kofi Lars Leila Lena Liam Lucas Lucia Maya Marco Maria Mariam Mateo Mei Mohammed Nadia Naveen Nia Noah Nora Oliver Olivia Omar Oscar Pedro Priya Rahul Ravi Rosa Ryan Sakura Samuel Sara Sebastian Sofia Sven Tariq Thandiwe Tomás Valentina Victor Wei Yara Yusuf Zoe Zainab".split(" ");
export const LAST = "Abara Adeyemi Alvarez Andersson Bakshi Becker Bianchi Bose Carter Castillo Chen Costa Dubois Duarte Eriksen Fernandes Fischer Fontaine Garcia Gonzalez Gupta Haddad Hansen Herrera Hoffmann Ibrahim Ito Jensen Johansson Kapoor Kaur Keller Khan Kim Kowalski Kumar Larsen Laurent Li Lopez Mahlangu Martin Mendes Meyer Moreau Murphy Nakamura Nguyen Novak Nwosu Okafor Olsen Park Patel Pereira Petrov Quinn Raman Rossi Sato Schmidt Silva Singh Sokolov Suzuki Tanaka Torres Tran Varga Wagner Walsh Wang Weber Yamamoto Zhang".split(" ");
export const SKILLS = "SAML Kubernetes Terraform PostgreSQL React TypeScript Python Golang Rust Kafka Redis Billing Payroll Salesforce Zendesk GDPR Onboarding Figma Accessibility Pricing Forecasting Negotiation Recruiting Docker Grafana OAuth LDAP Tableau Excel SQL Marketing SEO Copywriting".split(" ");
export const TITLES = "Engineer;Senior Engineer;Staff Engineer;Product Manager;Designer;Data Analyst;Account Executive;Support Agent;Finance Analyst;Recruiter;Marketing Manager;Team Lead;Director".split(";");
export const DEPTS = Array.from({ length: 12 }, (_, i) => `dept${i}`);
export const TEAMS = Array.from({ length: 60 }, (_, i) => `team${i}`);
export const DOC_KINDS = "Runbook;Launch brief;Postmortem;Design review;Onboarding guide;Quarterly plan;Meeting notes;Policy;How-to;Roadmap".split(";");
export const ACCOUNTS = "Acme Globex Initech Umbrella Hooli Stark Wayne Wonka Soylent Tyrell Cyberdyne Vandelay".split(" ");
export let now = Date.now();
const ago = () => now - Math.floor(r() * 3 * 365 * 86_400_000);

/**
 * The corpus for a seed and scale (1 = 100,000 entities). Resets the shared random stream, so
 * callers that go on drawing from `random()` (queries) get the same sequence on every run.
 */
export function generate({ seed = 6, scale = 1, at = Date.now() }: { seed?: number; scale?: number; at?: number } = {}): SearchEntry[] {
  r = rng(seed);
  now = at;
  for (const k of Object.keys(BASE) as (keyof typeof N)[]) N[k] = Math.round(BASE[k] * scale);
  vocab = makeVocab();
  const out: SearchEntry[] = [];
  const people: string[] = [];
  for (let i = 0; i < N.people; i++) {
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    people.push(`u${i}`);
    const skills = [pick(SKILLS), pick(SKILLS), pick(SKILLS)];
    out.push({
      type: "person", id: `u${i}`, title: name, subtitle: pick(TITLES),
      body: `${pick(TITLES)} ${pick(DEPTS)} ${sentence(r, vocab, 8, 30)}`, tags: skills,
      departmentIds: [pick(DEPTS)], date: ago(), url: `/people/u${i}`,
    });
  }
  for (let i = 0; i < N.docs; i++) {
    const vis = r();
    const visibility = vis < 0.6 ? "company" : vis < 0.9 ? "department" : "private";
    out.push({
      type: "doc", id: `d${i}`, title: `${pick(DOC_KINDS)}: ${pick(SKILLS)} ${sentence(r, vocab, 1, 4)}`, subtitle: "Space",
      body: sentence(r, vocab, 80, 400), tags: [], departmentIds: [pick(DEPTS)], date: ago(), url: `/docs/d${i}`,
      access: {
        ownerId: pick(people), visibility, departmentId: pick(DEPTS), audienceRole: "editor",
        shares: r() < 0.2 ? [{ principalType: r() < 0.5 ? "user" : "team", principalId: r() < 0.5 ? pick(people) : pick(TEAMS), role: "viewer" }] : [],
      },
    });
  }
  for (let i = 0; i < N.questions; i++) {
    const tags = [pick(SKILLS), pick(SKILLS)];
    out.push({
      type: "question", id: `q${i}`, title: `How do I ${sentence(r, vocab, 3, 8)} with ${tags[0]}?`, subtitle: "",
      body: sentence(r, vocab, 20, 120), tags, departmentIds: [pick(DEPTS)], date: ago(), url: `/questions/q${i}`,
      authorId: pick(people), signals: { score: Math.floor(r() * 10) - 1, accepted: r() < 0.4, answerCount: Math.floor(r() * 3) },
    });
  }
  for (let i = 0; i < N.answers; i++) {
    const q = Math.floor(r() * N.questions);
    out.push({
      type: "answer", id: `a${i}`, title: `Answer to question ${q}`, subtitle: "",
      body: sentence(r, vocab, 20, 150), tags: [pick(SKILLS)], departmentIds: [pick(DEPTS)], date: ago(), url: `/questions/q${q}#answer-a${i}`,
      authorId: pick(people), signals: { score: Math.floor(r() * 8), accepted: r() < 0.3 },
    });
  }
  for (let i = 0; i < N.insights; i++) {
    out.push({
      type: "insight", id: `i${i}`, title: `${pick(ACCOUNTS)} via email`, subtitle: "",
      body: `${pick(["Invoices are wrong", "Love the new dashboard", "Checkout keeps failing", "Support was slow", "Billing charged twice"])} ${sentence(r, vocab, 10, 60)}`,
      tags: [pick(SKILLS)], departmentIds: [pick(DEPTS)], date: ago(), url: `/insights/i${i}`,
    });
  }
  return out;
}

/** The generator's random stream (after `generate`, it continues where the corpus left off). */
export const random = () => r();
