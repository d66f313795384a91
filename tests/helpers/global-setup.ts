import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { migratePostgres } from "../../server/infra/migrate-postgres.js";
import { dropRunDatabases, pgAdmin, pgDatabaseRunPid, pgTemplateName, pgTestDatabases, pgUrlFor, TEST_DB, TMP_ROOT } from "./db.js";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

export default async function setup() {
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
  if (TEST_DB === "postgresql") {
    // Templates of runs that crashed; each run's own name carries its pid.
    for (const name of pgTestDatabases()) {
      const pid = pgDatabaseRunPid(name);
      if (pid && !alive(pid)) pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
    const template = pgTemplateName();
    pgAdmin(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    pgAdmin(`CREATE DATABASE "${template}"`);
    await migratePostgres(pgUrlFor(template));
  }
  // Teardown: this run's scratch folder, and every PostgreSQL database it made (the template, and
  // any a test did not drop because it failed or timed out first), so repeated runs pile up nothing.
  // The PostgreSQL tests also run under `npm test`; without a server there is nothing to drop.
  return () => {
    rmSync(path.join(TMP_ROOT, run), { recursive: true, force: true });
    try {
      dropRunDatabases(run);
    } catch (err) {
      if (TEST_DB === "postgresql") throw err;
    }
  };
}
