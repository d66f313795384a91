import { afterEach, describe, expect, test } from "vitest";
import { Redis } from "ioredis";
import { RedisStreamBus } from "../../../server/infra/redis-bus.js";
import { dropPrefix, TEST_REDIS_URL, testPrefix } from "../../helpers/redis.js";

const open: { bus: RedisStreamBus; conns: Redis[] }[] = [];
const prefixes: string[] = [];

async function busFor(prefix: string, instanceId: string, start = true) {
  const redis = new Redis(TEST_REDIS_URL);
  const reader = new Redis(TEST_REDIS_URL);
  const bus = new RedisStreamBus({ redis, reader, stream: `${prefix}events`, cursorKey: `${prefix}events:cursor:${instanceId}`, instanceId });
  await bus.prepare();
  if (start) bus.startReading();
  const entry = { bus, conns: [redis, reader] };
  open.push(entry);
  return {
    bus,
    async stop() {
      await bus.close();
      redis.disconnect();
      open.splice(open.indexOf(entry), 1);
    },
  };
}

afterEach(async () => {
  for (const { bus, conns } of open.splice(0)) {
    await bus.close();
    for (const c of conns) c.disconnect();
  }
  for (const p of prefixes.splice(0)) await dropPrefix(p);
});

const fresh = () => {
  const p = testPrefix();
  prefixes.push(p);
  return p;
};

describe("event bus on a Redis stream", () => {
  test("an event published on A arrives on B, and on A itself exactly once, in order", async () => {
    const prefix = fresh();
    const a = await busFor(prefix, "a");
    const b = await busFor(prefix, "b");
    const onA: string[] = [];
    const onB: string[] = [];
    a.bus.subscribe("person.updated", (p) => void onA.push(p.userId));
    b.bus.subscribe("person.updated", (p) => void onB.push(p.userId));
    for (let i = 0; i < 20; i++) await a.bus.publish("person.updated", { userId: `u${i}` });
    // publish resolves after A's own handlers ran: read-your-writes on the publishing instance.
    expect(onA).toEqual(Array.from({ length: 20 }, (_, i) => `u${i}`));
    await expect.poll(() => onB.length).toBe(20);
    expect(onB).toEqual(onA);
  });

  test("`once` handlers run only where the event was published; the others everywhere", async () => {
    const prefix = fresh();
    const a = await busFor(prefix, "a");
    const b = await busFor(prefix, "b");
    const ran: string[] = [];
    for (const [name, x] of [["a", a], ["b", b]] as const) {
      x.bus.subscribe("doc.created", () => void ran.push(`${name}:once`), { once: true });
      x.bus.subscribe("doc.created", () => void ran.push(`${name}:every`));
      x.bus.subscribeAll((e) => void ran.push(`${name}:all-once:${e}`), { once: true });
    }
    await b.bus.publish("doc.created", { docId: "d1", actorId: "u1", at: new Date(0).toISOString() });
    await expect.poll(() => ran.filter((r) => r.startsWith("a:")).length).toBe(1);
    expect(ran.sort()).toEqual(["a:every", "b:all-once:doc.created", "b:every", "b:once"]);
  });

  test("a handler that publishes does not wait on itself, and its event follows", async () => {
    const prefix = fresh();
    const a = await busFor(prefix, "a");
    const seen: string[] = [];
    a.bus.subscribe("question.asked", async (p) => {
      seen.push("asked");
      await a.bus.publish("feed.recorded", { activityId: p.questionId });
      seen.push("asked-done");
    });
    a.bus.subscribe("feed.recorded", () => void seen.push("recorded"));
    await a.bus.publish("question.asked", { questionId: "q1", title: "t", authorId: "u", tagNames: [], departmentId: null, createdAt: new Date(0).toISOString() });
    await expect.poll(() => seen).toEqual(["asked", "asked-done", "recorded"]);
  });

  test("a restarted instance catches up on what it missed; a brand-new one starts from now", async () => {
    const prefix = fresh();
    const a = await busFor(prefix, "a");
    let b = await busFor(prefix, "b");
    const onB: string[] = [];
    b.bus.subscribe("person.updated", (p) => void onB.push(p.userId));
    await a.bus.publish("person.updated", { userId: "before-restart" });
    await expect.poll(() => onB).toEqual(["before-restart"]);
    await b.stop();
    await a.bus.publish("person.updated", { userId: "missed-1" });
    await a.bus.publish("person.updated", { userId: "missed-2" });
    b = await busFor(prefix, "b", false);
    b.bus.subscribe("person.updated", (p) => void onB.push(p.userId));
    b.bus.startReading();
    await expect.poll(() => onB).toEqual(["before-restart", "missed-1", "missed-2"]);

    const c = await busFor(prefix, "c");
    const onC: string[] = [];
    c.bus.subscribe("person.updated", (p) => void onC.push(p.userId));
    await a.bus.publish("person.updated", { userId: "after-c" });
    await expect.poll(() => onB.at(-1)).toBe("after-c");
    await expect.poll(() => onC).toEqual(["after-c"]);
  });
});
