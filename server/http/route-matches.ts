/**
 * Remembered route matches. Remix matches a page's URL against the route tree several times per
 * request (the request handler, the route manifest sent to the browser, the router rendering the
 * page), and @remix-run/router's `matchRoutes` flattens and ranks every route and compiles its
 * pattern each time. The answer depends only on the tree's shape, the basename and the pathname:
 * it is remembered under those, and handed back with the route objects of the tree being matched
 * (Remix builds some trees anew per request). Installed around the package's exported function,
 * which Remix's CommonJS modules look up at each call (decision 180).
 */
import { createRequire } from "node:module";
import type { AgnosticRouteMatch, AgnosticRouteObject, Location, Params } from "@remix-run/router";

type MatchRoutes = (routes: AgnosticRouteObject[], location: Partial<Location> | string, basename?: string) => AgnosticRouteMatch[] | null;
interface RouterModule {
  matchRoutes: MatchRoutes;
  parsePath(path: string): Partial<Location>;
}

interface Tree {
  /** Same number ⇔ same shape (ids, paths, index and case flags, nesting). */
  shape: number;
  byId: Map<string, AgnosticRouteObject>;
}
interface Remembered {
  id: string;
  params: Params;
  pathname: string;
  pathnameBase: string;
}

/** URLs come from anyone: the memory is bounded and cleared whole when full. */
export const MAX_REMEMBERED = 2000;

const trees = new WeakMap<AgnosticRouteObject[], Tree | null>();
const shapes = new Map<string, number>();
let nextShape = 1;
const remembered = new Map<string, Remembered[] | null>();

/** The tree's shape and an index of its routes by id; null when a route has no id (not a Remix tree). */
function treeOf(routes: AgnosticRouteObject[]): Tree | null {
  let tree = trees.get(routes);
  if (tree !== undefined) return tree;
  const byId = new Map<string, AgnosticRouteObject>();
  let complete = true;
  const describe = (list: AgnosticRouteObject[]): string =>
    list
      .map((r) => {
        if (typeof r.id !== "string" || byId.has(r.id)) complete = false;
        else byId.set(r.id, r);
        return `${r.id}\u0001${r.path ?? ""}\u0001${r.index ? 1 : 0}${r.caseSensitive ? 1 : 0}${r.children?.length ? `(${describe(r.children)})` : ""}`;
      })
      .join("\u0002");
  const signature = describe(routes);
  if (!complete) tree = null;
  else {
    let shape = shapes.get(signature);
    if (shape === undefined) {
      if (shapes.size >= 64) shapes.clear();
      shape = nextShape++;
      shapes.set(signature, shape);
    }
    tree = { shape, byId };
  }
  trees.set(routes, tree);
  return tree;
}

/** `matchRoutes` answering from memory for a tree of the same shape. */
export function rememberingMatchRoutes(match: MatchRoutes, parsePath: RouterModule["parsePath"]): MatchRoutes {
  return (routes, location, basename = "/") => {
    const tree = treeOf(routes);
    if (!tree) return match(routes, location, basename);
    const pathname = (typeof location === "string" ? parsePath(location).pathname : location.pathname) || "/";
    const key = `${tree.shape}\u0000${basename}\u0000${pathname}`;
    let known = remembered.get(key);
    if (known === undefined) {
      const found = match(routes, location, basename);
      known = found && found.map((m) => ({ id: m.route.id!, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase }));
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(key, known);
    }
    return known && known.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, route: tree.byId.get(m.id)! }));
  };
}

/** How many matches are remembered (tests check the bound). */
export const rememberedMatches = () => remembered.size;

let installed = false;

/** Puts the remembering `matchRoutes` in place of the package's own, once per process. */
export function rememberRouteMatches() {
  if (installed) return;
  installed = true;
  const router = createRequire(import.meta.url)("@remix-run/router") as RouterModule;
  router.matchRoutes = rememberingMatchRoutes(router.matchRoutes, router.parsePath);
}
