import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { TMP_ROOT } from "./db.js";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

export default function setup() {
  if (!existsSync("build/index.js")) {
    throw new Error("Remix build missing: run `npm test` (its pretest builds), or `npm run build` first.");
  }
  // Test workers inherit this and put their SQLite files and uploads under tests/.tmp/<run>/.
  const run = `run-${process.pid}`;
  process.env.ATRIUM_TEST_RUN = run;
  // Leftovers of runs that crashed; folders of runs still going (another terminal) are kept.
  for (const dir of existsSync(TMP_ROOT) ? readdirSync(TMP_ROOT) : []) {
    const pid = Number(/^run-(\d+)$/.exec(dir)?.[1]);
    if (pid && !alive(pid)) rmSync(path.join(TMP_ROOT, dir), { recursive: true, force: true });
  }
  return () => rmSync(path.join(TMP_ROOT, run), { recursive: true, force: true });
}
