import { existsSync, rmSync } from "node:fs";
import { TMP_DIR } from "./db.js";

export default function setup() {
  if (!existsSync("build/index.js")) {
    throw new Error("Remix build missing: run `npm test` (its pretest builds), or `npm run build` first.");
  }
  return () => rmSync(TMP_DIR, { recursive: true, force: true });
}
