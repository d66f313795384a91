/** The platform's permission rules, each with the paths it must refuse. */
import { describe, expect, test } from "vitest";
import { ForbiddenError } from "../../../server/domain/errors.js";
import { authorize, can, type Action, type Actor } from "../../../server/policy.js";

const admin: Actor = { id: "admin-1", role: "admin", departmentId: null, active: true };
const member: Actor = { id: "member-1", role: "member", departmentId: "d1", active: true };
const other: Actor = { id: "member-2", role: "member", departmentId: "d1", active: true };

type Case = [label: string, actor: Actor, resource: unknown];
const table: { [A in Action]?: { allowed: Case[]; refused: Case[] } } = {
  "audit.view": { allowed: [["admin", admin, null]], refused: [["member", member, null]] },
  "apiToken.createPersonal": { allowed: [["member", member, null], ["admin", admin, null]], refused: [["a deactivated member", { ...member, active: false }, null]] },
  "apiToken.createIntegration": { allowed: [["admin", admin, null]], refused: [["member", member, null]] },
  "apiToken.revoke": {
    allowed: [
      ["owner", member, { ownerId: member.id }],
      ["admin revoking someone's token", admin, { ownerId: member.id }],
    ],
    refused: [["another member", other, { ownerId: member.id }]],
  },
  "webhook.manage": { allowed: [["admin", admin, null]], refused: [["member", member, null]] },
  "directory.import": { allowed: [["admin", admin, null]], refused: [["member", member, null]] },
};

const check = (actor: Actor | null, action: Action, resource: unknown) => can(actor, action, resource as never);

describe.each(Object.entries(table) as [Action, { allowed: Case[]; refused: Case[] }][])("%s", (action, { allowed, refused }) => {
  test.each(allowed)("allows %s", (_l, actor, resource) => expect(check(actor, action, resource)).toBe(true));
  test("has a refused case (every rule has a forbidden path)", () => {
    expect(refused.length).toBeGreaterThan(0);
  });
  test.each(refused)("refuses %s", (_l, actor, resource) => {
    expect(check(actor, action, resource)).toBe(false);
    expect(() => authorize(actor, action, resource as never)).toThrow(ForbiddenError);
  });
  test("refuses signed-out visitors and deactivated accounts", () => {
    expect(allowed.length).toBeGreaterThan(0);
    for (const [, actor, resource] of allowed) {
      expect(check(null, action, resource)).toBe(false);
      expect(check({ ...actor, active: false }, action, resource)).toBe(false);
    }
  });
});
