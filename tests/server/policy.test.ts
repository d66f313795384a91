import { describe, expect, test } from "vitest";
import { ForbiddenError } from "../../server/domain/errors.js";
import { authorize, can, type Action, type Actor } from "../../server/policy.js";

const admin: Actor = { id: "admin-1", role: "admin", departmentId: null, active: true };
const member: Actor = { id: "member-1", role: "member", departmentId: "d1", active: true };
const other: Actor = { id: "member-2", role: "member", departmentId: "d1", active: true };

type Case = [label: string, actor: Actor, resource: unknown];

/**
 * Each rule with the actors it allows and the actors it refuses. The refused list is the point:
 * every permission rule has a forbidden path that must stay forbidden.
 */
// Partial: later areas test their own rules in their own files; the guard below checks every rule is named somewhere.
const table: Partial<Record<Action, { allowed: Case[]; refused: Case[] }>> = {
  "person.editProfile": {
    allowed: [
      ["self", member, { id: member.id }],
      ["admin editing someone", admin, { id: member.id }],
    ],
    refused: [["member editing someone else", member, { id: other.id }]],
  },
  "person.editHrFields": {
    allowed: [
      ["admin", admin, { id: member.id }],
      ["admin on self", admin, { id: admin.id }],
    ],
    refused: [
      ["member on self", member, { id: member.id }],
      ["member on someone else", member, { id: other.id }],
    ],
  },
  "person.setStatus": {
    allowed: [["self", member, { id: member.id }]],
    refused: [
      ["member for someone else", member, { id: other.id }],
      ["admin for someone else", admin, { id: member.id }],
    ],
  },
  "person.uploadPhoto": {
    allowed: [
      ["self", member, { id: member.id }],
      ["admin for someone", admin, { id: member.id }],
    ],
    refused: [["member for someone else", member, { id: other.id }]],
  },
  "user.sendPasswordLink": {
    allowed: [
      ["admin for someone", admin, { id: member.id }],
      ["admin for self", admin, { id: admin.id }],
    ],
    refused: [
      ["member for someone else", member, { id: other.id }],
      ["member for self", member, { id: member.id }],
    ],
  },
  "user.create": {
    allowed: [["admin", admin, null]],
    refused: [["member", member, null]],
  },
  "user.deactivate": {
    allowed: [["admin deactivating a member", admin, { id: member.id }]],
    refused: [
      ["member deactivating someone", member, { id: other.id }],
      ["member deactivating self", member, { id: member.id }],
      ["admin deactivating self", admin, { id: admin.id }],
    ],
  },
  "user.reactivate": {
    allowed: [["admin", admin, { id: member.id }]],
    refused: [["member", member, { id: other.id }]],
  },
  "user.changeRole": {
    allowed: [["admin changing a member", admin, { id: member.id }]],
    refused: [
      ["member promoting self", member, { id: member.id }],
      ["member changing someone", member, { id: other.id }],
      ["admin demoting self", admin, { id: admin.id }],
    ],
  },
  "session.revokeAll": {
    allowed: [
      ["self", member, { id: member.id }],
      ["admin for someone", admin, { id: member.id }],
    ],
    refused: [["member for someone else", member, { id: other.id }]],
  },
  "org.manage": {
    allowed: [["admin", admin, null]],
    refused: [["member", member, null]],
  },
  "skill.manageVocabulary": {
    allowed: [["admin", admin, null]],
    refused: [["member", member, null]],
  },
  "admin.view": {
    allowed: [["admin", admin, null]],
    refused: [["member", member, null]],
  },
  "notification.read": {
    allowed: [["owner", member, { userId: member.id }]],
    refused: [
      ["another member", other, { userId: member.id }],
      ["an admin (notifications are private)", admin, { userId: member.id }],
    ],
  },
  "insight.create": {
    allowed: [["any active member", member, null]],
    refused: [["a deactivated account", { ...member, active: false }, null]],
  },
  "insight.handle": {
    allowed: [
      ["a member of a routed team", member, { onRoutedTeam: true, postedById: other.id }],
      ["an admin", admin, { onRoutedTeam: false, postedById: other.id }],
    ],
    refused: [
      ["a member outside the routed teams", member, { onRoutedTeam: false, postedById: other.id }],
      ["the poster outside the routed teams", member, { onRoutedTeam: false, postedById: member.id }],
    ],
  },
  "insight.overrideSentiment": {
    allowed: [
      ["the poster", member, { onRoutedTeam: false, postedById: member.id }],
      ["a routed team member", member, { onRoutedTeam: true, postedById: other.id }],
      ["an admin", admin, { onRoutedTeam: false, postedById: other.id }],
    ],
    refused: [["an unrelated member", member, { onRoutedTeam: false, postedById: other.id }]],
  },
  "insight.link": {
    allowed: [
      ["the poster", member, { onRoutedTeam: false, postedById: member.id }],
      ["an admin", admin, { onRoutedTeam: false, postedById: other.id }],
    ],
    refused: [["an unrelated member", member, { onRoutedTeam: false, postedById: other.id }]],
  },
  "insight.manageRules": { allowed: [["admin", admin, null]], refused: [["member", member, null]] },
  // Every employee reads insights and the directory (live pages watch them); a deactivated account reads nothing.
  "insight.view": { allowed: [["member", member, null], ["admin", admin, null]], refused: [["a deactivated member", { ...member, active: false }, null]] },
  "person.view": {
    allowed: [["member viewing a colleague", member, { id: other.id }], ["self", member, { id: member.id }]],
    refused: [["a deactivated member", { ...member, active: false }, { id: other.id }]],
  },
  "insight.manageAccounts": { allowed: [["admin", admin, null]], refused: [["member", member, null]] },
};

const check = (actor: Actor | null, action: Action, resource: unknown) => can(actor, action, resource as never);

describe.each(Object.entries(table) as [Action, { allowed: Case[]; refused: Case[] }][])("%s", (action, { allowed, refused }) => {
  test.each(allowed)("allows %s", (_label, actor, resource) => {
    expect(check(actor, action, resource)).toBe(true);
    expect(() => authorize(actor, action, resource as never)).not.toThrow();
  });

  test.each(refused)("refuses %s", (_label, actor, resource) => {
    expect(check(actor, action, resource)).toBe(false);
    expect(() => authorize(actor, action, resource as never)).toThrow(ForbiddenError);
  });

  test("refuses a signed-out visitor and a deactivated account, even an admin", () => {
    for (const [, actor, resource] of allowed) {
      expect(check(null, action, resource)).toBe(false);
      expect(check({ ...actor, active: false }, action, resource)).toBe(false);
      expect(() => authorize({ ...actor, active: false }, action, resource as never)).toThrow(ForbiddenError);
    }
  });
});

test("every rule in the policy is exercised by a server test", async () => {
  // A rule added without a test of its forbidden path should fail here. Rules of later issues may
  // be tested in their own files (tests/server/<area>/...); those count too.
  const fs = await import("node:fs/promises");
  const source = await fs.readFile(new URL("../../server/policy.ts", import.meta.url), "utf8");
  const block = source.slice(source.indexOf("const rules"), source.indexOf("export function can"));
  const declared = [...block.matchAll(/^\s+"([a-zA-Z.]+)":/gm)].map((m) => m[1]!);
  expect(declared.length).toBeGreaterThan(0);
  const dir = new URL("./", import.meta.url);
  const files = (await fs.readdir(dir, { recursive: true })).filter((f) => f.endsWith(".test.ts"));
  const tests = (await Promise.all(files.map((f) => fs.readFile(new URL(f, dir), "utf8")))).join("\n");
  const untested = declared.filter((action) => !(action in table) && !tests.includes(`"${action}"`));
  expect(untested).toEqual([]);
  // And this table names no rule that no longer exists.
  expect(Object.keys(table).filter((a) => !declared.includes(a))).toEqual([]);
  for (const { refused } of Object.values(table) as { refused: Case[] }[]) expect(refused.length).toBeGreaterThan(0);
});

test("a ForbiddenError carries status 403", () => {
  try {
    authorize(member, "org.manage", null);
    expect.unreachable();
  } catch (err) {
    expect(err).toBeInstanceOf(ForbiddenError);
    expect((err as ForbiddenError).status).toBe(403);
  }
});
