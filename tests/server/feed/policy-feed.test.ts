/** The social layer's policy rules, each with the paths it refuses. */
import { expect, test } from "vitest";
import { can, type Actor } from "../../../server/policy.js";

const ana: Actor = { id: "ana", role: "member", departmentId: "d1", active: true };
const admin: Actor = { id: "ada", role: "admin", departmentId: null, active: true };
const gone: Actor = { ...ana, active: false };

test('"person.follow": anyone else, never oneself; not when deactivated', () => {
  expect(can(ana, "person.follow", { id: "ben" })).toBe(true);
  expect(can(ana, "person.follow", { id: "ana" })).toBe(false);
  expect(can(gone, "person.follow", { id: "ben" })).toBe(false);
});

test('"reaction.toggle": what one may read and is not deleted — for admins and authors too', () => {
  const q = { kind: "question" as const, authorId: "ben", deleted: false };
  expect(can(ana, "reaction.toggle", q)).toBe(true);
  expect(can(ana, "reaction.toggle", { ...q, kind: "insight" })).toBe(true);
  expect(can(ana, "reaction.toggle", { ...q, kind: "answer" })).toBe(true);
  expect(can(ana, "reaction.toggle", { ...q, deleted: true })).toBe(false);
  expect(can(admin, "reaction.toggle", { ...q, deleted: true })).toBe(false);
  expect(can({ ...ana, id: "ben" }, "reaction.toggle", { ...q, deleted: true })).toBe(false);
  expect(can(gone, "reaction.toggle", q)).toBe(false);
  expect(can(null, "reaction.toggle", q)).toBe(false);
});
