/**
 * Presenters pick the fields that leave the server. A broad `include` can never leak a password
 * hash or session data, because nothing reaches a page or a socket without passing through here.
 */
import type { PresenceState } from "../events.js";
import type { Actor } from "../policy.js";
import { can } from "../policy.js";
import type { SkillLevel } from "../../app/schemas/people.js";

const LEVEL_ORDER: Record<string, number> = { expert: 0, mentor: 1, learning: 2 };

interface PersonRow {
  id: string;
  name: string;
  title: string;
  location: string;
  timeZone: string;
  photoPath: string | null;
  statusText: string;
  statusEmoji: string;
  statusUntil: Date | null;
  department: { id: string; name: string } | null;
  teams: { team: { id: string; name: string } }[];
  skills: { level: string; skill: { name: string; label: string } }[];
}

export const photoUrl = (photoPath: string | null) => (photoPath ? `/uploads/${photoPath}` : null);

export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join("") || "?";

export function presentStatus(row: Pick<PersonRow, "statusText" | "statusEmoji" | "statusUntil">, now: Date) {
  if (!row.statusText && !row.statusEmoji) return null;
  if (row.statusUntil && row.statusUntil <= now) return null;
  return { text: row.statusText, emoji: row.statusEmoji, until: row.statusUntil?.toISOString() ?? null };
}

export function presentSkills(skills: PersonRow["skills"]) {
  return [...skills]
    .sort((a, b) => LEVEL_ORDER[a.level]! - LEVEL_ORDER[b.level]! || a.skill.name.localeCompare(b.skill.name))
    .map((s) => ({ name: s.skill.name, label: s.skill.label, level: s.level as SkillLevel }));
}

export function presentPersonCard(row: PersonRow, presence: PresenceState, now: Date) {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    initials: initials(row.name),
    photoUrl: photoUrl(row.photoPath),
    department: row.department,
    teams: row.teams.map((t) => t.team),
    location: row.location,
    timeZone: row.timeZone,
    skills: presentSkills(row.skills),
    status: presentStatus(row, now),
    presence,
  };
}
export type PersonCard = ReturnType<typeof presentPersonCard>;

type MiniPerson = { id: string; name: string; title: string; photoPath: string | null };
const presentMini = (p: MiniPerson) => ({ id: p.id, name: p.name, title: p.title, initials: initials(p.name), photoUrl: photoUrl(p.photoPath) });

export function presentProfile(
  row: PersonRow & { email: string; pronouns: string; bio: string; links: string; role: string; active: boolean; managerId: string | null },
  extra: { chain: MiniPerson[]; reports: MiniPerson[]; presence: PresenceState; now: Date; viewer: Actor },
) {
  return {
    ...presentPersonCard(row, extra.presence, extra.now),
    email: row.email,
    pronouns: row.pronouns,
    bio: row.bio,
    links: safeLinks(row.links),
    role: row.role,
    active: row.active,
    managerChain: extra.chain.map(presentMini),
    reports: extra.reports.map(presentMini),
    canEdit: can(extra.viewer, "person.editProfile", { id: row.id }),
    canEditHr: can(extra.viewer, "person.editHrFields", { id: row.id }),
    isSelf: extra.viewer.id === row.id,
  };
}
export type Profile = ReturnType<typeof presentProfile>;

function safeLinks(json: string): { label: string; url: string }[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.filter((l) => typeof l?.url === "string" && /^(https?:|mailto:)/i.test(l.url)) : [];
  } catch {
    return [];
  }
}
