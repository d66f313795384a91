/**
 * Who is most likely to know: the pure scoring behind routing a new question to colleagues.
 * Declared skills count by level; demonstrated expertise (accepted and upvoted answers on the
 * tag, decayed with age — see ExpertiseIndex) counts on a log scale so a prolific answerer rises
 * without drowning everyone else. Kept free of I/O so tests can state the obvious answer.
 */
import type { SkillLevel } from "../../app/schemas/people.js";

export const LEVEL_WEIGHT: Record<SkillLevel, number> = { expert: 4, mentor: 2.5, learning: 0.5 };
export const DEMONSTRATED_WEIGHT = 1.5;
/** A small nudge towards people who are online now: they can answer at once. */
export const ONLINE_BONUS = 0.5;

export interface DeclaredSkill {
  userId: string;
  skillId: string;
  level: SkillLevel;
}

export interface TagEvidence {
  skillId: string;
  level: SkillLevel | null;
  demonstrated: number;
  accepted: number;
  upvotes: number;
}

export interface ExpertCandidate {
  userId: string;
  score: number;
  evidence: TagEvidence[];
  online: boolean;
  /** Chosen mostly for having answered questions worded like this one. */
  answeredSimilar?: boolean;
}

export interface RankInput {
  skillIds: readonly string[];
  declared: readonly DeclaredSkill[];
  /** Demonstrated expertise per tag: [userId, decayed score, counts]. */
  demonstrated: (skillId: string) => Iterable<[string, number, { accepted: number; upvotes: number }]>;
  exclude?: ReadonlySet<string>;
  isOnline?: (userId: string) => boolean;
  /** Restrict to these people (e.g. one department). */
  within?: ReadonlySet<string>;
}

/**
 * Candidates with a positive score, best first (ties: more evidence, then id for stability), at
 * most `limit`. Scores are summed as plain numbers first; the per-tag evidence (for explaining
 * the choice) is gathered only for the winners — a popular tag can have thousands of candidates.
 */
export function rankExperts(input: RankInput & { limit?: number }): ExpertCandidate[] {
  const tags = new Set(input.skillIds);
  const allowed = (id: string) => !input.exclude?.has(id) && (!input.within || input.within.has(id));
  const score = new Map<string, number>();
  const tagsHit = new Map<string, number>();
  const add = (userId: string, v: number) => {
    score.set(userId, (score.get(userId) ?? 0) + v);
    tagsHit.set(userId, (tagsHit.get(userId) ?? 0) + 1);
  };
  for (const d of input.declared) if (tags.has(d.skillId) && allowed(d.userId)) add(d.userId, LEVEL_WEIGHT[d.level]);
  for (const skillId of tags) {
    for (const [userId, s] of input.demonstrated(skillId)) if (s > 0 && allowed(userId)) add(userId, DEMONSTRATED_WEIGHT * Math.log1p(s));
  }
  const all: { userId: string; score: number; online: boolean; hits: number }[] = [];
  for (const [userId, v] of score) {
    if (v <= 0) continue;
    const online = input.isOnline?.(userId) ?? false;
    all.push({ userId, score: v + (online ? ONLINE_BONUS : 0), online, hits: tagsHit.get(userId)! });
  }
  all.sort((a, b) => b.score - a.score || b.hits - a.hits || (a.userId < b.userId ? -1 : 1));
  const top = input.limit === undefined ? all : all.slice(0, input.limit);
  if (!top.length) return [];
  // Evidence for the winners only.
  const winners = new Map(top.map((c) => [c.userId, new Map<string, TagEvidence>()]));
  const ev = (userId: string, skillId: string) => {
    const m = winners.get(userId)!;
    let e = m.get(skillId);
    if (!e) m.set(skillId, (e = { skillId, level: null, demonstrated: 0, accepted: 0, upvotes: 0 }));
    return e;
  };
  for (const d of input.declared) if (tags.has(d.skillId) && winners.has(d.userId)) ev(d.userId, d.skillId).level = d.level;
  for (const skillId of tags) {
    for (const [userId, s, counts] of input.demonstrated(skillId)) {
      if (s <= 0 || !winners.has(userId)) continue;
      const e = ev(userId, skillId);
      e.demonstrated = s;
      e.accepted = counts.accepted;
      e.upvotes = counts.upvotes;
    }
  }
  return top.map((c) => ({ userId: c.userId, score: c.score, online: c.online, evidence: [...winners.get(c.userId)!.values()] }));
}

const LEVEL_PHRASE: Record<SkillLevel, string> = { expert: "ask me about", mentor: "can mentor", learning: "learning" };

/** Why someone was chosen, in words: "ask me about saml · 12 accepted answers on saml · online now". */
export function explain(c: ExpertCandidate, tagName: (skillId: string) => string): string {
  const parts: string[] = [];
  for (const e of c.evidence) {
    const tag = tagName(e.skillId);
    if (e.level) parts.push(`${LEVEL_PHRASE[e.level]} ${tag}`);
    if (e.accepted > 0) parts.push(`${e.accepted} accepted answer${e.accepted === 1 ? "" : "s"} on ${tag}`);
    else if (e.upvotes > 0) parts.push(`${e.upvotes} upvote${e.upvotes === 1 ? "" : "s"} on ${tag} answers`);
  }
  if (c.answeredSimilar) parts.push("answered similar questions");
  if (c.online) parts.push(ONLINE_NOW);
  return parts.join(" · ");
}

const ONLINE_NOW = "online now";

/**
 * A stored reason with its "online now" brought up to date: the reason is written when the
 * question is routed, but whether the person is online is only true while it lasts.
 */
export function reasonWithPresence(reason: string, online: boolean): string {
  const parts = reason.split(" · ").filter((p) => p && p !== ONLINE_NOW);
  if (online) parts.push(ONLINE_NOW);
  return parts.join(" · ");
}
