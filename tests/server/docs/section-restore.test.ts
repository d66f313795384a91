/**
 * Story 3's "restore yesterday's revision of one section" against a real server: the comparison
 * readers see, the refused paths (viewers, bad input — the document unharmed), and a restore
 * while another editor keeps typing in a different section, with headless Yjs clients over
 * Socket.io: both changes survive and everyone converges.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import { readState } from "../../../server/collab/headless.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../server/domain/errors.js";
import { sessionCookieFor, startTestApp, type TestApp } from "../../helpers/app.js";
import { closeAllSockets } from "../../helpers/server-socket.js";
import { docsWorld, snapshotDoc, type World } from "./world.js";
import { converged, until, yClient, type YClient } from "./yjs-clients.js";

let app: TestApp;
let w: World;
const cookies: Record<string, string> = {};
const open: YClient[] = [];
const docs = () => app.atrium.domain.docs;
const serverText = (id: string) => readState(app.atrium.ctx.collab.state(id)).text;
const clientText = (c: YClient) => readState(Y.encodeStateAsUpdate(c.doc)).text;

async function client(who: keyof World["people"], docId: string) {
  const c = await yClient(app.url, cookies[who]!, docId);
  open.push(c);
  return c;
}

/** The XmlText of top-level block `i` (what Lexical's binding writes). */
const block = (doc: Y.Doc, i: number) => (doc.get("root", Y.XmlText).toDelta() as { insert: Y.XmlText }[])[i]!.insert;

async function refused(docId: string, fn: () => Promise<unknown>, type: new (...a: any[]) => Error) {
  const before = await snapshotDoc(app.atrium, docId);
  const state = app.atrium.ctx.collab.peekState(docId);
  const err = await fn().then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(type);
  expect(await snapshotDoc(app.atrium, docId)).toEqual(before);
  expect(app.atrium.ctx.collab.peekState(docId)).toEqual(state);
  return err as Error;
}

/** Waits until the document row holds the settled text (the collab service writes it after the edit). */
async function storedTextIncludes(docId: string, text: string, timeoutMs = 5_000) {
  await expect
    .poll(async () => (await app.atrium.db.document.findUnique({ where: { id: docId }, select: { plainText: true } }))?.plainText ?? "", { timeout: timeoutMs, interval: 5 })
    .toContain(text);
}

const BRIEF = "Intro\n\n# Plan\n\nLaunch in May.\n\n# Budget\n\nTen thousand.";

beforeAll(async () => {
  app = await startTestApp({ env: { DOC_SETTLE_MS: "50" } });
  w = await docsWorld(app.atrium);
  for (const [k, p] of Object.entries(w.people)) cookies[k] = await sessionCookieFor(app.atrium, p.user.email, p.password);
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  closeAllSockets();
});
afterAll(() => app?.close());

describe("comparing a revision with today", () => {
  test("readers see added / removed / changed blocks and which sections differ; only editors may restore", async () => {
    const { id } = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: BRIEF });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    const a = await client("mia", id);
    block(a.doc, 2).insert(block(a.doc, 2).length, " Or June.");
    await until(() => serverText(id).includes("Or June."), "edit accepted");
    await storedTextIncludes(id, "Or June."); // the settled text is written (later on PostgreSQL), so the refusal below compares a quiet document

    const cmp = await docs().compareRevision(w.people.pat.actor, id, rev);
    expect(cmp.canRestore).toBe(false);
    expect(cmp.changes.map((c) => c.op)).toEqual(["same", "same", "changed", "same", "same"]);
    expect(cmp.changes[2]!.words).toEqual([
      { op: "same", text: "Launch in May." },
      { op: "added", text: " Or June." },
    ]);
    expect(cmp.sections.map((s) => [s.section, s.title, s.status])).toEqual([
      ["preamble", "Before the first heading", "same"],
      ["1", "Plan", "changed"],
      ["3", "Budget", "same"],
    ]);
    expect((await docs().compareRevision(w.people.max.actor, id, rev)).canRestore).toBe(true);
    await refused(id, () => docs().compareRevision(w.people.pia.actor, id, rev), ForbiddenError);
  });
});

describe("restoring one section", () => {
  test("refused for a viewer and for bad input, with the document unharmed", async () => {
    const { id } = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: BRIEF });
    await docs().shareDocument(w.people.mia.actor, id, { principalType: "user", principalId: w.people.pat.user.id, role: "viewer" });
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    await refused(id, () => docs().restoreRevisionSection(w.people.pat.actor, id, { revisionId: rev, section: 1 }), ForbiddenError);
    await refused(id, () => docs().restoreRevisionSection(w.people.pia.actor, id, { revisionId: rev, section: 1 }), ForbiddenError);
    const notHeading = await refused(id, () => docs().restoreRevisionSection(w.people.max.actor, id, { revisionId: rev, section: 2 }), ValidationError);
    expect((notHeading as ValidationError).fieldErrors.section?.[0]).toMatch(/no section starting there/);
    const junk = await refused(id, () => docs().restoreRevisionSection(w.people.max.actor, id, { revisionId: rev, section: "first" }), ValidationError);
    expect((junk as ValidationError).fieldErrors.section).toEqual(["Choose a section of the revision."]);
    await refused(id, () => docs().restoreRevisionSection(w.people.max.actor, id, { revisionId: "", section: 1 }), ValidationError);
    await refused(id, () => docs().restoreRevisionSection(w.people.max.actor, id, { revisionId: "nope", section: 1 }), NotFoundError);
  });

  test("while another editor types in a different section: the restore and every keystroke survive, all converge, durably", async () => {
    const { id } = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: BRIEF });
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    const [a, b] = await Promise.all([client("mia", id), client("max", id)]);
    // Today: Mia rewrote the plan.
    const plan = block(a.doc, 2);
    // (Lexical's binding: the text node's properties are an embed at 0, its characters follow.)
    plan.delete(1, plan.length - 1);
    plan.insert(1, "Launch whenever.");
    await converged([a, b]);
    expect(clientText(b)).toContain("Launch whenever.");

    // Max keeps typing in the budget while Mia restores yesterday's plan: half his keystrokes are
    // in before the restore starts, the rest go out one by one (each waiting for the server's ack)
    // while it runs.
    let restored!: ReturnType<ReturnType<typeof docs>["restoreRevisionSection"]>;
    for (let i = 0; i < 15; i++) {
      if (i === 7) restored = docs().restoreRevisionSection(w.people.mia.actor, id, { revisionId: rev, section: 1 });
      block(b.doc, 4).insert(block(b.doc, 4).length, ` b${i}`);
      await until(() => b.provider.pending === 0, `keystroke ${i} acknowledged`);
    }
    const out = await restored;
    expect(out).toEqual({ reinserted: false, blocks: 2 });

    const budget = "Ten thousand." + Array.from({ length: 15 }, (_, i) => ` b${i}`).join("");
    const want = `Intro\n\nPlan\n\nLaunch in May.\n\nBudget\n\n${budget}`;
    await until(() => clientText(a) === want && clientText(b) === want, "both clients have the restore and every keystroke");
    await until(() => serverText(id) === want, "the server too");
    await until(() => a.provider.pending === 0 && b.provider.pending === 0, "all acknowledged");
    // Durable: a fresh load from snapshot + log gives the same.
    for (const c of open.splice(0)) c.close();
    await until(() => app.atrium.ctx.collab.memberCount(id) === 0, "everyone left");
    app.atrium.ctx.collab.unload(id);
    await app.atrium.ctx.collab.open(id); // loaded again from what was stored
    expect(serverText(id)).toBe(want);
    expect((await docs().listRevisions(w.people.mia.actor, id)).map((r) => r.reason)).toContain("restore");
  });

  test("a section deleted since is put back where it was", async () => {
    const { id } = await docs().importMarkdown(w.people.mia.actor, { spaceId: w.space.marketing.id, markdown: BRIEF });
    const rev = (await docs().captureRevision(w.people.mia.actor, id))!;
    const a = await client("mia", id);
    a.doc.get("root", Y.XmlText).delete(1, 2); // the "Plan" heading and its paragraph
    await until(() => serverText(id) === "Intro\n\nBudget\n\nTen thousand.", "deletion accepted");
    const cmp = await docs().compareRevision(w.people.mia.actor, id, rev);
    expect(cmp.sections.find((s) => s.title === "Plan")?.status).toBe("gone");
    expect(cmp.changes.filter((c) => c.op === "removed").map((c) => c.before?.text)).toEqual(["Plan", "Launch in May."]);
    expect(await docs().restoreRevisionSection(w.people.mia.actor, id, { revisionId: rev, section: "1" })).toEqual({ reinserted: true, blocks: 2 });
    await until(() => clientText(a) === "Intro\n\nPlan\n\nLaunch in May.\n\nBudget\n\nTen thousand.", "reinserted, live");
  });
});
