/**
 * Each instance remembers up to 5,000 typed tag names with their vocabulary entries. The insight
 * whose names take the memory over its bound keeps its tags: the memory is cleared after they are
 * taken from it. Slow (252 insights of 20 new tags each), so it is not among the mutation area's tests.
 * The memory is the same in-process code whatever the database, so it runs on SQLite only (it takes
 * about five minutes on PostgreSQL on a loaded machine, for nothing the SQLite run does not prove).
 */
import { afterEach, expect, test } from "vitest";
import { makeUser, startTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_DB } from "../../helpers/db.js";
import { fakeClock } from "./factories.js";

let app: TestApp;
afterEach(() => app?.close());

test.skipIf(TEST_DB === "postgresql")("past 5,000 remembered tag names, the insight that goes over still gets its tags, and the next ones too", { timeout: 600_000 }, async () => {
  const clock = fakeClock(new Date("2031-05-12T08:00:00Z"));
  app = await startTestApp({ clock, env: { INSIGHT_SLA_SWEEP_MS: "3600000" } });
  const agent = await makeUser(app.atrium, { name: "Sam Support" });
  // 20 new names per insight: the 251st takes the memory to 5,020, over its bound; the 252nd
  // finds it empty again.
  for (let n = 1; n <= 252; n++) {
    clock.advance(1_000);
    const names = (kind: string) => Array.from({ length: 10 }, (_, k) => `${kind}-${n}-${k}`);
    const i = await app.atrium.domain.insights.createInsight(agent.actor, { text: "Lovely staff in the Leeds store", channel: "store", products: names("p"), topics: names("t") });
    expect(i.tags.map((t) => `${t.kind}:${t.name}`).sort()).toEqual([...names("p").map((x) => `product:${x}`), ...names("t").map((x) => `topic:${x}`)].sort());
  }
});
