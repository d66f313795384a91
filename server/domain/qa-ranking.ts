/**
 * Who is most likely to know: the pure scoring behind routing a new question to colleagues.
 * Declared skills count by level; demonstrated expertise (accepted and upvoted answers on the
 * tag, decayed with age — see ExpertiseIndex) counts on a log scale so a prolific answerer rises
 * without drowning everyone else. Kept free of I/O so tests can state the obvious answer.
 */
import type { SkillLevel } from "../../app/schemas/people.js";
import { BestOf } from "../search/best-of.js";

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

/** One person's summed tag score (online bonus included) and how many tag signals it came from. */
export interface TagScore {
  score: number;
  online: boolean;
  hits: number;
}

/**
 * Everyone with a positive score on the question's tags, unordered: scores are summed as plain
 * numbers, with no evidence gathered (a popular tag can have thousands of candidates).
 */
export function tagScores(input: RankInput): Map<string, TagScore> {
  const tags = new Set(input.skillIds);
  const allowed = (id: string) => !input.exclude?.has(id) && (!input.within || input.within.has(id));
  const sums = new Map<string, TagScore>();
  const add = (userId: string, v: number) => {
    const s = sums.get(userId);
    if (s) {
      s.score += v;
      s.hits++;
    } else sums.set(userId, { score: v, online: false, hits: 1 });
  };
  for (const d of input.declared) if (tags.has(d.skillId) && allowed(d.userId)) add(d.userId, LEVEL_WEIGHT[d.level]);
  for (const skillId of tags) {
    for (const [userId, s] of input.demonstrated(skillId)) if (s > 0 && allowed(userId)) add(userId, DEMONSTRATED_WEIGHT * Math.log1p(s));
  }
  for (const [userId, s] of sums) {
    if (s.score <= 0) {
      sums.delete(userId);
      continue;
    }
    s.online = input.isOnline?.(userId) ?? false;
    if (s.online) s.score += ONLINE_BONUS;
  }
  return sums;
}

/**
 * Candidates with a positive score, best first (ties: more evidence, then id for stability), at
 * most `limit`, with the per-tag evidence that explains each.
 */
export function rankExperts(input: RankInput & { limit?: number }): ExpertCandidate[] {
  const all = [...tagScores(input)].map(([userId, s]) => ({ userId, ...s }));
  all.sort((a, b) => b.score - a.score || b.hits - a.hits || (a.userId < b.userId ? -1 : 1));
  const top = input.limit === undefined ? all : all.slice(0, input.limit);
  const evidence = evidenceFor(input, top.map((c) => c.userId));
  return top.map((c) => ({ userId: c.userId, score: c.score, online: c.online, evidence: evidence.get(c.userId)! }));
}

/** The per-tag evidence (declared level, demonstrated score and counts) of the chosen people only. */
export function evidenceFor(input: RankInput, userIds: readonly string[]): Map<string, TagEvidence[]> {
  const tags = new Set(input.skillIds);
  const winners = new Map(userIds.map((id) => [id, new Map<string, TagEvidence>()]));
  const ev = (userId: string, skillId: string) => {
    const m = winners.get(userId)!;
    let e = m.get(skillId);
    if (!e) m.set(skillId, (e = { skillId, level: null, demonstrated: 0, accepted: 0, upvotes: 0 }));
    return e;
  };
  if (winners.size) {
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
  }
  return new Map([...winners].map(([id, m]) => [id, [...m.values()]]));
}

/** One person's answer-history score and how closely their past answers' words match (0–1). */
export type HistoryVisit = (userId: string, score: number, text: number) => void;

/**
 * The `k` best (or everyone, for Infinity) by tag expertise and answer history added together,
 * best first, with the evidence that explains each. `history` calls its visitor once for each
 * person the history reaches (AnswererIndex.each), unordered; neither list is cut before the two
 * are added, so nobody whose two scores together put them first is missed. A history score ≤ 0
 * adds nothing, and someone known only from history needs a positive one.
 */
export function rankWithHistory(input: RankInput, history: (visit: HistoryVisit) => void, k: number): ExpertCandidate[] {
  const tagged = tagScores(input);
  const top = new BestOf<Blended>(k, before);
  const seen = new Set<string>();
  history((userId, score, text) => {
    const t = tagged.get(userId);
    if (t) {
      seen.add(userId);
      top.offer({ userId, score: t.score + Math.max(0, score), tag: t, text });
    } else if (score > 0 && !input.exclude?.has(userId) && (!input.within || input.within.has(userId))) top.offer({ userId, score, tag: undefined, text });
  });
  for (const [userId, t] of tagged) if (!seen.has(userId)) top.offer({ userId, score: t.score, tag: t, text: 0 });
  const list = top.list();
  const evidence = evidenceFor(input, list.filter((c) => c.tag).map((c) => c.userId));
  return list.map((c) =>
    c.tag
      ? { userId: c.userId, score: c.score, online: c.tag.online, evidence: evidence.get(c.userId)! }
      : { userId: c.userId, score: c.score, evidence: [], online: false, answeredSimilar: c.text >= 0.5 },
  );
}

interface Blended {
  userId: string;
  score: number;
  /** Their tag score, if they have tag evidence to explain (declared or demonstrated). */
  tag: TagScore | undefined;
  text: number;
}

const before = (a: Blended, b: Blended) => a.score > b.score || (a.score === b.score && a.userId < b.userId);

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
