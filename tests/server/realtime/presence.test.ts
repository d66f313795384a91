import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { PresenceState } from "../../../server/events.js";
import { PresenceTracker } from "../../../server/realtime/presence.js";

const GRACE = 5_000;

let changes: [string, PresenceState][];
let tracker: PresenceTracker;

beforeEach(() => {
  vi.useFakeTimers();
  changes = [];
  tracker = new PresenceTracker(GRACE, (userId, state) => changes.push([userId, state]));
});
afterEach(() => {
  tracker.stop();
  vi.useRealTimers();
});

describe("PresenceTracker", () => {
  test("a first socket makes a person online; unknown people are offline", () => {
    expect(tracker.stateOf("ann")).toBe("offline");
    tracker.connect("ann", "s1");
    expect(tracker.stateOf("ann")).toBe("online");
    expect(changes).toEqual([["ann", "online"]]);
    expect(tracker.snapshot()).toEqual([{ userId: "ann", state: "online" }]);
  });

  test("several tabs are one presence: one change on the first, none on the second", () => {
    tracker.connect("ann", "s1");
    tracker.connect("ann", "s2");
    expect(changes).toEqual([["ann", "online"]]);
    tracker.disconnect("s1");
    vi.advanceTimersByTime(GRACE * 2);
    expect(tracker.stateOf("ann")).toBe("online");
    expect(changes).toEqual([["ann", "online"]]);
  });

  test("offline only after the grace period once the last tab has closed", () => {
    tracker.connect("ann", "s1");
    tracker.connect("ann", "s2");
    tracker.disconnect("s1");
    tracker.disconnect("s2");
    vi.advanceTimersByTime(GRACE - 1);
    expect(tracker.stateOf("ann")).toBe("online");
    expect(changes).toEqual([["ann", "online"]]);
    vi.advanceTimersByTime(1);
    expect(tracker.stateOf("ann")).toBe("offline");
    expect(changes).toEqual([
      ["ann", "online"],
      ["ann", "offline"],
    ]);
    expect(tracker.snapshot()).toEqual([]);
  });

  test("a reload within the grace period does not flicker offline", () => {
    tracker.connect("ann", "s1");
    tracker.disconnect("s1");
    vi.advanceTimersByTime(GRACE / 2);
    tracker.connect("ann", "s2");
    vi.advanceTimersByTime(GRACE * 2);
    expect(tracker.stateOf("ann")).toBe("online");
    expect(changes).toEqual([["ann", "online"]]);
  });

  test("away when every tab is idle, online again when any tab is active", () => {
    tracker.connect("ann", "s1");
    tracker.connect("ann", "s2");
    tracker.setIdle("s1", true);
    expect(tracker.stateOf("ann")).toBe("online");
    tracker.setIdle("s2", true);
    expect(tracker.stateOf("ann")).toBe("away");
    expect(tracker.snapshot()).toEqual([{ userId: "ann", state: "away" }]);
    tracker.setIdle("s1", false);
    expect(tracker.stateOf("ann")).toBe("online");
    expect(changes.map(([, s]) => s)).toEqual(["online", "away", "online"]);
  });

  test("closing the only active tab leaves the idle ones: away", () => {
    tracker.connect("ann", "s1");
    tracker.connect("ann", "s2");
    tracker.setIdle("s2", true);
    tracker.disconnect("s1");
    expect(tracker.stateOf("ann")).toBe("away");
  });

  test("idle reports for unknown sockets are ignored", () => {
    tracker.setIdle("nobody", true);
    tracker.disconnect("nobody");
    expect(changes).toEqual([]);
  });

  test("forget ends presence at once, skipping the grace period, and later disconnects are no-ops", () => {
    tracker.connect("ann", "s1");
    tracker.connect("ann", "s2");
    tracker.forget("ann");
    expect(tracker.stateOf("ann")).toBe("offline");
    expect(changes).toEqual([
      ["ann", "online"],
      ["ann", "offline"],
    ]);
    tracker.disconnect("s1");
    tracker.disconnect("s2");
    vi.advanceTimersByTime(GRACE * 2);
    expect(changes).toHaveLength(2);
  });

  test("forget during a pending grace period cancels the timer", () => {
    tracker.connect("ann", "s1");
    tracker.disconnect("s1");
    tracker.forget("ann");
    expect(tracker.stateOf("ann")).toBe("offline");
    tracker.connect("ann", "s2");
    vi.advanceTimersByTime(GRACE * 2);
    expect(tracker.stateOf("ann")).toBe("online");
  });

  test("people are independent", () => {
    tracker.connect("ann", "s1");
    tracker.connect("bob", "s2");
    tracker.disconnect("s1");
    vi.advanceTimersByTime(GRACE);
    expect(tracker.stateOf("ann")).toBe("offline");
    expect(tracker.stateOf("bob")).toBe("online");
    expect(tracker.snapshot()).toEqual([{ userId: "bob", state: "online" }]);
  });

  test("a zero grace period goes offline immediately", () => {
    const zero = new PresenceTracker(0, (u, s) => changes.push([u, s]));
    zero.connect("ann", "s1");
    zero.disconnect("s1");
    expect(zero.stateOf("ann")).toBe("offline");
  });

  test("stop cancels pending offline timers (shutdown does not fire callbacks)", () => {
    tracker.connect("ann", "s1");
    tracker.disconnect("s1");
    tracker.stop();
    vi.advanceTimersByTime(GRACE * 2);
    expect(changes).toEqual([["ann", "online"]]);
  });
});
