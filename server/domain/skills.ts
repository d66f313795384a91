import { SynonymSchema } from "../../app/schemas/org.js";
import type { Actor } from "../policy.js";
import { authorize } from "../policy.js";
import { notAVerb, parse, type Ctx } from "./context.js";
import { ValidationError } from "./errors.js";
import { reindexPeopleWithSkill } from "./people.js";
import { recordAudit } from "../platform/audit-record.js";

type Tx = Pick<Ctx["db"], "skill" | "skillSynonym">;

/** "single sign-on" → "Single Sign-On": how a new vocabulary entry is shown. */
export const skillLabel = (name: string) => name.replace(/\b\p{L}/gu, (c) => c.toUpperCase());

/**
 * Maps typed skill names to vocabulary entries: a synonym resolves to its skill ("k8s" →
 * kubernetes); an unknown name joins the shared vocabulary.
 */
export const resolveSkills = notAVerb(async (tx: Tx, names: string[]): Promise<Map<string, string>> => {
  const out = new Map<string, string>();
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    const syn = await tx.skillSynonym.findUnique({ where: { name }, select: { skillId: true } });
    if (syn) {
      out.set(name, syn.skillId);
      continue;
    }
    const skill = await tx.skill.upsert({
      where: { name },
      create: { name, label: skillLabel(name) },
      update: {},
      select: { id: true },
    });
    out.set(name, skill.id);
  }
  return out;
});

export async function listVocabulary(ctx: Ctx) {
  const skills = await ctx.db.skill.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, label: true, synonyms: { select: { name: true } }, _count: { select: { holders: true } } },
  });
  return skills.map((s) => ({
    id: s.id,
    name: s.name,
    label: s.label,
    synonyms: s.synonyms.map((x) => x.name),
    holders: s._count.holders,
  }));
}

export async function addSynonym(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "skill.manageVocabulary", null);
  const { skill, synonym } = parse(SynonymSchema, input);
  if (skill === synonym) throw new ValidationError({ synonym: ["A synonym must differ from the skill."] });
  const target = await ctx.db.skill.findUnique({ where: { name: skill } });
  if (!target) throw new ValidationError({ skill: ["No such skill in the vocabulary."] });
  if (await ctx.db.skill.findUnique({ where: { name: synonym } })) {
    throw new ValidationError({ synonym: [`"${synonym}" is itself a skill; merge is not supported yet.`] });
  }
  if (await ctx.db.skillSynonym.findUnique({ where: { name: synonym } })) {
    throw new ValidationError({ synonym: [`"${synonym}" is already a synonym.`] });
  }
  await ctx.db.skillSynonym.create({ data: { name: synonym, skillId: target.id } });
  await recordAudit(ctx, { actorId: actor.id, action: "skill.synonym_added", target: { type: "skill", id: target.id }, summary: `Made "${synonym}" a synonym of ${target.label}` });
  await reindexPeopleWithSkill(ctx, target.id);
  await ctx.bus.publish("org.changed", { kind: "skill" });
}

export async function removeSynonym(ctx: Ctx, actor: Actor, synonym: string) {
  authorize(actor, "skill.manageVocabulary", null);
  const row = await ctx.db.skillSynonym.findUnique({ where: { name: synonym.trim().toLowerCase() } });
  if (!row) throw new ValidationError({ synonym: ["No such synonym."] });
  await ctx.db.skillSynonym.delete({ where: { id: row.id } });
  await recordAudit(ctx, { actorId: actor.id, action: "skill.synonym_removed", target: { type: "skill", id: row.skillId }, summary: `Removed the synonym "${row.name}"` });
  await reindexPeopleWithSkill(ctx, row.skillId);
  await ctx.bus.publish("org.changed", { kind: "skill" });
}
