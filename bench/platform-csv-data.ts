/** A synthetic HR export of N people (deterministic), for the import benchmark, CLI test and e2e. */
const DEPARTMENTS = ["Engineering", "Sales", "Marketing", "Finance", "Support", "Product", "People", "Legal", "Operations", "Design", "Data", "Security"];
const ZONES = ["Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Asia/Singapore", "Australia/Sydney", "UTC"];
const CITIES = ["London", "Paris", "Berlin", "New York", "San Francisco", "Tokyo", "Singapore", "Sydney", "Remote"];
const SKILLS = Array.from({ length: 200 }, (_, i) => `skill${i}`);
const LEVELS = ["expert", "mentor", "learning"];
const FIRST = ["Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea", "Max", "Nia", "Oto", "Pia"];
const LAST = ["Smith", "Okafor", "Garcia", "Chen", "Müller", "Rossi", "Nakamura", "Dubois", "Kowalski", "Silva"];

export const PEOPLE_CSV_HEADER = "email,name,title,department,team,manager_email,location,time_zone,skills";

export function personLine(i: number, opts: { titleSuffix?: string } = {}): string {
  const dept = DEPARTMENTS[i % DEPARTMENTS.length];
  const manager = i === 0 ? "" : `person${Math.floor((i - 1) / 8)}@corp.test`;
  const skills = [0, 1, 2].map((k) => `${SKILLS[(i * 7 + k * 31) % SKILLS.length]}:${LEVELS[(i + k) % 3]}`).join(";");
  const name = `${FIRST[i % FIRST.length]} ${LAST[(i >> 4) % LAST.length]} ${i}`;
  return [`person${i}@corp.test`, name, `Role ${i % 40}${opts.titleSuffix ?? ""}`, dept, `${dept} Team ${i % 10}`, manager, CITIES[i % CITIES.length], ZONES[i % ZONES.length], skills].join(",");
}

export function* peopleCsvLines(n: number): Generator<string> {
  yield PEOPLE_CSV_HEADER + "\n";
  for (let i = 0; i < n; i++) yield personLine(i) + "\n";
}

export function peopleCsv(n: number): string {
  return [...peopleCsvLines(n)].join("");
}
