/**
 * Remembered route matches answer exactly what @remix-run/router's matchRoutes answers, with the
 * route objects of the tree being matched, never another tree's answer, within a bounded memory.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AgnosticRouteObject } from "@remix-run/router";
import type { ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, test } from "vitest";
import { MAX_REMEMBERED, rememberedMatches, rememberingMatchRoutes, rememberRouteMatches } from "../../server/http/route-matches.js";

const router = createRequire(import.meta.url)("@remix-run/router") as typeof import("@remix-run/router");
const original = router.matchRoutes;
const remembering = rememberingMatchRoutes(original, router.parsePath);

let manifest: ServerBuild["routes"];
beforeAll(async () => {
  manifest = ((await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild).routes;
});

/** The app's route tree as Remix nests it, built anew on every call (as Remix does per request). */
function appTree(change?: (r: AgnosticRouteObject) => void): AgnosticRouteObject[] {
  const childrenOf = (parentId: string | undefined): AgnosticRouteObject[] =>
    Object.values(manifest)
      .filter((r) => r!.parentId === parentId)
      .map((r) => {
        const route = { id: r!.id, path: r!.path, index: r!.index, caseSensitive: r!.caseSensitive } as AgnosticRouteObject;
        const children = childrenOf(r!.id);
        if (children.length) (route as { children?: AgnosticRouteObject[] }).children = children;
        change?.(route);
        return route;
      });
  return childrenOf(undefined);
}

const PATHS = [
  "/", "/login", "/people", "/people/abc", "/people/abc/edit", "/questions", "/questions/q1", "/questions/q1/answers/a1/edit",
  "/questions/tagged/kubernetes", "/docs", "/docs/d1", "/docs/d1/history", "/docs/spaces/s1", "/insights", "/insights/new",
  "/admin", "/admin/users/new", "/admin/teams/t1", "/search", "/api/v1/people", "/api/v1/deep/er/path", "/no/such/page",
  "/people/abc?tab=skills", "/Docs/D1", "/docs/d1/", "/dashboard/export.csv", "/admin/audit.csv",
];

const plain = (matches: ReturnType<typeof original>) =>
  matches && matches.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase }));

describe("remembered route matches", () => {
  test.each(PATHS)("%s: the same answer as matchRoutes, asked first and again on a new tree of the same shape", (p) => {
    const first = appTree();
    const expected = plain(original(first, p));
    expect(plain(remembering(first, p))).toEqual(expected);
    const again = appTree();
    const hit = remembering(again, p);
    expect(plain(hit)).toEqual(expected);
    // The routes handed back are the tree's own objects, not those of the tree first matched.
    const ids = new Map<string, AgnosticRouteObject>();
    const walk = (list: AgnosticRouteObject[]) => list.forEach((r) => (ids.set(r.id!, r), r.children && walk(r.children)));
    walk(again);
    for (const m of hit ?? []) expect(m.route).toBe(ids.get(m.route.id!));
  });

  test("a location object and a basename are matched as matchRoutes matches them", () => {
    const tree = appTree();
    expect(plain(remembering(tree, { pathname: "/people/abc" }))).toEqual(plain(original(tree, { pathname: "/people/abc" })));
    expect(plain(remembering(tree, "/app/people/abc", "/app"))).toEqual(plain(original(tree, "/app/people/abc", "/app")));
    expect(remembering(tree, "/people/abc", "/app")).toBeNull();
  });

  test("a tree of another shape gets its own answer, not one remembered for the first", () => {
    const tree = appTree();
    const before = plain(remembering(tree, "/people/abc"));
    expect(before!.at(-1)!.id).toBe("routes/people.$id");
    const moved = appTree((r) => {
      if (r.id === "routes/people.$id") r.path = "colleagues/:id";
    });
    const expected = plain(original(moved, "/people/abc"));
    expect(expected).not.toEqual(before);
    expect(plain(remembering(moved, "/people/abc"))).toEqual(expected);
  });

  test("params handed out are copies: changing one does not change the next answer", () => {
    const m = remembering(appTree(), "/questions/q42")!;
    (m.at(-1)!.params as Record<string, string>).id = "changed";
    expect(remembering(appTree(), "/questions/q42")!.at(-1)!.params.id).toBe("q42");
  });

  test("memory stays bounded whatever URLs arrive", () => {
    const tree = appTree();
    for (let i = 0; i < MAX_REMEMBERED + 50; i++) remembering(tree, `/people/person-${i}`);
    expect(rememberedMatches()).toBeLessThanOrEqual(MAX_REMEMBERED);
  });

  test("once installed, Remix's modules call the remembering function", () => {
    rememberRouteMatches();
    expect(router.matchRoutes).not.toBe(original);
    expect(plain(router.matchRoutes(appTree(), "/docs/d1"))).toEqual(plain(original(appTree(), "/docs/d1")));
  });
});
