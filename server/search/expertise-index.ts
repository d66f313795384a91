/**
 * Demonstrated expertise, in memory: per tag (skill id) and person, how much their answers on that
 * tag were accepted and upvoted, decaying with age (half-life QA_EXPERTISE_HALF_LIFE_DAYS).
 *
 * Each contribution of weight w made at time t is stored as w·2^((t−T0)/H), so the decayed total at
 * any later time is one multiplication: mass·2^(−(now−T0)/H). Adding or retracting a contribution
 * (an upvote removed, an acceptance moved, an answer deleted) is O(1), and a query for one tag is
 * O(people with activity on it) — no scan over answers.
 */

export const ACCEPTED_WEIGHT = 3;
export const UPVOTE_WEIGHT = 1;
const T0 = Date.UTC(2020, 0, 1);
const DAY = 86_400_000;

export interface ExpertiseCell {
  /** Decay-normalised mass; read through `decayed`. */
  mass: number;
  accepted: number;
  upvotes: number;
}

export type Contribution = "accepted" | "upvote";

export class ExpertiseIndex {
  private bySkill = new Map<string, Map<string, ExpertiseCell>>();
  /** Tag names and synonyms → skill id, so a directory query "saml" finds the tag. */
  private names = new Map<string, string>();
  private readonly halfLifeMs: number;

  constructor(halfLifeDays = 180) {
    this.halfLifeMs = halfLifeDays * DAY;
  }

  clear(): void {
    this.bySkill.clear();
    this.declared.clear();
  }

  /**
   * Declared skills per tag, read from the database on first use and dropped whenever a profile
   * changes (person.updated / person.deactivated): routing a question to a popular tag then costs
   * no query for its thousands of holders.
   */
  private declared = new Map<string, { userId: string; skillId: string; level: string }[]>();

  async declaredFor(skillIds: readonly string[], load: (missing: string[]) => Promise<{ userId: string; skillId: string; level: string }[]>) {
    const missing = skillIds.filter((id) => !this.declared.has(id));
    if (missing.length) {
      const rows = await load(missing);
      for (const id of missing) this.declared.set(id, []);
      for (const r of rows) this.declared.get(r.skillId)?.push(r);
    }
    return skillIds.flatMap((id) => this.declared.get(id) ?? []);
  }

  forgetDeclared(): void {
    this.declared.clear();
  }

  setNames(entries: Iterable<[string, string]>): void {
    this.names = new Map(entries);
  }

  addName(name: string, skillId: string): void {
    this.names.set(name.toLowerCase(), skillId);
  }

  skillIdFor(name: string): string | undefined {
    return this.names.get(name.toLowerCase());
  }

  /** Adds (sign 1) or retracts (sign −1) one contribution by `userId` on each of `skillIds`. */
  record(userId: string, skillIds: readonly string[], kind: Contribution, at: Date, sign: 1 | -1 = 1, count = 1): void {
    if (count <= 0) return;
    const w = (kind === "accepted" ? ACCEPTED_WEIGHT : UPVOTE_WEIGHT) * count;
    const m = w * 2 ** ((at.getTime() - T0) / this.halfLifeMs);
    for (const skillId of new Set(skillIds)) {
      let users = this.bySkill.get(skillId);
      if (!users) this.bySkill.set(skillId, (users = new Map()));
      let cell = users.get(userId);
      if (!cell) users.set(userId, (cell = { mass: 0, accepted: 0, upvotes: 0 }));
      cell.mass += sign * m;
      if (kind === "accepted") cell.accepted += sign;
      else cell.upvotes += sign * count;
      if (cell.accepted <= 0 && cell.upvotes <= 0) users.delete(userId);
    }
  }

  private factor(now: Date): number {
    return 2 ** (-(now.getTime() - T0) / this.halfLifeMs);
  }

  /** Decayed score of one person on one tag. */
  score(skillId: string, userId: string, now: Date): number {
    const cell = this.bySkill.get(skillId)?.get(userId);
    return cell ? Math.max(0, cell.mass * this.factor(now)) : 0;
  }

  cell(skillId: string, userId: string): ExpertiseCell | undefined {
    return this.bySkill.get(skillId)?.get(userId);
  }

  /** Everyone with demonstrated expertise on a tag: [userId, decayed score, cell]. */
  people(skillId: string, now: Date): [string, number, ExpertiseCell][] {
    const users = this.bySkill.get(skillId);
    if (!users) return [];
    const f = this.factor(now);
    const out: [string, number, ExpertiseCell][] = new Array(users.size);
    let i = 0;
    for (const [userId, cell] of users) out[i++] = [userId, Math.max(0, cell.mass * f), cell];
    return out;
  }

  /** The top people on a tag by decayed score. */
  top(skillId: string, now: Date, limit: number): { userId: string; score: number; accepted: number; upvotes: number }[] {
    return [...this.people(skillId, now)]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([userId, score, c]) => ({ userId, score, accepted: c.accepted, upvotes: c.upvotes }));
  }

  /**
   * A per-person multiplier for a directory query: words of the query that name a tag lift the
   * people who have demonstrated expertise on it. Returns undefined when no word is a tag.
   */
  boostFor(query: string, now: Date): Map<string, number> | undefined {
    const words = query.toLowerCase().split(/[\s,]+/).filter(Boolean);
    const skillIds = new Set<string>();
    for (let i = 0; i < words.length; i++) {
      const one = this.names.get(words[i]!);
      if (one) skillIds.add(one);
      const two = i + 1 < words.length ? this.names.get(`${words[i]} ${words[i + 1]}`) : undefined;
      if (two) skillIds.add(two);
    }
    if (!skillIds.size) return undefined;
    const boost = new Map<string, number>();
    for (const skillId of skillIds) {
      for (const [userId, s] of this.people(skillId, now)) {
        if (s > 0) boost.set(userId, (boost.get(userId) ?? 1) + 0.5 * Math.log1p(s));
      }
    }
    return boost.size ? boost : undefined;
  }
}
