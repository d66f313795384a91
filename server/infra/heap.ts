/**
 * When the server's JavaScript heap is compacted (decision 290).
 *
 * V8 lets the heap grow to up to four times what was live at the last full collection before it
 * collects again, and it gives memory back to the system only after a full collection that
 * compacts. Start-up and the search index's background fill allocate hundreds of megabytes of
 * short-lived rows and tokens on a big company, so without this the server kept that garbage
 * resident (RSS 520 MB after start and 790–845 MB once indexed on the 10,000-person company, with
 * 153 and 268 MB live). Between the two bursts V8 keeps its own pacing: bounding its growth cost
 * every request CPU for the whole heap's collections (decision 290's measurements).
 */
import v8 from "node:v8";

/**
 * Node flags the production server is started with (`npm start`, `npm run serve`, `npm run
 * cluster`; on other machines `node --max-semi-space-size=4 build/server/index.js`). They size
 * the heap when the process starts, so they cannot be set from inside it. A young generation of at
 * most 4 MB a half instead of 16: the server commits about 25 MB less at rest (demo: RSS 137–141
 * MB after start against 162–166), at no measured cost per request (decision 530).
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=4"] as const;
import vm from "node:vm";

let collect: (() => void) | null | undefined;

/**
 * One full collection that compacts the heap and returns the emptied pages to the system, after a
 * burst of allocation whose garbage would otherwise stay resident until the heap next reaches its
 * limit. The collector is taken from a fresh context, so no `gc` global is exposed to the app.
 * Returns false where it is not available.
 */
export function compactHeap(): boolean {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      collect = vm.runInNewContext("gc") as () => void;
    } catch {
      collect = null;
    }
  }
  if (!collect) return false;
  // A plain full collection frees objects but compacts only the pages V8's heuristics pick, so
  // the heap stays as large as it grew; compacting every page lets the emptied ones go.
  v8.setFlagsFromString("--compact-on-every-full-gc");
  try {
    collect();
  } finally {
    v8.setFlagsFromString("--no-compact-on-every-full-gc");
  }
  return true;
}
