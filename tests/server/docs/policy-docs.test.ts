/**
 * The document rules of server/policy.ts, as pure functions: who reads, comments, edits and
 * manages a document, for every way access can be granted — and the ways it must not be.
 */
import { describe, expect, test } from "vitest";
import { authorize, can, docRole, type Actor, type DocSubject } from "../../../server/policy.js";
import { ForbiddenError } from "../../../server/domain/errors.js";

const owner: Actor = { id: "owner", role: "member", departmentId: "mkt", active: true };
const colleague: Actor = { id: "colleague", role: "member", departmentId: "mkt", active: true };
const outsider: Actor = { id: "outsider", role: "member", departmentId: "prd", active: true };
const noDept: Actor = { id: "nodept", role: "member", departmentId: null, active: true };
const admin: Actor = { id: "admin", role: "admin", departmentId: null, active: true };

const doc = (over: Partial<DocSubject> = {}): DocSubject => ({
  ownerId: owner.id,
  visibility: "department",
  departmentId: "mkt",
  audienceRole: "editor",
  deleted: false,
  shares: [],
  actorTeamIds: [],
  ...over,
});

describe("doc.read / doc.edit by visibility", () => {
  test("private: only the owner — not a colleague, not an admin", () => {
    const d = doc({ visibility: "private" });
    expect(can(owner, "doc.read", d)).toBe(true);
    expect(can(owner, "doc.edit", d)).toBe(true);
    for (const a of [colleague, outsider, admin, noDept]) {
      expect(can(a, "doc.read", d)).toBe(false);
      expect(can(a, "doc.edit", d)).toBe(false);
      expect(can(a, "doc.comment", d)).toBe(false);
      expect(() => authorize(a, "doc.read", d)).toThrow(ForbiddenError);
    }
  });

  test("department: its members with the audience role; other departments and no department refused", () => {
    expect(can(colleague, "doc.edit", doc())).toBe(true);
    expect(can(colleague, "doc.edit", doc({ audienceRole: "viewer" }))).toBe(false);
    expect(can(colleague, "doc.read", doc({ audienceRole: "viewer" }))).toBe(true);
    expect(can(colleague, "doc.comment", doc({ audienceRole: "viewer" }))).toBe(true);
    for (const a of [outsider, noDept, admin]) expect(can(a, "doc.read", doc())).toBe(false);
    // A department document without a department opens to nobody (null never matches null).
    expect(can(noDept, "doc.read", doc({ departmentId: null }))).toBe(false);
  });

  test("company: everyone active with the audience role; a deactivated or signed-out actor nothing", () => {
    const d = doc({ visibility: "company", audienceRole: "viewer" });
    for (const a of [colleague, outsider, noDept, admin]) {
      expect(can(a, "doc.read", d)).toBe(true);
      expect(can(a, "doc.edit", d)).toBe(false);
    }
    expect(can({ ...outsider, active: false }, "doc.read", d)).toBe(false);
    expect(can({ ...owner, active: false }, "doc.read", d)).toBe(false);
    expect(can(null, "doc.read", d)).toBe(false);
  });

  test("a document in the trash is nobody's to read or edit, not even the owner's", () => {
    const d = doc({ visibility: "company", deleted: true });
    for (const a of [owner, colleague, admin]) {
      expect(can(a, "doc.read", d)).toBe(false);
      expect(can(a, "doc.edit", d)).toBe(false);
      expect(can(a, "doc.manage", d)).toBe(false);
    }
  });
});

describe("explicit shares", () => {
  test("to a person, a team (via membership) or a department; the strongest role wins", () => {
    const d = doc({
      visibility: "private",
      shares: [
        { principalType: "user", principalId: outsider.id, role: "viewer" },
        { principalType: "team", principalId: "team-growth", role: "editor" },
        { principalType: "department", principalId: "prd", role: "viewer" },
      ],
    });
    expect(docRole(outsider, d)).toBe("viewer");
    expect(can(outsider, "doc.edit", d)).toBe(false);
    expect(docRole(outsider, { ...d, actorTeamIds: ["team-growth"] })).toBe("editor");
    expect(can(outsider, "doc.edit", { ...d, actorTeamIds: ["team-growth"] })).toBe(true);
    expect(docRole({ ...noDept, id: "someone" }, d)).toBe("none");
    // A team share does not reach someone who is not in the team.
    expect(can(colleague, "doc.read", { ...d, actorTeamIds: ["team-other"] })).toBe(false);
    // A department share reaches the whole department, not people without one.
    expect(can({ ...noDept, id: "p2", departmentId: "prd" }, "doc.read", d)).toBe(true);
    expect(can(noDept, "doc.read", d)).toBe(false);
  });

  test("a share counts for its kind of principal only, even when an id happens to match another kind", () => {
    const teams = ["team-x"];
    const only = (share: DocSubject["shares"][number]) => docRole(colleague, doc({ visibility: "private", shares: [share], actorTeamIds: teams }));
    // The real thing, each kind once: a control for the refusals below.
    expect(only({ principalType: "user", principalId: colleague.id, role: "editor" })).toBe("editor");
    expect(only({ principalType: "team", principalId: "team-x", role: "editor" })).toBe("editor");
    expect(only({ principalType: "department", principalId: "mkt", role: "editor" })).toBe("editor");
    // A team or department share whose id is the person's own id.
    expect(only({ principalType: "team", principalId: colleague.id, role: "editor" })).toBe("none");
    expect(only({ principalType: "department", principalId: colleague.id, role: "editor" })).toBe("none");
    // A person or department share whose id is one of the person's teams.
    expect(only({ principalType: "user", principalId: "team-x", role: "editor" })).toBe("none");
    expect(only({ principalType: "department", principalId: "team-x", role: "editor" })).toBe("none");
    // A person or team share whose id is the person's department.
    expect(only({ principalType: "user", principalId: "mkt", role: "editor" })).toBe("none");
    expect(only({ principalType: "team", principalId: "mkt", role: "editor" })).toBe("none");
    expect(can(colleague, "doc.read", doc({ visibility: "private", shares: [{ principalType: "user", principalId: "mkt", role: "viewer" }] }))).toBe(false);
  });

  test("a viewer share does not weaken a stronger visibility role", () => {
    const d = doc({ shares: [{ principalType: "user", principalId: colleague.id, role: "viewer" }] });
    expect(docRole(colleague, d)).toBe("editor");
  });
});

describe("doc.manage and doc.create", () => {
  test("manage: the owner; an admin only on a document they can read and that is not private; editors never", () => {
    const shared = doc({ shares: [{ principalType: "user", principalId: outsider.id, role: "editor" }] });
    expect(can(owner, "doc.manage", shared)).toBe(true);
    expect(can(colleague, "doc.manage", shared)).toBe(false);
    expect(can(outsider, "doc.manage", shared)).toBe(false);
    expect(can(admin, "doc.manage", doc({ visibility: "company" }))).toBe(true);
    expect(can(admin, "doc.manage", doc())).toBe(false);
    expect(can(admin, "doc.manage", doc({ visibility: "private", shares: [{ principalType: "user", principalId: admin.id, role: "editor" }] }))).toBe(false);
  });

  test("create: company space for all; a department space for its members and admins only", () => {
    expect(can(outsider, "doc.create", { kind: "company", departmentId: null })).toBe(true);
    expect(can(colleague, "doc.create", { kind: "department", departmentId: "mkt" })).toBe(true);
    expect(can(outsider, "doc.create", { kind: "department", departmentId: "mkt" })).toBe(false);
    expect(can(noDept, "doc.create", { kind: "department", departmentId: "mkt" })).toBe(false);
    expect(can(admin, "doc.create", { kind: "department", departmentId: "mkt" })).toBe(true);
    expect(can({ ...colleague, active: false }, "doc.create", { kind: "department", departmentId: "mkt" })).toBe(false);
  });
});
