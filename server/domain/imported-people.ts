/**
 * People who came with an imported Stack Exchange history: placeholder profiles (no password,
 * inactive) that routing can reach, and the admin's merge of a placeholder into a real account,
 * which carries the history over (questions, answers, comments, revisions, routes, identities).
 */
import { MergeImportedSchema } from "../../app/schemas/imported-people.js";
import { authorize, type Actor } from "../policy.js";
import { siteOfSource } from "../import/sources.js";
import { prepareAudit } from "../platform/audit-record.js";
import { parse, type Ctx } from "./context.js";
import { NotFoundError, ValidationError } from "./errors.js";
import { reindexPerson } from "./people.js";
import { buildAnswererIndex, buildExpertiseIndex } from "./qa-indexes.js";

export interface ImportedPerson {
  id: string;
  name: string;
  sites: string[];
  answers: number;
  questions: number;
}

/** Placeholders still waiting for an account, most answers first (admins only). */
export async function listImportedPeople(ctx: Ctx, actor: Actor, limit = 200): Promise<ImportedPerson[]> {
  authorize(actor, "user.mergeImported", null);
  const rows = await ctx.db.user.findMany({
    where: { active: false, deactivatedAt: null, importedIdentities: { some: {} } },
    select: { id: true, name: true, importedIdentities: { select: { source: true } }, _count: { select: { answers: true, questions: true } } },
    orderBy: [{ answers: { _count: "desc" } }, { name: "asc" }],
    take: limit,
  });
  return rows.map((u) => ({
    id: u.id,
    name: u.name,
    sites: [...new Set(u.importedIdentities.map((i) => siteOfSource(i.source)))],
    answers: u._count.answers,
    questions: u._count.questions,
  }));
}

/** Moves everything a placeholder wrote onto an account; the placeholder is left empty and deactivated. */
export async function mergeImportedPerson(ctx: Ctx, actor: Actor, input: unknown): Promise<{ moved: { questions: number; answers: number; comments: number } }> {
  authorize(actor, "user.mergeImported", null);
  const { placeholderId, accountId } = parse(MergeImportedSchema, input);
  if (placeholderId === accountId) throw new ValidationError({ accountId: ["Choose a different account from the imported person."] });
  const [placeholder, account] = await Promise.all([
    ctx.db.user.findUnique({ where: { id: placeholderId }, select: { id: true, name: true, active: true, deactivatedAt: true, importedIdentities: { select: { source: true } } } }),
    ctx.db.user.findUnique({ where: { id: accountId }, select: { id: true, name: true, email: true, active: true } }),
  ]);
  if (!placeholder) throw new NotFoundError("That imported person");
  if (!account) throw new NotFoundError("That account");
  if (placeholder.active || placeholder.deactivatedAt || !placeholder.importedIdentities.length) {
    throw new ValidationError({ placeholderId: [`${placeholder.name} is not an imported person waiting for an account.`] });
  }
  if (!account.active) throw new ValidationError({ accountId: [`${account.name}'s account is not active.`] });
  const from = { authorId: placeholderId };
  const counts = await Promise.all([ctx.db.question.count({ where: from }), ctx.db.answer.count({ where: from }), ctx.db.qaComment.count({ where: from })]);
  const audit = await prepareAudit(ctx, {
    actorId: actor.id,
    action: "user.imported_merged",
    target: { type: "user", id: accountId },
    summary: `Merged ${placeholder.name} (imported from ${[...new Set(placeholder.importedIdentities.map((i) => siteOfSource(i.source)))].join(", ")}) into ${account.name} <${account.email}>`,
    details: { placeholderId, questions: counts[0], answers: counts[1], comments: counts[2] },
  });
  // A question routed to both keeps the account's route.
  const both = (await ctx.db.questionRoute.findMany({ where: { userId: accountId }, select: { questionId: true } })).map((r) => r.questionId);
  await ctx.db.$transaction([
    ctx.db.question.updateMany({ where: from, data: { authorId: accountId } }),
    ctx.db.answer.updateMany({ where: from, data: { authorId: accountId } }),
    ctx.db.qaComment.updateMany({ where: from, data: { authorId: accountId } }),
    ctx.db.postRevision.updateMany({ where: from, data: { authorId: accountId } }),
    ctx.db.questionRoute.deleteMany({ where: { userId: placeholderId, questionId: { in: both } } }),
    ctx.db.questionRoute.updateMany({ where: { userId: placeholderId }, data: { userId: accountId } }),
    ctx.db.importedIdentity.updateMany({ where: { userId: placeholderId }, data: { userId: accountId } }),
    ctx.db.user.update({ where: { id: placeholderId }, data: { deactivatedAt: ctx.clock.now(), bio: `Merged into ${account.name}.` } }),
    ctx.db.auditEvent.create({ data: audit }),
  ]);
  // Demonstrated expertise and answer history now belong to the account.
  await buildExpertiseIndex(ctx);
  await buildAnswererIndex(ctx);
  await reindexPerson(ctx, accountId);
  await ctx.bus.publish("person.updated", { userId: accountId });
  return { moved: { questions: counts[0], answers: counts[1], comments: counts[2] } };
}
