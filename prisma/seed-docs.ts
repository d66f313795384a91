/**
 * Demo documents (issue 3), written once when there are none: spaces for every department, a
 * company welcome page, story 3's "Q3 launch brief" (Marketing, shared with Product) with a child
 * page, and an Engineering page the demo member can edit. Content is written the way the server
 * writes it — a Yjs state from Markdown, appended to the update log.
 */
import { readState, markdownToState } from "../server/collab/headless.js";
import { sqliteFileFromUrl, UpdateLog } from "../server/collab/update-log.js";
import type { Db } from "../server/db.js";
import { ensureSpaces } from "../server/domain/docs.js";

const WELCOME = `# Welcome to Docs

Docs are pages everyone in a space can write together, live. Type and see your colleagues' cursors as they type too.

## Tips

- Markdown shortcuts work as you type: \`#\` for a heading, \`-\` for a list, \`[]\` for a check list, \`>\` for a quote.
- Select text and press **Comment** to discuss it; type \`@\` to mention a colleague.
- Lost your connection? Keep typing: your edits sync when you are back.
- **History** shows earlier revisions; restoring one is a new change everyone sees.`;

const LAUNCH = `# Q3 launch brief

Marketing and Product are launching the new invoicing experience on **1 July**.

## Goals

- [x] Agree the launch date
- [ ] Final pricing page copy
- [ ] Customer webinar

## Audience

Finance teams at mid-size companies who told us invoices were *confusing*.

## Timeline

| Week | Marketing | Product |
| --- | --- | --- |
| 24 | Teaser campaign | Beta feedback |
| 26 | Launch post | General availability |`;

const CHECKLIST = `# Launch checklist

1. Release notes reviewed
2. Support team briefed
3. Status page updated`;

const RUNBOOK = `# Platform on-call runbook

> When in doubt, page the on-call lead.

## Deploys

\`\`\`sh
npm run deploy -- --canary
\`\`\`

## Rollback

Use the previous image tag; never rewrite the database migrations.`;

export async function seedDocuments(db: Db, databaseUrl: string): Promise<number> {
  if (await db.document.count()) return 0;
  await ensureSpaces({ db });
  const byEmail = async (email: string) => db.user.findUnique({ where: { email }, select: { id: true, departmentId: true } });
  const byName = async (name: string) => db.user.findFirst({ where: { name }, select: { id: true, departmentId: true } });
  const harriet = await byName("Harriet Blake");
  const leo = await byEmail("member@atrium.test");
  const admin = await byEmail("admin@atrium.test");
  const product = await db.department.findUnique({ where: { name: "Product" }, select: { id: true } });
  const squad = await db.team.findUnique({ where: { name: "Launch Squad" }, select: { id: true } });
  if (!harriet || !leo || !admin) return 0;
  const spaceOf = async (departmentId: string | null) =>
    (await db.space.findFirst({ where: departmentId ? { departmentId } : { kind: "company" }, select: { id: true } }))!.id;

  const log = new UpdateLog(sqliteFileFromUrl(databaseUrl));
  let n = 0;
  const create = async (owner: { id: string; departmentId: string | null }, title: string, markdown: string, opts: { spaceDept: string | null; visibility: string; parentId?: string }) => {
    const state = markdownToState(markdown);
    const now = new Date();
    const doc = await db.document.create({
      data: {
        title,
        spaceId: await spaceOf(opts.spaceDept),
        parentId: opts.parentId ?? null,
        visibility: opts.visibility,
        departmentId: opts.spaceDept ?? owner.departmentId,
        ownerId: owner.id,
        lastEditedAt: now,
        lastEditedById: owner.id,
        plainText: readState(state).text,
        textSeq: 1,
      },
    });
    log.appendMany([{ docId: doc.id, seq: 1, update: state, userId: owner.id, at: now }]);
    n++;
    return doc.id;
  };
  try {
    await create(admin, "Welcome to Docs", WELCOME, { spaceDept: null, visibility: "company" });
    const brief = await create(harriet, "Q3 launch brief", LAUNCH, { spaceDept: harriet.departmentId, visibility: "department" });
    await create(harriet, "Launch checklist", CHECKLIST, { spaceDept: harriet.departmentId, visibility: "department", parentId: brief });
    if (product) await db.docShare.create({ data: { docId: brief, principalType: "department", principalId: product.id, role: "editor", createdById: harriet.id } });
    if (squad) await db.docShare.create({ data: { docId: brief, principalType: "team", principalId: squad.id, role: "editor", createdById: harriet.id } });
    await create(leo, "Platform on-call runbook", RUNBOOK, { spaceDept: leo.departmentId, visibility: "department" });
  } finally {
    log.close();
  }
  return n;
}
