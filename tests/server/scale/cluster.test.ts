/**
 * Two Atrium instances sharing one database and one Redis behave as one: Socket.io broadcasts,
 * domain events, indexes, presence, rate limits and sweep leadership cross instances.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { Redis } from "ioredis";
import { RateLimitedError } from "../../../server/domain/errors.js";
import { RedisLeader } from "../../../server/infra/leader.js";
import { userRoom } from "../../../server/realtime/socket-server.js";
import { makeUser, sessionCookieFor } from "../../helpers/app.js";
import { dropPrefix, startCluster, TEST_REDIS_URL, testPrefix, type Instance } from "../../helpers/redis.js";
import { connect, type TestSocket } from "../../helpers/server-socket.js";
import { ask, body } from "../questions/helpers.js";

let cluster: Awaited<ReturnType<typeof startCluster>>;
let a: Instance;
let b: Instance;
let sockets: TestSocket[] = [];

// A cluster of its own for each test: one stops the leader, others leave people online or
// sign-ins counted, and none may depend on what another left behind.
beforeEach(async () => {
  cluster = await startCluster({ env: { LOGIN_MAX_ATTEMPTS: "4", PRESENCE_GRACE_MS: "400" }, scale: { leaderTtlMs: 900, heartbeatMs: 300 } });
  a = await cluster.start("a");
  b = await cluster.start("b");
});
afterEach(async () => {
  for (const s of sockets) s.disconnect();
  sockets = [];
  await cluster?.close();
});

async function socketOn(inst: Instance, cookie: string) {
  const { socket, snapshot } = await connect(inst.url, cookie);
  sockets.push(socket);
  return { socket, snapshot };
}

describe("two instances, one Redis", () => {
  test("the readiness probe reaches Redis", async () => {
    expect(a.atrium.scale.mode).toBe("redis");
    expect(await a.atrium.scale.ready()).toBe(true);
  });

  test("a Socket.io broadcast made on A reaches a socket connected to B", async () => {
    const { user, password } = await makeUser(a.atrium);
    const { socket } = await socketOn(b, await sessionCookieFor(a.atrium, user.email, password));
    const got = new Promise((resolve) => socket.once("notification.read", resolve));
    a.atrium.io.to(userRoom(user.id)).emit("notification.read", { unread: 7 });
    expect(await got).toEqual({ unread: 7 });
  });

  test("a question asked on A: B's sockets hear it once, its feed row is written once, B's search and similar questions find it within 1 s", async () => {
    const { actor, user, password } = await makeUser(a.atrium);
    const { socket } = await socketOn(b, await sessionCookieFor(b.atrium, user.email, password));
    const heard: string[] = [];
    socket.on("question.asked", (p) => void heard.push(p.questionId));
    const q = await ask(a.atrium, actor, { title: "Where is the zephyrquokka printer driver?", body: body("The zephyrquokka driver is missing.") });
    const t0 = Date.now();
    await expect.poll(async () => (await b.atrium.domain.search.search(actor, { q: "zephyrquokka" })).total, { timeout: 1000, interval: 20 }).toBe(1);
    await expect
      .poll(async () => (await b.atrium.domain.questions.similarQuestions(actor, { title: "zephyrquokka printer driver" })).map((s) => s.id), { timeout: 1000 - (Date.now() - t0), interval: 20 })
      .toContain(q.id);
    // A later question's event arriving proves the first was not sent twice.
    const q2 = await ask(a.atrium, actor, { title: "Is the velvetheron room free today?" });
    await expect.poll(() => heard).toContain(q2.id);
    expect(heard.filter((id) => id === q.id)).toHaveLength(1);
    expect(await a.atrium.db.activityItem.count({ where: { questionId: q.id, kind: "question.asked" } })).toBe(1);
  });

  test("a profile changed on A is found in B's people directory within 1 s", async () => {
    const { actor } = await makeUser(a.atrium);
    await a.atrium.domain.people.updateProfile(actor, actor.id, { name: "Quillon Marbleworth", timeZone: "UTC", skills: [] });
    await expect
      .poll(async () => (await b.atrium.domain.people.searchDirectory(actor, { q: "Marbleworth" })).people.map((p) => p.id), { timeout: 1000, interval: 20 })
      .toEqual([actor.id]);
  });

  test("failed sign-ins count across A and B: over the limit, even the right password is refused on both and no session starts", async () => {
    const { user, password } = await makeUser(a.atrium);
    const meta = { ip: "10.9.8.7", userAgent: "test" };
    const wrong = (inst: Instance) => inst.atrium.domain.accounts.signIn({ email: user.email, password: "not-the-password" }, meta).catch((e) => e);
    expect((await wrong(a)).constructor.name).toBe("ValidationError");
    expect((await wrong(b)).constructor.name).toBe("ValidationError");
    expect((await wrong(a)).constructor.name).toBe("ValidationError");
    expect((await wrong(b)).constructor.name).toBe("ValidationError");
    const sessionsBefore = await a.atrium.db.session.count({ where: { userId: user.id } });
    for (const inst of [a, b]) await expect(inst.atrium.domain.accounts.signIn({ email: user.email, password }, meta)).rejects.toBeInstanceOf(RateLimitedError);
    expect(await a.atrium.db.session.count({ where: { userId: user.id } })).toBe(sessionsBefore);
    // Another address is not locked out.
    await expect(b.atrium.domain.accounts.signIn({ email: user.email, password }, { ...meta, ip: "10.9.8.8" })).resolves.toMatchObject({ user: { id: user.id } });
  });

  test("someone online on A is online on B; after they leave, offline on B after the grace period", async () => {
    const { user, password } = await makeUser(a.atrium);
    const { user: watcher, password: wp } = await makeUser(a.atrium);
    const { socket: watching } = await socketOn(b, await sessionCookieFor(b.atrium, watcher.email, wp));
    const changes: string[] = [];
    watching.on("presence.changed", (p) => void (p.userId === user.id && changes.push(p.state)));
    const { socket } = await socketOn(a, await sessionCookieFor(a.atrium, user.email, password));
    await expect.poll(() => b.atrium.presence.stateOf(user.id)).toBe("online");
    await expect.poll(() => changes).toEqual(["online"]);
    const { snapshot } = await socketOn(b, await sessionCookieFor(b.atrium, watcher.email, wp));
    expect(snapshot).toContainEqual({ userId: user.id, state: "online" });
    socket.disconnect();
    const left = Date.now();
    await expect.poll(() => changes).toEqual(["online", "offline"]);
    expect(Date.now() - left).toBeGreaterThanOrEqual(350);
    expect(b.atrium.presence.stateOf(user.id)).toBe("offline");
  });

  test("exactly one instance runs the sweeps; when it stops, the other takes over, and its people go offline after the grace period", async () => {
    const leaders = [a, b].filter((i) => i.atrium.scale.leadership.isLeader());
    expect(leaders).toHaveLength(1);
    const [leader, other] = leaders[0] === a ? [a, b] : [b, a];
    expect(leader.atrium.insightSla.tick()).toBeInstanceOf(Promise);
    expect(other.atrium.insightSla.tick()).toBeUndefined();
    expect(other.atrium.digests.tick()).toBeUndefined();

    const { user, password } = await makeUser(a.atrium);
    await socketOn(leader, await sessionCookieFor(a.atrium, user.email, password));
    await expect.poll(() => other.atrium.presence.stateOf(user.id)).toBe("online");
    // Timed from before the close: the close announces the stop and then still shuts the rest down.
    const stopped = Date.now();
    await leader.close();
    await expect.poll(() => other.atrium.scale.leadership.isLeader()).toBe(true);
    expect(other.atrium.insightSla.tick()).toBeInstanceOf(Promise);
    await expect.poll(() => other.atrium.presence.stateOf(user.id)).toBe("offline");
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(350);
  });

  test("an instance that dies without a word stops counting: its people go offline on every other instance after its key expires and the grace period", async () => {
    const c = await cluster.start("c");
    const { user, password } = await makeUser(c.atrium);
    await socketOn(c, await sessionCookieFor(c.atrium, user.email, password));
    const states = () => [a, b].map((i) => i.atrium.presence.stateOf(user.id));
    await expect.poll(states).toEqual(["online", "online"]);
    c.atrium.presence.stop(); // no more heartbeats, nothing announced: as if the process died
    const died = Date.now();
    // Both survivors notice; whichever clears the dead instance's entries first, both hear of it.
    await expect.poll(states, { timeout: 10_000 }).toEqual(["offline", "offline"]);
    // Its liveness key lives 3 heartbeats (900 ms), then the grace period (400 ms) runs.
    expect(Date.now() - died).toBeGreaterThanOrEqual(900);
    await c.close();
  });
});

test("a leader that dies without letting go (its Redis connection lost) is replaced once its lock expires", async () => {
  const prefix = testPrefix();
  const c1 = new Redis(TEST_REDIS_URL);
  const c2 = new Redis(TEST_REDIS_URL);
  c1.on("error", () => {});
  const l1 = new RedisLeader(c1, `${prefix}leader`, "one", 600);
  const l2 = new RedisLeader(c2, `${prefix}leader`, "two", 600);
  try {
    await l1.start();
    await l2.start();
    expect([l1.isLeader(), l2.isLeader()]).toEqual([true, false]);
    c1.disconnect(); // no renewal, no release
    const died = Date.now();
    await expect.poll(() => l2.isLeader(), { timeout: 5000 }).toBe(true);
    expect(Date.now() - died).toBeGreaterThanOrEqual(300);
    await expect.poll(() => l1.isLeader()).toBe(false);
  } finally {
    await l1.stop();
    await l2.stop();
    c2.disconnect();
    await dropPrefix(prefix);
  }
});
