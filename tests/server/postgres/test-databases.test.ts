/**
 * The test run's own PostgreSQL databases (tests/helpers/db.ts): each carries its run's name, and
 * the run's teardown drops all of them, so repeated CI runs leave nothing behind; a crashed run's
 * leftovers are known by the pid in their name. Against the local server (skipped when none answers).
 */
import { afterAll, describe, expect, test } from "vitest";
import { pgReachable, dropRunDatabases, pgAdmin, pgDatabaseRunPid, pgScratchName, pgTestDatabases } from "../../helpers/db.js";

const reachable = pgReachable();

const made: string[] = [];
const create = (name: string) => {
  made.push(name);
  pgAdmin(`CREATE DATABASE "${name}"`);
  return name;
};
afterAll(() => {
  for (const n of made) pgAdmin(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
});

test("a database name gives the pid of the run that made it (this naming and the older one); other names none", () => {
  expect(pgDatabaseRunPid("atrium_test_tpl_run_4242")).toBe(4242);
  expect(pgDatabaseRunPid("atrium_test_run_4242_77_mig_0a1b2c3d")).toBe(4242);
  expect(pgDatabaseRunPid("atrium_test_77_0a1b2c3d")).toBe(77);
  expect(pgDatabaseRunPid("atrium_test_shared_77_0a1b2c3d")).toBeNull();
  expect(pgDatabaseRunPid("atrium")).toBeNull();
});

describe.skipIf(!reachable)("dropping a run's databases", () => {
  test("drops the run's template and every database its tests left, and nothing of another run", () => {
    // A second run, named after this (live) worker, beside the run this file belongs to.
    const other = `run-${process.pid}`;
    const template = create(`atrium_test_tpl_run_${process.pid}`);
    const leftovers = [create(`atrium_test_run_${process.pid}_1_0a1b2c3d`), create(`atrium_test_run_${process.pid}_2_mig_0a1b2c3d`)];
    const ours = create(pgScratchName("ctl_"));
    expect(pgTestDatabases()).toEqual(expect.arrayContaining([template, ...leftovers, ours]));

    expect(dropRunDatabases(other).sort()).toEqual([...leftovers, template].sort());
    const left = pgTestDatabases();
    for (const gone of [template, ...leftovers]) expect(left).not.toContain(gone);
    expect(left).toContain(ours);
  });
});
