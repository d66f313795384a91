/**
 * Records every module a Node process loads, one path or URL per line, into MODULE_TRACE_FILE:
 *
 *   MODULE_TRACE_FILE=/tmp/loaded.txt node --import ./scripts/module-trace.mjs build/server/index.js
 *
 * ES modules through a resolve hook (scripts/module-trace-hooks.mjs, on the loader's thread), and
 * CommonJS files through `require`'s loader, which Node 20 does not pass through those hooks.
 * The start-up tests and bench/start-rss.ts use it to see which packages a start really loads.
 * Without MODULE_TRACE_FILE it does nothing.
 */
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";

const out = process.env.MODULE_TRACE_FILE;
if (out) {
  register("./module-trace-hooks.mjs", import.meta.url, { data: { out } });
  const load = Module._load;
  Module._load = function traced(request, parent, isMain) {
    const exports = load.apply(this, arguments);
    try {
      appendFileSync(out, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      // a request Node resolved some other way (a builtin it knows by name): nothing to record
    }
    return exports;
  };
}
