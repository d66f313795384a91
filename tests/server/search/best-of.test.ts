import { describe, expect, test } from "vitest";
import { BestOf } from "../../../server/search/best-of.js";

const before = (a: number, b: number) => a > b;
const offered = [5, 1, 9, 3, 9.5, 7, 2, 8, 0, 6, 4];

describe("the best of many offered", () => {
  test("a short list keeps the best in order; a long or unbounded one sorts once; a limit of 0 keeps nothing", () => {
    for (const limit of [1, 3, 11, 64]) {
      const best = new BestOf(limit, before);
      for (const x of offered) best.offer(x);
      expect(best.list()).toEqual([...offered].sort((a, b) => b - a).slice(0, limit));
    }
    const many = Array.from({ length: 200 }, (_, i) => (i * 37) % 200);
    for (const limit of [65, 150, Infinity]) {
      const best = new BestOf(limit, before);
      for (const x of many) best.offer(x);
      expect(best.list()).toEqual([...many].sort((a, b) => b - a).slice(0, limit));
    }
    const none = new BestOf(0, before);
    none.offer(1);
    expect(none.list()).toEqual([]);
  });

  test("`last` is the item to beat once a short list is full, and nothing before or for a long list", () => {
    const best = new BestOf(2, before);
    best.offer(4);
    expect(best.last).toBeUndefined();
    best.offer(6);
    expect(best.last).toBe(4);
    best.offer(5);
    expect(best.last).toBe(5);
    best.offer(5); // an equal one does not rank ahead, so does not enter
    expect(best.list()).toEqual([6, 5]);
    const long = new BestOf(100, before);
    for (const x of offered) long.offer(x);
    expect(long.last).toBeUndefined();
  });
});
