/**
 * The image sweep (decision 046): an uploaded image that neither the document's content nor any of
 * its revisions refers to is removed (file and row) once past the grace period; referenced ones stay.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { markdownToState, replaceContentUpdate } from "../../../server/collab/headless.js";
import { NotFoundError } from "../../../server/domain/errors.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { docsWorld, type World } from "./world.js";

let app: TestApp;
let w: World;
const docs = () => app.atrium.domain.docs;
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

beforeAll(async () => {
  app = await startTestApp();
  w = await docsWorld(app.atrium);
});
afterAll(() => app?.close());

async function setContent(docId: string, markdown: string) {
  const collab = app.atrium.ctx.collab;
  await collab.submit(docId, replaceContentUpdate(collab.state(docId), markdownToState(markdown)), { userId: w.people.mia.user.id });
}

describe("cleanupImages", () => {
  test("keeps images in the content or in a revision, removes the rest after the grace period", async () => {
    const { id } = await docs().createDocument(w.people.mia.actor, { title: "Pictures", spaceId: w.space.marketing.id });
    const [a, b, c] = [await docs().uploadImage(w.people.mia.actor, id, { bytes: png, name: "a.png" }), await docs().uploadImage(w.people.mia.actor, id, { bytes: png, name: "b.png" }), await docs().uploadImage(w.people.mia.actor, id, { bytes: png, name: "c.png" })];
    const file = (imageId: string) => path.resolve(app.atrium.ctx.env.DOC_FILES_DIR, id, `${imageId}.png`);
    await setContent(id, `Old picture ![b](${b.url})`);
    await docs().captureRevision(w.people.mia.actor, id); // b lives on in a revision
    await setContent(id, `New picture ![a](${a.url})`);

    // Within the grace period nothing goes, even the unreferenced one.
    expect(await docs().cleanupImages()).toMatchObject({ checked: 0, removed: 0 });
    expect(existsSync(file(c.id))).toBe(true);

    expect(await docs().cleanupImages({ olderThanMs: 0 })).toEqual({ checked: 3, removed: 1, bytes: png.byteLength });
    expect(existsSync(file(a.id))).toBe(true);
    expect(existsSync(file(b.id))).toBe(true);
    expect(existsSync(file(c.id))).toBe(false);
    expect((await docs().readImage(w.people.mia.actor, id, a.id)).mime).toBe("image/png");
    await expect(docs().readImage(w.people.mia.actor, id, c.id)).rejects.toBeInstanceOf(NotFoundError);
    // Run again: nothing more to do.
    expect(await docs().cleanupImages({ olderThanMs: 0 })).toMatchObject({ checked: 2, removed: 0 });
  });
});
