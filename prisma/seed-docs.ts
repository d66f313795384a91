/**
 * Demo documents (prisma/seed-data/documents.ts), written once when there are none: spaces for
 * every department, a company welcome page, story 3's "Q3 launch brief" (Marketing, shared with
 * Product and the Launch Squad) with a child page, and an Engineering page the demo member can edit.
 *
 * Each document's history is written the way the collab service writes it: its versions are
 * replayed as edits of one Yjs document through the headless editor (blocks that did not change
 * keep their identity), every edit is appended to the update log, and after each burst a revision
 * holds the full Yjs state — so restoring a revision, or one of its sections, brings back real
 * headings and lists, and people from other departments show up as contributors.
 */
import * as Y from "yjs";
import { editToMarkdownUpdate, markdownToState, readState } from "../server/collab/headless.js";
import { openDocLog } from "../server/collab/update-log.js";
import type { Db } from "../server/db.js";
import { ensureSpaces, recordRevision } from "../server/domain/docs.js";
import { DOCUMENTS } from "./seed-data/documents.js";
import { seedCtx } from "./seed-ctx.js";

const DAY = 86_400_000;

export async function seedDocuments(db: Db, databaseUrl: string, now: Date): Promise<{ documents: number; revisions: number }> {
  if (await db.document.count()) return { documents: 0, revisions: 0 };
  await ensureSpaces({ db });
  const admin = await db.user.findUnique({ where: { email: "admin@atrium.test" }, select: { id: true } });
  if (!admin) return { documents: 0, revisions: 0 };
  const person = async (who: { email: string } | { name: string }) =>
    "email" in who
      ? db.user.findUnique({ where: { email: who.email }, select: { id: true, departmentId: true } })
      : db.user.findFirst({ where: { name: who.name }, select: { id: true, departmentId: true } });
  const spaceOf = async (departmentId: string | null) =>
    (await db.space.findFirst({ where: departmentId ? { departmentId } : { kind: "company" }, select: { id: true } }))!.id;
  const { ctx, setNow } = seedCtx(db, now);

  const log = await openDocLog(databaseUrl);
  const ids = new Map<string, string>();
  let revisions = 0;
  try {
    for (const d of DOCUMENTS) {
      const owner = await person(d.owner);
      if (!owner) continue;
      const parentId = d.parent ? ids.get(d.parent) : undefined;
      if (d.parent && !parentId) continue;
      const spaceDept = d.space === "company" ? null : owner.departmentId;
      const versions = await Promise.all(
        d.versions.map(async (v) => ({
          ...v,
          at: new Date(now.getTime() - v.daysAgo * DAY),
          editors: (await Promise.all(v.by.map((name) => person({ name })))).filter((p) => p !== null).map((p) => p.id),
        })),
      );
      const last = versions.at(-1)!;
      const lastEditor = last.editors.at(-1) ?? owner.id;
      // The document as it is today; its content is the replayed history below.
      const yDoc = new Y.Doc();
      const updates = versions.map((v, k) => {
        const update = k === 0 ? markdownToState(v.markdown) : editToMarkdownUpdate(Y.encodeStateAsUpdate(yDoc), v.markdown);
        Y.applyUpdate(yDoc, update);
        return { update, state: Y.encodeStateAsUpdate(yDoc) };
      });
      const doc = await db.document.create({
        data: {
          title: d.title,
          spaceId: await spaceOf(spaceDept),
          parentId: parentId ?? null,
          visibility: d.visibility,
          departmentId: spaceDept ?? owner.departmentId,
          ownerId: owner.id,
          createdAt: versions[0]!.at,
          lastEditedAt: last.at,
          lastEditedById: lastEditor,
          plainText: readState(updates.at(-1)!.state).text,
          textSeq: versions.length,
        },
      });
      yDoc.destroy();
      ids.set(d.key, doc.id);
      await log.appendMany(versions.map((v, k) => ({ docId: doc.id, seq: k + 1, update: updates[k]!.update, userId: v.editors.at(-1) ?? owner.id, at: v.at })));
      // A revision after each burst, as the collab service records one when the editors go quiet.
      for (const [k, v] of versions.entries()) {
        setNow(new Date(v.at.getTime() + 60_000));
        await recordRevision(ctx, doc.id, { state: updates[k]!.state, seq: k + 1, contributors: v.editors, reason: "burst" });
        revisions++;
      }
      for (const share of d.shares ?? []) {
        const principal =
          "department" in share
            ? await db.department.findUnique({ where: { name: share.department }, select: { id: true } })
            : await db.team.findUnique({ where: { name: share.team }, select: { id: true } });
        if (principal) {
          await db.docShare.create({ data: { docId: doc.id, principalType: "department" in share ? "department" : "team", principalId: principal.id, role: "editor", createdById: owner.id, createdAt: versions[0]!.at } });
        }
      }
    }
  } finally {
    await log.close();
  }
  return { documents: ids.size, revisions };
}
