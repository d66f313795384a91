/**
 * The revision verbs field by field: what listing, reading, capturing, restoring, comparing and
 * restoring one section return and store (the injected clock's time, who, the reason, the
 * contributors), that a revision is only ever reached through its own document, and each
 * refusal's status and message with the document unchanged. Each test makes its own documents,
 * so any one of them runs alone.
 */
import { $createParagraphNode, $createTextNode, $getRoot } from "lexical";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { $createMentionNode } from "../../../app/editor/nodes/MentionNode.js";
import { editState, initialState, markdownToState, readState, replaceContentUpdate } from "../../../server/collab/headless.js";
import { Refusal } from "../../../server/collab/validate.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { refusalOf } from "../../helpers/refusals.js";
import { docsWorld, snapshotDoc, type World } from "./world.js";

const clock = manualClock("2031-05-06T08:00:00Z");

let app: TestApp;
let w: World;
const docs = () => app.atrium.domain.docs;
const db = () => app.atrium.db;
const collab = () => app.atrium.ctx.collab;
const text = (id: string) => readState(collab().state(id)).text;

beforeAll(async () => {
  app = await startTestApp({ clock });
  w = await docsWorld(app.atrium);
});
afterAll(() => app?.close());

/** A Marketing document of Mia's imported from `markdown`, which Pat (Product) may only read. */
async function docOf(markdown: string) {
  const { id } = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown });
  await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
  return id;
}

/** Replaces the content as an editor's client would (the collab service counts them as a contributor). */
async function edit(id: string, who: keyof World["people"], markdown: string) {
  await collab().submit(id, replaceContentUpdate(collab().state(id), markdownToState(markdown)), { userId: w.people[who].user.id });
}

/** Refused with this status and message (or field and message); the document and its content unchanged. */
async function refused(id: string, fn: () => Promise<unknown>, status: number, message: string, field?: string) {
  const before = await snapshotDoc(app.atrium, id);
  const revisions = await db().docRevision.findMany({ where: { docId: id }, orderBy: { id: "asc" } });
  const state = collab().peekState(id);
  const err = await refusalOf(fn);
  expect(err.status).toBe(status);
  if (field) expect(err.fieldErrors).toEqual({ [field]: [message] });
  else expect(err.message).toBe(message);
  expect(await snapshotDoc(app.atrium, id)).toEqual(before);
  expect(await db().docRevision.findMany({ where: { docId: id }, orderBy: { id: "asc" } })).toEqual(revisions);
  expect(collab().peekState(id)).toEqual(state);
}

const NO_REVISION = "That revision was not found.";
const NO_ACCESS = "You do not have access to this document.";
const CANNOT = "You cannot do that to this document.";

describe("listing revisions", () => {
  test("newest first, this document's only, each with its time, reason, preview and the contributors who still exist", async () => {
    const id = await docOf("# Plan\n\nfirst");
    const other = await docOf("# Other\n\nelsewhere");
    await db().user.update({ where: { id: w.people.max.user.id }, data: { photoPath: "photos/max.png" } });
    const t1 = clock.tick();
    const first = (await docs().captureRevision(w.people.mia.actor, id))!;
    await docs().captureRevision(w.people.mia.actor, other);
    await edit(id, "max", "# Plan\n\nsecond   take\n\nmore");
    const t2 = clock.tick();
    const second = (await docs().captureRevision(w.people.max.actor, id))!;
    // A revision whose contributors include someone no longer in the directory.
    const t3 = clock.tick();
    const third = await db().docRevision.create({
      data: { docId: id, reason: "burst", state: Buffer.from(collab().state(id)), seq: 0, contributorIds: JSON.stringify([w.people.mia.user.id, "gone-person", w.people.max.user.id]), createdAt: t3, preview: "third" },
    });

    const list = await docs().listRevisions(w.people.pat.actor, id); // a viewer may list
    expect(list.slice(0, 3)).toEqual([
      {
        id: third.id,
        createdAt: t3.toISOString(),
        reason: "burst",
        preview: "third",
        contributors: [
          { id: w.people.mia.user.id, name: "Mia Marketing", initials: "MM", photoUrl: null },
          { id: w.people.max.user.id, name: "Max Marketing", initials: "MM", photoUrl: "/uploads/photos/max.png" },
        ],
      },
      { id: second, createdAt: t2.toISOString(), reason: "manual", preview: "Plan second take more", contributors: [{ id: w.people.max.user.id, name: "Max Marketing", initials: "MM", photoUrl: "/uploads/photos/max.png" }] },
      { id: first, createdAt: t1.toISOString(), reason: "manual", preview: "Plan first", contributors: [{ id: w.people.mia.user.id, name: "Mia Marketing", initials: "MM", photoUrl: null }] },
    ]);
    const stored = await db().docRevision.findMany({ where: { docId: id }, select: { id: true } });
    expect(list.map((r) => r.id).sort()).toEqual(stored.map((r) => r.id).sort());
    await refused(id, () => docs().listRevisions(w.people.pia.actor, id), 403, NO_ACCESS);
  });
});

describe("reading one revision", () => {
  test("a viewer reads its time, reason, editor state and text; another document's revision, an unknown one and an outsider are refused", async () => {
    const id = await docOf("# Plan\n\nfirst");
    const other = await docOf("# Other\n\nelsewhere");
    const at = clock.tick();
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    const otherRev = (await docs().captureRevision(w.people.mia.actor, other))!;
    await edit(id, "max", "# Plan\n\nchanged");

    const view = await docs().getRevision(w.people.pat.actor, id, rev);
    expect(view).toMatchObject({ id: rev, createdAt: at.toISOString(), reason: "manual", text: "Plan\n\nfirst" });
    const json = JSON.parse(view.editorState) as { root: { children: { type: string }[] } };
    expect(json.root.children.map((c) => c.type)).toEqual(["heading", "paragraph"]);
    expect(Object.keys(view).sort()).toEqual(["createdAt", "editorState", "id", "reason", "text"]);

    await refused(id, () => docs().getRevision(w.people.mia.actor, id, otherRev), 404, NO_REVISION);
    await refused(id, () => docs().getRevision(w.people.mia.actor, id, "no-such-revision"), 404, NO_REVISION);
    await refused(id, () => docs().getRevision(w.people.pia.actor, id, rev), 403, NO_ACCESS);
  });
});

describe("capturing a revision", () => {
  test("stores the content by the one who asked, at the clock's time, as a manual save; a viewer is refused", async () => {
    const id = await docOf("# Notes\n\none");
    await edit(id, "max", "# Notes\n\ntwo");
    const at = clock.tick();
    const rid = (await docs().captureRevision(w.people.mia.actor, id))!;
    const row = await db().docRevision.findUniqueOrThrow({ where: { id: rid } });
    expect(row).toMatchObject({ docId: id, reason: "manual", createdById: w.people.mia.user.id, contributorIds: JSON.stringify([w.people.mia.user.id]), createdAt: at, preview: "Notes two" });
    expect(readState(new Uint8Array(row.state)).text).toBe("Notes\n\ntwo");
    await refused(id, () => docs().captureRevision(w.people.pat.actor, id), 403, CANNOT);
    await refused(id, () => docs().captureRevision(w.people.pia.actor, id), 403, CANNOT);
  });
});

describe("restoring a revision", () => {
  test("closes the open burst, keeps today's content as a restore revision by whoever restored, then puts the revision back", async () => {
    const id = await docOf("# Plan\n\noriginal");
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    await edit(id, "max", "# Plan\n\nchanged by Max");
    const known = new Set((await db().docRevision.findMany({ where: { docId: id }, select: { id: true } })).map((r) => r.id));
    clock.tick();
    await docs().restoreRevision(w.people.mia.actor, id, rev);
    expect(text(id)).toBe("Plan\n\noriginal");

    const added = (await db().docRevision.findMany({ where: { docId: id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).filter((r) => !known.has(r.id));
    const restore = added.find((r) => r.reason === "restore")!;
    expect(restore).toMatchObject({ createdById: w.people.mia.user.id, contributorIds: "[]", preview: "Plan changed by Max" });
    expect(readState(new Uint8Array(restore.state)).text).toBe("Plan\n\nchanged by Max");
    // Max's pending edits were closed as their own revision first.
    expect(added.map((r) => [r.reason, r.contributorIds])).toEqual([
      ["burst", JSON.stringify([w.people.max.user.id])],
      ["restore", "[]"],
    ]);
  });

  test("another document's revision, an unknown one, a viewer and an outsider are refused with nothing changed", async () => {
    const id = await docOf("# Plan\n\nmine");
    const other = await docOf("# Other\n\nnot mine");
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    const otherRev = (await docs().captureRevision(w.people.mia.actor, other))!;
    await edit(id, "mia", "# Plan\n\nmine, edited");
    await refused(id, () => docs().restoreRevision(w.people.max.actor, id, otherRev), 404, NO_REVISION);
    await refused(id, () => docs().restoreRevision(w.people.max.actor, id, "no-such-revision"), 404, NO_REVISION);
    await refused(id, () => docs().restoreRevision(w.people.pat.actor, id, rev), 403, CANNOT);
    await refused(id, () => docs().restoreRevision(w.people.pia.actor, id, rev), 403, CANNOT);
    expect(text(id)).toBe("Plan\n\nmine, edited");
  });

  test("a change the collab service refuses is a form error naming its reason; any other failure passes through", async () => {
    const id = await docOf("# Plan\n\nfirst");
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    await edit(id, "mia", "# Plan\n\nsecond");
    const spy = vi.spyOn(collab(), "submit").mockRejectedValueOnce(new Refusal("too-large", "big"));
    try {
      const err = await refusalOf(() => docs().restoreRevision(w.people.mia.actor, id, rev));
      expect(err.status).toBe(422);
      expect(err.fieldErrors).toEqual({ form: ["The revision could not be restored (too-large)."] });
      const boom = new Error("disk on fire");
      spy.mockRejectedValueOnce(boom);
      expect(await refusalOf(() => docs().restoreRevision(w.people.mia.actor, id, rev))).toBe(boom);
    } finally {
      spy.mockRestore();
    }
    expect(text(id)).toBe("Plan\n\nsecond");
  });
});

const BRIEF = "Intro\n\n# Plan\n\nLaunch in May.\n\n## Detail\n\nSmall print.\n\n# Budget\n\nTen thousand.";

describe("comparing a revision with today", () => {
  test("each change with its blocks' index, kind, level and text; words only for a changed block; each section's start, title, level, size and status", async () => {
    const id = await docOf(BRIEF);
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    await edit(id, "max", "Intro\n\n# Plan\n\nLaunch in June.\n\n## Detail\n\nSmall print.\n\nNew line.");
    const cmp = await docs().compareRevision(w.people.pat.actor, id, rev);
    expect(cmp.canRestore).toBe(false);
    expect(cmp.changes).toEqual([
      { op: "same", before: { index: 0, kind: "Paragraph", level: 0, text: "Intro" }, after: { index: 0, kind: "Paragraph", level: 0, text: "Intro" }, words: null },
      { op: "same", before: { index: 1, kind: "Heading 1", level: 1, text: "Plan" }, after: { index: 1, kind: "Heading 1", level: 1, text: "Plan" }, words: null },
      {
        op: "changed",
        before: { index: 2, kind: "Paragraph", level: 0, text: "Launch in May." },
        after: { index: 2, kind: "Paragraph", level: 0, text: "Launch in June." },
        words: expect.arrayContaining([{ op: "same", text: "Launch in " }]),
      },
      { op: "same", before: { index: 3, kind: "Heading 2", level: 2, text: "Detail" }, after: { index: 3, kind: "Heading 2", level: 2, text: "Detail" }, words: null },
      { op: "same", before: { index: 4, kind: "Paragraph", level: 0, text: "Small print." }, after: { index: 4, kind: "Paragraph", level: 0, text: "Small print." }, words: null },
      { op: "removed", before: { index: 5, kind: "Heading 1", level: 1, text: "Budget" }, after: null, words: null },
      { op: "removed", before: { index: 6, kind: "Paragraph", level: 0, text: "Ten thousand." }, after: null, words: null },
      { op: "added", before: null, after: { index: 5, kind: "Paragraph", level: 0, text: "New line." }, words: null },
    ]);
    expect(cmp.sections).toEqual([
      { section: "preamble", start: 0, title: "Before the first heading", level: 0, blocks: 1, status: "same" },
      { section: "1", start: 1, title: "Plan", level: 1, blocks: 4, status: "changed" },
      { section: "3", start: 3, title: "Detail", level: 2, blocks: 2, status: "changed" },
      { section: "5", start: 5, title: "Budget", level: 1, blocks: 2, status: "gone" },
    ]);
    expect((await docs().compareRevision(w.people.mia.actor, id, rev)).canRestore).toBe(true);
  });

  test("a mention reads as the person's name today on both sides, whatever label the client wrote", async () => {
    const id = await docOf("# Plan\n\nfirst");
    const pia = w.people.pia.user;
    const mention = (label: string, tail: string) =>
      editState(initialState(), () => {
        const p = $createParagraphNode();
        p.append($createTextNode("Ask "), $createMentionNode(pia.id, label), $createTextNode(tail));
        $getRoot().clear().append(p);
      });
    await collab().submit(id, replaceContentUpdate(collab().state(id), mention("The CEO", " today")), { userId: w.people.mia.user.id });
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    await collab().submit(id, replaceContentUpdate(collab().state(id), mention("Someone", " tomorrow")), { userId: w.people.mia.user.id });
    const cmp = await docs().compareRevision(w.people.mia.actor, id, rev);
    expect(cmp.changes.map((c) => [c.op, c.before?.text, c.after?.text])).toEqual([["changed", "Ask @Pia Product today", "Ask @Pia Product tomorrow"]]);
    expect(JSON.stringify(cmp)).not.toMatch(/The CEO|Someone/);
  });

  test("another document's revision, an unknown one and an outsider are refused", async () => {
    const id = await docOf("# Plan\n\nmine");
    const other = await docOf("# Other\n\nnot mine");
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    const otherRev = (await docs().captureRevision(w.people.mia.actor, other))!;
    await refused(id, () => docs().compareRevision(w.people.mia.actor, id, otherRev), 404, NO_REVISION);
    await refused(id, () => docs().compareRevision(w.people.mia.actor, id, "no-such-revision"), 404, NO_REVISION);
    await refused(id, () => docs().compareRevision(w.people.pia.actor, id, rev), 403, NO_ACCESS);
  });
});

describe("restoring one section", () => {
  test("the part before the first heading: the rest untouched, today's content kept as a restore revision by whoever restored", async () => {
    const id = await docOf(BRIEF);
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    await edit(id, "max", "Intro, rewritten\n\nand more\n\n# Plan\n\nLaunch in June.\n\n## Detail\n\nSmall print.\n\n# Budget\n\nTen thousand.");
    const known = new Set((await db().docRevision.findMany({ where: { docId: id }, select: { id: true } })).map((r) => r.id));
    expect(await docs().restoreRevisionSection(w.people.mia.actor, id, { revisionId: rev, section: "preamble" })).toEqual({ reinserted: false, blocks: 1 });
    expect(text(id)).toBe("Intro\n\nPlan\n\nLaunch in June.\n\nDetail\n\nSmall print.\n\nBudget\n\nTen thousand.");
    const added = (await db().docRevision.findMany({ where: { docId: id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).filter((r) => !known.has(r.id));
    expect(added.map((r) => [r.reason, r.contributorIds, r.createdById])).toEqual([
      ["burst", JSON.stringify([w.people.max.user.id]), null],
      ["restore", "[]", w.people.mia.user.id],
    ]);
    expect(readState(new Uint8Array(added[1]!.state)).text).toContain("Intro, rewritten");
  });

  test("a nested section by its heading's index, given as a number", async () => {
    const id = await docOf(BRIEF);
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    await edit(id, "max", "Intro\n\n# Plan\n\nLaunch in June.\n\n## Detail\n\nLarge print.\n\n# Budget\n\nTen thousand.");
    expect(await docs().restoreRevisionSection(w.people.mia.actor, id, { revisionId: rev, section: 3 })).toEqual({ reinserted: false, blocks: 2 });
    expect(text(id)).toBe("Intro\n\nPlan\n\nLaunch in June.\n\nDetail\n\nSmall print.\n\nBudget\n\nTen thousand.");
  });

  test("another document's revision, a block that is no heading or past the end, a viewer and an outsider are refused with nothing changed", async () => {
    const id = await docOf(BRIEF);
    const other = await docOf(BRIEF.replace("Intro", "Other"));
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    const otherRev = (await docs().captureRevision(w.people.mia.actor, other))!;
    await edit(id, "mia", "Intro\n\n# Plan\n\nLaunch in June.");
    const none = "That revision has no section starting there; reload the history and choose again.";
    await refused(id, () => docs().restoreRevisionSection(w.people.max.actor, id, { revisionId: otherRev, section: 1 }), 404, NO_REVISION);
    await refused(id, () => docs().restoreRevisionSection(w.people.max.actor, id, { revisionId: rev, section: 0 }), 422, none, "section");
    await refused(id, () => docs().restoreRevisionSection(w.people.max.actor, id, { revisionId: rev, section: 7 }), 422, none, "section");
    await refused(id, () => docs().restoreRevisionSection(w.people.pat.actor, id, { revisionId: rev, section: 1 }), 403, CANNOT);
    await refused(id, () => docs().restoreRevisionSection(w.people.pia.actor, id, { revisionId: rev, section: 1 }), 403, CANNOT);
  });

  test("a change the collab service refuses is a form error naming its reason; any other failure passes through", async () => {
    const id = await docOf(BRIEF);
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    await edit(id, "mia", "Intro\n\n# Plan\n\nLaunch in June.");
    const spy = vi.spyOn(collab(), "submit").mockRejectedValueOnce(new Refusal("read-only"));
    try {
      const err = await refusalOf(() => docs().restoreRevisionSection(w.people.mia.actor, id, { revisionId: rev, section: 1 }));
      expect(err.status).toBe(422);
      expect(err.fieldErrors).toEqual({ form: ["The section could not be restored (read-only)."] });
      const boom = new Error("disk on fire");
      spy.mockRejectedValueOnce(boom);
      expect(await refusalOf(() => docs().restoreRevisionSection(w.people.mia.actor, id, { revisionId: rev, section: 1 }))).toBe(boom);
    } finally {
      spy.mockRestore();
    }
    expect(text(id)).toBe("Intro\n\nPlan\n\nLaunch in June.");
  });
});
