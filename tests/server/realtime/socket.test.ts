/**
 * Socket.io integration: real server (startTestApp), real socket.io-client connections carrying
 * the session cookie as a browser would. Covers handshake auth, presence across clients and tabs,
 * sessions ending at once (deactivation, sign-out everywhere, sign-out), and per-user events.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, sessionCookieFor, type TestApp } from "../../helpers/app.js";
import { closeAllSockets, connect, record, refusal, until, waitFor, waitForDisconnect } from "../../helpers/server-socket.js";
import { DEFAULT_PASSWORD, makePerson } from "../../factories.js";

const GRACE = 1_000;
const DAY = 86_400_000;
/** Real time, plus an offset the expiry test can move. */
const clock = {
  offset: 0,
  now() {
    return new Date(Date.now() + this.offset);
  },
};

let app: TestApp;
type P = Awaited<ReturnType<typeof makePerson>>;
let admin: P;

beforeAll(async () => {
  app = await startTestApp({ clock, env: { PRESENCE_GRACE_MS: String(GRACE) } });
  admin = await makePerson(app.atrium, { role: "admin", name: "Admin" });
});
afterEach(async () => {
  closeAllSockets();
  clock.offset = 0;
});
afterAll(() => app?.close());

/** A session cookie without the cost of a password check (startSession is what signIn ends with). */
async function cookieFor(p: P) {
  const { token } = await app.atrium.domain.accounts.startSession(p.user.id, { ip: "127.0.0.1", userAgent: "socket-test" });
  return { cookie: `atrium_session=${token}`, token };
}
const person = (name: string) => makePerson(app.atrium, { name });

describe("handshake authentication", () => {
  test("no cookie → refused", async () => {
    expect(await refusal(app.url)).toBe("unauthenticated");
  });

  test("a bogus cookie, another cookie name, or an oversized value → refused", async () => {
    expect(await refusal(app.url, "atrium_session=not-a-real-token")).toBe("unauthenticated");
    expect(await refusal(app.url, "other_cookie=x")).toBe("unauthenticated");
    expect(await refusal(app.url, `atrium_session=${"a".repeat(500)}`)).toBe("unauthenticated");
  });

  test("a cookie from a real sign-in → accepted, with a presence snapshot first", async () => {
    const p = await makePerson(app.atrium, { name: "Signed In" });
    const cookie = await sessionCookieFor(app.atrium, p.user.email, DEFAULT_PASSWORD);
    const { socket, snapshot } = await connect(app.url, cookie);
    expect(socket.connected).toBe(true);
    expect(Array.isArray(snapshot)).toBe(true);
    expect(app.atrium.presence.stateOf(p.user.id)).toBe("online");
  });

  test("a revoked (signed-out) cookie → refused", async () => {
    const p = await person("Revoked");
    const { cookie, token } = await cookieFor(p);
    await app.atrium.domain.accounts.signOut(token);
    expect(await refusal(app.url, cookie)).toBe("unauthenticated");
  });

  test("an expired session → refused", async () => {
    const p = await person("Expired");
    const { cookie } = await cookieFor(p);
    clock.offset = 31 * DAY;
    expect(await refusal(app.url, cookie)).toBe("unauthenticated");
  });

  test("a deactivated person's old cookie → refused", async () => {
    const p = await person("Deactivated Early");
    const { cookie } = await cookieFor(p);
    await app.atrium.domain.accounts.deactivateUser(admin.actor, p.user.id);
    expect(await refusal(app.url, cookie)).toBe("unauthenticated");
  });
});

describe("presence across clients", () => {
  test("B sees A come online; a later client gets A in its snapshot", async () => {
    const [a, b, c] = [await person("Alice Presence"), await person("Bob Watcher"), await person("Carol Late")];
    const { socket: bSock } = await connect(app.url, (await cookieFor(b)).cookie);
    const online = waitFor(bSock, "presence.changed", (e) => e.userId === a.user.id);
    await connect(app.url, (await cookieFor(a)).cookie);
    expect(await online).toEqual({ userId: a.user.id, state: "online" });
    const { snapshot } = await connect(app.url, (await cookieFor(c)).cookie);
    expect(snapshot).toContainEqual({ userId: a.user.id, state: "online" });
    expect(snapshot).toContainEqual({ userId: b.user.id, state: "online" });
  });

  test("two tabs are one presence; offline only after the grace period once both close", async () => {
    const [a, b] = [await person("Tabby Two"), await person("Watcher Two")];
    const { socket: bSock } = await connect(app.url, (await cookieFor(b)).cookie);
    const seen = record(bSock, "presence.changed");
    const forA = () => seen.filter((e) => e.payload.userId === a.user.id).map((e) => e.payload.state);

    const { cookie } = await cookieFor(a);
    const { socket: tab1 } = await connect(app.url, cookie);
    await until(() => forA().length > 0, "A online at B");
    const { socket: tab2 } = await connect(app.url, cookie);
    const presence = app.atrium.presence;
    await until(() => presence.socketsOf(a.user.id).length === 2, "both tabs registered");
    expect(forA()).toEqual(["online"]);

    // One tab closes: the other keeps A online, and no offline countdown starts.
    tab1.disconnect();
    await until(() => presence.socketsOf(a.user.id).length === 1, "tab 1 gone at the server");
    expect(presence.offlinePending(a.user.id)).toBe(false);
    expect(presence.stateOf(a.user.id)).toBe("online");

    const closedAt = performance.now();
    tab2.disconnect();
    // The last tab closed: the countdown runs, and A is still online meanwhile.
    await until(() => presence.offlinePending(a.user.id), "grace period started");
    expect(presence.stateOf(a.user.id)).toBe("online");
    expect(forA()).toEqual(["online"]);
    await until(() => forA().includes("offline"), "A offline at B", GRACE * 3);
    const offlineAt = seen.find((e) => e.payload.userId === a.user.id && e.payload.state === "offline")!.at;
    expect(offlineAt - closedAt).toBeGreaterThanOrEqual(GRACE - 50);
    expect(forA()).toEqual(["online", "offline"]);
  });

  test("a reload within the grace period never shows offline", async () => {
    const [a, b] = [await person("Reloader"), await person("Watcher Three")];
    const { socket: bSock } = await connect(app.url, (await cookieFor(b)).cookie);
    const seen = record(bSock, "presence.changed");
    const forA = () => seen.filter((e) => e.payload.userId === a.user.id).map((e) => e.payload.state);
    const { cookie } = await cookieFor(a);
    const { socket: first } = await connect(app.url, cookie);
    await until(() => forA().length > 0, "A online at B");
    first.disconnect();
    const presence = app.atrium.presence;
    await until(() => presence.offlinePending(a.user.id), "grace period started");
    await connect(app.url, cookie);
    // Reconnecting stopped the countdown: nothing is left that could turn A offline.
    expect(presence.offlinePending(a.user.id)).toBe(false);
    expect(presence.stateOf(a.user.id)).toBe("online");
    expect(forA()).toEqual(["online"]);
  });

  test("idle in every tab → away; active again → online", async () => {
    const [a, b] = [await person("Idler"), await person("Watcher Four")];
    const { socket: bSock } = await connect(app.url, (await cookieFor(b)).cookie);
    const seen = record(bSock, "presence.changed");
    const forA = () => seen.filter((e) => e.payload.userId === a.user.id).map((e) => e.payload.state);
    const { cookie } = await cookieFor(a);
    const { socket: t1 } = await connect(app.url, cookie);
    const { socket: t2 } = await connect(app.url, cookie);
    await until(() => forA().length > 0, "A online at B");
    t1.emit("presence.idle", true);
    await until(() => app.atrium.presence.socketsOf(a.user.id).some((s) => s.socketId === t1.id && s.idle), "t1 idle at the server");
    expect(forA()).toEqual(["online"]); // t2 is still active
    t2.emit("presence.idle", true);
    await until(() => forA().length === 2, "A away at B");
    t1.emit("presence.idle", false);
    await until(() => forA().length === 3, "A back online at B");
    expect(forA()).toEqual(["online", "away", "online"]);
  });
});

describe("sessions end at once", () => {
  test("deactivation: every socket of the person gets session.ended and is disconnected; others see offline without the grace wait", async () => {
    const [a, b] = [await person("Leaver"), await person("Stayer")];
    const { socket: bSock } = await connect(app.url, (await cookieFor(b)).cookie);
    const { cookie } = await cookieFor(a);
    const tabs = [(await connect(app.url, cookie)).socket, (await connect(app.url, (await cookieFor(a)).cookie)).socket];
    await until(() => app.atrium.presence.socketsOf(a.user.id).length === 2, "both tabs registered");
    const ended = tabs.map((t) => waitFor(t, "session.ended"));
    const gone = tabs.map((t) => waitForDisconnect(t));
    const offline = waitFor(bSock, "presence.changed", (e) => e.userId === a.user.id && e.state === "offline", GRACE / 2);
    const started = performance.now();

    await app.atrium.domain.accounts.deactivateUser(admin.actor, a.user.id);

    for (const e of await Promise.all(ended)) expect(e).toEqual({ reason: "deactivated" });
    for (const reason of await Promise.all(gone)) expect(reason).toBe("io server disconnect");
    await offline;
    expect(performance.now() - started).toBeLessThan(GRACE);
    expect(tabs.every((t) => !t.connected)).toBe(true);
    expect(bSock.connected).toBe(true);
    expect(app.atrium.presence.stateOf(a.user.id)).toBe("offline");
    expect(await refusal(app.url, cookie)).toBe("unauthenticated");
  });

  test("sign out everywhere ends all the person's sockets, across sessions, and nobody else's", async () => {
    const [a, b] = [await person("Everywhere"), await person("Bystander")];
    const { socket: bSock } = await connect(app.url, (await cookieFor(b)).cookie);
    const s1 = await cookieFor(a);
    const s2 = await cookieFor(a);
    const tabs = [(await connect(app.url, s1.cookie)).socket, (await connect(app.url, s2.cookie)).socket];
    const ended = tabs.map((t) => waitFor(t, "session.ended"));
    const gone = tabs.map((t) => waitForDisconnect(t));
    const offline = waitFor(bSock, "presence.changed", (e) => e.userId === a.user.id && e.state === "offline", GRACE / 2);

    expect(await app.atrium.domain.accounts.signOutEverywhere(a.actor, a.user.id)).toBe(2);

    for (const e of await Promise.all(ended)) expect(e).toEqual({ reason: "signed-out" });
    await Promise.all(gone);
    await offline;
    // Positive control: the bystander's socket still receives its own events.
    const stillThere = waitFor(bSock, "notification.created");
    await app.atrium.domain.notifications.notify([b.user.id], { type: "test.ping", title: "Still here" });
    expect((await stillThere).notification.title).toBe("Still here");
    expect(bSock.connected).toBe(true);
    expect(await refusal(app.url, s1.cookie)).toBe("unauthenticated");
    expect(await refusal(app.url, s2.cookie)).toBe("unauthenticated");
  });

  test("signing out one session ends only that session's sockets", async () => {
    const a = await person("Two Devices");
    const laptop = await cookieFor(a);
    const phone = await cookieFor(a);
    const { socket: laptopSock } = await connect(app.url, laptop.cookie);
    const { socket: phoneSock } = await connect(app.url, phone.cookie);
    const phoneEvents = record(phoneSock, "session.ended");
    const ended = waitFor(laptopSock, "session.ended");
    const gone = waitForDisconnect(laptopSock);

    await app.atrium.domain.accounts.signOut(laptop.token);

    expect(await ended).toEqual({ reason: "signed-out" });
    await gone;
    // Positive control: the phone still receives events. They arrive in order, so a
    // session.ended sent to it by the sign-out would already have been recorded.
    const stillThere = waitFor(phoneSock, "notification.created");
    await app.atrium.domain.notifications.notify([a.user.id], { type: "test.ping", title: "Phone still here" });
    await stillThere;
    expect(phoneSock.connected).toBe(true);
    expect(phoneEvents).toEqual([]);
    expect(app.atrium.presence.stateOf(a.user.id)).toBe("online");
  });
});

describe("events for people", () => {
  test("a notification reaches every tab of its person with the unread count, and no one else", async () => {
    const [a, b] = [await person("Notified"), await person("Not Notified")];
    const { cookie } = await cookieFor(a);
    const { socket: aTab1 } = await connect(app.url, cookie);
    const { socket: aTab2 } = await connect(app.url, cookie);
    const { socket: bSock } = await connect(app.url, (await cookieFor(b)).cookie);
    const bSeen = record(bSock, "notification.created");

    const first = [waitFor(aTab1, "notification.created"), waitFor(aTab2, "notification.created")];
    await app.atrium.domain.notifications.notify([a.user.id], { type: "test.ping", title: "<b>Hello</b> there", link: "/people" });
    for (const got of await Promise.all(first)) {
      expect(got.unread).toBe(1);
      expect(got.notification).toMatchObject({ type: "test.ping", title: "<b>Hello</b> there", link: "/people", body: "" });
      expect(typeof got.notification.id).toBe("string");
    }
    const second = waitFor(aTab1, "notification.created");
    await app.atrium.domain.notifications.notify([a.user.id], { type: "test.ping", title: "Again" });
    expect((await second).unread).toBe(2);

    const read = [waitFor(aTab1, "notification.read"), waitFor(aTab2, "notification.read")];
    const [latest] = await app.atrium.domain.notifications.listNotifications(a.actor);
    await app.atrium.domain.notifications.markRead(a.actor, latest!.id);
    expect(await Promise.all(read)).toEqual([{ unread: 1 }, { unread: 1 }]);
    const allRead = [waitFor(aTab1, "notification.read"), waitFor(aTab2, "notification.read")];
    await app.atrium.domain.notifications.markAllRead(a.actor);
    expect(await Promise.all(allRead)).toEqual([{ unread: 0 }, { unread: 0 }]);

    // Positive control: B's own notification reaches B. Events arrive in order, so any of A's
    // sent to B would already be recorded before it.
    const bOwn = waitFor(bSock, "notification.created");
    await app.atrium.domain.notifications.notify([b.user.id], { type: "test.ping", title: "For B" });
    await bOwn;
    expect(bSeen.map((e) => e.payload.notification.title)).toEqual(["For B"]);
  });

  test("a refused markRead sends nothing to anyone", async () => {
    const [a, b] = [await person("Owner"), await person("Intruder")];
    const { socket: aSock } = await connect(app.url, (await cookieFor(a)).cookie);
    const { socket: bSock } = await connect(app.url, (await cookieFor(b)).cookie);
    const created = waitFor(aSock, "notification.created");
    await app.atrium.domain.notifications.notify([a.user.id], { type: "t", title: "private" });
    const { notification } = await created;
    const aRead = record(aSock, "notification.read");
    const bRead = record(bSock, "notification.read");
    await expect(app.atrium.domain.notifications.markRead(b.actor, notification.id)).rejects.toThrow();
    // Positive controls: the owner's own markRead is announced to the owner only, and B hears of
    // B's own. Events arrive in order, so anything the refused call sent would be recorded first.
    const aOwn = waitFor(aSock, "notification.read");
    await app.atrium.domain.notifications.markRead(a.actor, notification.id);
    expect(await aOwn).toEqual({ unread: 0 });
    const bCreated = waitFor(bSock, "notification.created");
    await app.atrium.domain.notifications.notify([b.user.id], { type: "t", title: "for b" });
    const mine = (await bCreated).notification;
    const bOwn = waitFor(bSock, "notification.read");
    await app.atrium.domain.notifications.markRead(b.actor, mine.id);
    await bOwn;
    expect(aRead.map((e) => e.payload)).toEqual([{ unread: 0 }]);
    expect(bRead.map((e) => e.payload)).toEqual([{ unread: 0 }]);
  });

  test("a status change reaches other people's clients", async () => {
    const [a, b] = [await person("Status Setter"), await person("Status Watcher")];
    const { socket: bSock } = await connect(app.url, (await cookieFor(b)).cookie);
    const until = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const got = waitFor(bSock, "person.status", (s) => s.userId === a.user.id);
    await app.atrium.domain.people.setStatus(a.actor, { text: "Focusing <script>", emoji: "🎧", until });
    expect(await got).toEqual({ userId: a.user.id, statusText: "Focusing <script>", statusEmoji: "🎧", statusUntil: until });
  });

  test("a profile change is announced to other clients", async () => {
    const [a, b] = [await person("Profile Changer"), await person("Profile Watcher")];
    const { socket: bSock } = await connect(app.url, (await cookieFor(b)).cookie);
    const got = waitFor(bSock, "person.updated", (p) => p.userId === a.user.id);
    await app.atrium.domain.people.updateProfile(a.actor, a.user.id, { name: "Profile Changed", timeZone: "UTC" });
    expect(await got).toEqual({ userId: a.user.id });
  });
});
