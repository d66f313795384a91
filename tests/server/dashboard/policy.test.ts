import { describe, expect, it } from "vitest";
import { can, type Action, type Actor } from "../../../server/policy.js";

const admin: Actor = { id: "a", role: "admin", departmentId: "d-people", active: true };
const leader: Actor = { id: "l", role: "leader", departmentId: "d-lead", active: true };
const member: Actor = { id: "m", role: "member", departmentId: "d-eng", active: true };
const gone: Actor = { ...leader, active: false };

describe("dashboard.viewScope", () => {
  it("everyone sees the company; members see their own department", () => {
    for (const a of [admin, leader, member]) expect(can(a, "dashboard.viewScope", { departmentId: null })).toBe(true);
    expect(can(member, "dashboard.viewScope", { departmentId: "d-eng" })).toBe(true);
  });
  it("leaders and admins see every department", () => {
    expect(can(leader, "dashboard.viewScope", { departmentId: "d-eng" })).toBe(true);
    expect(can(admin, "dashboard.viewScope", { departmentId: "d-eng" })).toBe(true);
  });
  it("refuses a member another department, and a deactivated leader anything", () => {
    expect(can(member, "dashboard.viewScope", { departmentId: "d-sales" })).toBe(false);
    expect(can({ ...member, departmentId: null }, "dashboard.viewScope", { departmentId: "d-sales" })).toBe(false);
    expect(can(gone, "dashboard.viewScope", { departmentId: null })).toBe(false);
  });
});

describe("dashboard.viewBreakdown", () => {
  it("allows leaders and admins, refuses members", () => {
    expect(can(leader, "dashboard.viewBreakdown", null)).toBe(true);
    expect(can(admin, "dashboard.viewBreakdown", null)).toBe(true);
    expect(can(member, "dashboard.viewBreakdown", null)).toBe(false);
  });
});

describe("the leader role is not an admin", () => {
  const adminOnly: [Action, unknown][] = [
    ["admin.view", null],
    ["user.create", null],
    ["user.changeRole", { id: "m" }],
    ["org.manage", null],
    ["audit.view", null],
    ["insight.manageRules", null],
    ["person.editHrFields", { id: "m" }],
    ["directory.import", null],
  ];
  it.each(adminOnly)("refuses a leader %s", (action, resource) => {
    expect(can(leader, action, resource as never)).toBe(false);
    expect(can(admin, action, resource as never)).toBe(true);
  });
});
