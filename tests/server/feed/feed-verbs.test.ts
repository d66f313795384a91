/**
 * The feed verbs one by one (server/domain/feed.ts): what each recorder writes, how an item is
 * presented (verb, why, link, excerpt), the cursor, and the live fan-out's matching — the details
 * the end-to-end feed tests (feed.test.ts) pass through without pinning down.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { manualClock } from "../../helpers/clock.js";
import { body } from "../questions/helpers.js";
import { feedWorld, type FeedWorld } from "./world.js";

let app: TestApp;
let w: FeedWorld;
let clock: ReturnType<typeof manualClock>;
const domain = () => app.atrium.domain;

beforeEach(async () => {
  clock = manualClock("2031-04-14T09:00:00Z", { stepMs: 1 });
  app = await startTestApp({ clock });
  w = await feedWorld(app.atrium);
  await domain().follows.followPerson(w.people.ana.actor, w.people.ben.user.id);
});
afterEach(() => app.close());

const feedOf = async (who: keyof FeedWorld["people"], input: Record<string, unknown> = {}) => (await domain().feed.getFeed(w.people[who].actor, input)).items;

describe("presenting", () => {
  test("a long question body is one line, cut to 200 characters with an ellipsis; the actor comes with initials", async () => {
    const words = Array.from({ length: 60 }, (_, n) => `word${n}`).join("  \n ");
    const q = await domain().questions.askQuestion(w.people.ben.actor, { title: "A question with a long body", body: body(words), tags: ["onboarding"] });
    const [item] = await feedOf("ana");
    expect(item).toMatchObject({ kind: "question.asked", title: "A question with a long body", link: `/questions/${q.id}`, actor: { name: "Ben Followed", initials: "BF" } });
    const flat = words.replace(/\s+/g, " ");
    expect(item!.excerpt).toBe(`${flat.slice(0, 199).trimEnd()}…`);
    expect(item!.excerpt).toHaveLength(200);
  });
});
