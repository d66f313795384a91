import { describe, expect, test } from "vitest";
import { ForbiddenError } from "../../server/domain/errors.js";
import { authorize, can, docRole, type Action, type Actor } from "../../server/policy.js";

const admin: Actor = { id: "admin-1", role: "admin", departmentId: null, active: true };
const member: Actor = { id: "member-1", role: "member", departmentId: "d1", active: true };
const other: Actor = { id: "member-2", role: "member", departmentId: "d1", active: true };
const leader: Actor = { id: "leader-1", role: "leader", departmentId: "d2", active: true };
const outsider: Actor = { id: "member-3", role: "member", departmentId: "d2", active: true };

const post = (authorId: string, deleted = false) => ({ authorId, deleted });
const q = (authorId: string, over: { deleted?: boolean; closed?: boolean } = {}) => ({ authorId, deleted: false, closed: false, ...over });
/** A department document owned by `other` in d1, open to its department as viewers unless told otherwise. */
const doc = (over: Record<string, unknown> = {}) => ({
  ownerId: other.id,
  visibility: "department",
  departmentId: "d1",
  audienceRole: "viewer",
  deleted: false,
  shares: [] as unknown[],
  actorTeamIds: [] as string[],
  ...over,
});

type Case = [label: string, actor: Actor, resource: unknown];

/**
 * Each rule with the actors it allows and the actors it refuses. The refused list is the point:
 * every permission rule has a forbidden path that must stay forbidden.
 */
// Every rule is here (the guard at the end checks it); deeper cases of a rule may live in its area's files.
const table: Record<Action, { allowed: Case[]; refused: Case[] }> = {
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
  "user.manageSsoIdentities": {
    allowed: [
      ["admin for someone", admin, { id: member.id }],
      ["admin for self", admin, { id: admin.id }],
    ],
    refused: [
      ["member for someone else", member, { id: other.id }],
      ["member for self", member, { id: member.id }],
      ["leader for someone", leader, { id: member.id }],
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
  "user.mergeImported": {
    allowed: [["admin", admin, null]],
    refused: [
      ["member", member, null],
      ["leader", leader, null],
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
      ["a routed team member", member, { onRoutedTeam: true, postedById: other.id }],
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
  // ── Q&A ──
  "question.ask": { allowed: [["any active member", member, null]], refused: [["a deactivated member", { ...member, active: false }, null]] },
  "question.view": {
    allowed: [
      ["anyone, a live question", other, post(member.id)],
      ["the author, their deleted question", member, post(member.id, true)],
      ["an admin, a deleted question", admin, post(member.id, true)],
    ],
    refused: [["another member, a deleted question", other, post(member.id, true)]],
  },
  "question.edit": {
    allowed: [["the author", member, post(member.id)], ["an admin", admin, post(member.id)]],
    refused: [
      ["another member", other, post(member.id)],
      ["the author, once deleted", member, post(member.id, true)],
      ["an admin, once deleted", admin, post(member.id, true)],
    ],
  },
  "question.delete": {
    allowed: [["the author", member, post(member.id)], ["an admin", admin, post(member.id)]],
    refused: [
      ["another member", other, post(member.id)],
      ["the author, already deleted", member, post(member.id, true)],
      ["an admin, already deleted", admin, post(member.id, true)],
    ],
  },
  "question.answer": {
    allowed: [["anyone, an open question", other, q(member.id)], ["the asker", member, q(member.id)]],
    refused: [
      ["a deleted question", other, q(member.id, { deleted: true })],
      ["a closed question", other, q(member.id, { closed: true })],
    ],
  },
  "question.comment": {
    allowed: [["anyone", other, q(member.id)], ["anyone, a closed question", other, q(member.id, { closed: true })]],
    refused: [["a deleted question", other, q(member.id, { deleted: true })]],
  },
  "question.vote": {
    allowed: [["another member", other, post(member.id)]],
    refused: [
      ["the author on their own", member, post(member.id)],
      ["a deleted question", other, post(member.id, true)],
    ],
  },
  "question.closeAsDuplicate": {
    allowed: [["the asker", member, q(member.id)], ["an admin", admin, q(member.id)]],
    refused: [
      ["another member", other, q(member.id)],
      ["the asker, already closed", member, q(member.id, { closed: true })],
      ["the asker, deleted", member, q(member.id, { deleted: true })],
      ["an admin, deleted", admin, q(member.id, { deleted: true })],
      ["an admin, already closed", admin, q(member.id, { closed: true })],
    ],
  },
  "question.reopen": {
    allowed: [["the asker", member, q(member.id, { closed: true })], ["an admin", admin, q(member.id, { closed: true })]],
    refused: [
      ["another member", other, q(member.id, { closed: true })],
      ["the asker, not closed", member, q(member.id)],
      ["the asker, deleted", member, q(member.id, { closed: true, deleted: true })],
      ["an admin, deleted", admin, q(member.id, { closed: true, deleted: true })],
    ],
  },
  "question.askPerson": {
    allowed: [["the asker", member, q(member.id)]],
    refused: [
      ["another member", other, q(member.id)],
      ["an admin", admin, q(member.id)],
      ["the asker, closed", member, q(member.id, { closed: true })],
      ["the asker, deleted", member, q(member.id, { deleted: true })],
    ],
  },
  "question.follow": {
    allowed: [["anyone", other, q(member.id)], ["anyone, closed", other, q(member.id, { closed: true })]],
    refused: [["a deleted question", other, q(member.id, { deleted: true })]],
  },
  "answer.edit": {
    allowed: [["the author", member, post(member.id)], ["an admin", admin, post(member.id)]],
    refused: [
      ["another member", other, post(member.id)],
      ["the author, once deleted", member, post(member.id, true)],
      ["an admin, once deleted", admin, post(member.id, true)],
    ],
  },
  "answer.delete": {
    allowed: [["the author", member, post(member.id)], ["an admin", admin, post(member.id)]],
    refused: [
      ["another member", other, post(member.id)],
      ["the author, already deleted", member, post(member.id, true)],
      ["an admin, already deleted", admin, post(member.id, true)],
    ],
  },
  "answer.vote": {
    allowed: [["another member", other, post(member.id)]],
    refused: [
      ["the author on their own", member, post(member.id)],
      ["a deleted answer", other, post(member.id, true)],
    ],
  },
  "answer.accept": {
    allowed: [["the asker", member, { questionAuthorId: member.id, questionDeleted: false, answerDeleted: false }]],
    refused: [
      ["another member", other, { questionAuthorId: member.id, questionDeleted: false, answerDeleted: false }],
      ["an admin", admin, { questionAuthorId: member.id, questionDeleted: false, answerDeleted: false }],
      ["the asker, question deleted", member, { questionAuthorId: member.id, questionDeleted: true, answerDeleted: false }],
      ["the asker, answer deleted", member, { questionAuthorId: member.id, questionDeleted: false, answerDeleted: true }],
    ],
  },
  "comment.delete": {
    allowed: [["the author", member, post(member.id)], ["an admin", admin, post(member.id)]],
    refused: [
      ["another member", other, post(member.id)],
      ["the author, already deleted", member, post(member.id, true)],
      ["an admin, already deleted", admin, post(member.id, true)],
    ],
  },
  "tag.describe": { allowed: [["admin", admin, null]], refused: [["member", member, null], ["leader", leader, null]] },
  // ── platform ──
  "audit.view": { allowed: [["admin", admin, null]], refused: [["member", member, null], ["leader", leader, null]] },
  "apiToken.createPersonal": { allowed: [["any active member", member, null]], refused: [["a deactivated member", { ...member, active: false }, null]] },
  "apiToken.createIntegration": { allowed: [["admin", admin, null]], refused: [["member", member, null], ["leader", leader, null]] },
  "apiToken.revoke": {
    allowed: [["the owner", member, { ownerId: member.id }], ["an admin, someone's token", admin, { ownerId: member.id }]],
    refused: [["another member", other, { ownerId: member.id }]],
  },
  "webhook.manage": { allowed: [["admin", admin, null]], refused: [["member", member, null], ["leader", leader, null]] },
  "directory.import": { allowed: [["admin", admin, null]], refused: [["member", member, null], ["leader", leader, null]] },
  // ── documents (every way of access: tests/server/docs/policy-docs.test.ts) ──
  "doc.read": {
    allowed: [["the owner", other, doc({ visibility: "private" })], ["the department", member, doc()]],
    refused: [
      ["another department", outsider, doc()],
      ["an admin, a private document", admin, doc({ visibility: "private" })],
      ["the owner, once deleted", other, doc({ deleted: true })],
    ],
  },
  "doc.comment": {
    allowed: [["a viewer", member, doc()], ["the owner", other, doc()]],
    refused: [
      ["another department", outsider, doc()],
      ["the owner, once deleted", other, doc({ deleted: true })],
    ],
  },
  "doc.edit": {
    allowed: [["an editor by audience", member, doc({ audienceRole: "editor" })], ["the owner", other, doc()]],
    refused: [
      ["a viewer", member, doc()],
      ["the owner, once deleted", other, doc({ deleted: true })],
      ["an admin outside the audience", admin, doc({ audienceRole: "editor" })],
    ],
  },
  "doc.manage": {
    allowed: [
      ["the owner", other, doc()],
      ["an admin who can read it", admin, doc({ visibility: "company" })],
    ],
    refused: [
      ["an editor who is not the owner", member, doc({ audienceRole: "editor" })],
      ["an admin, a private document", admin, doc({ visibility: "private" })],
      ["an admin, a department document not theirs", admin, doc()],
      ["an admin with a share on a private document", admin, doc({ visibility: "private", shares: [{ principalType: "user", principalId: admin.id, role: "editor" }] })],
      ["the owner, once deleted", other, doc({ deleted: true })],
    ],
  },
  "doc.create": {
    allowed: [
      ["anyone, the company space", outsider, { kind: "company", departmentId: null }],
      ["a member, their department's space", member, { kind: "department", departmentId: "d1" }],
      ["an admin, any department's space", admin, { kind: "department", departmentId: "d1" }],
    ],
    refused: [
      ["a member, another department's space", outsider, { kind: "department", departmentId: "d1" }],
      ["a leader, another department's space", leader, { kind: "department", departmentId: "d1" }],
      ["a member without a department, a space whose department was deleted", { ...member, departmentId: null }, { kind: "department", departmentId: null }],
    ],
  },
  // ── dashboard ──
  "dashboard.viewScope": {
    allowed: [
      ["anyone, company-wide", member, { departmentId: null }],
      ["a member, their department", member, { departmentId: "d1" }],
      ["a leader, another department", leader, { departmentId: "d1" }],
      ["an admin, any department", admin, { departmentId: "d1" }],
    ],
    refused: [["a member, another department", outsider, { departmentId: "d1" }]],
  },
  "dashboard.viewBreakdown": {
    allowed: [["a leader", leader, null], ["an admin", admin, null]],
    refused: [["a member", member, null]],
  },
  "doc.comment.edit": {
    allowed: [["the author who may still comment", member, { doc: doc(), authorId: member.id, deleted: false }]],
    refused: [
      ["someone else", other, { doc: doc(), authorId: member.id, deleted: false }],
      ["an admin", admin, { doc: doc({ visibility: "company" }), authorId: member.id, deleted: false }],
      ["the author, once deleted", member, { doc: doc(), authorId: member.id, deleted: true }],
      ["the author who lost access", member, { doc: doc({ visibility: "private" }), authorId: member.id, deleted: false }],
    ],
  },
  "doc.comment.delete": {
    allowed: [
      ["the author", member, { doc: doc(), authorId: member.id, deleted: false }],
      ["an admin who can read the document", admin, { doc: doc({ visibility: "company" }), authorId: member.id, deleted: false }],
    ],
    refused: [
      ["someone else, even the document's owner", other, { doc: doc(), authorId: member.id, deleted: false }],
      ["an admin, a private document", admin, { doc: doc({ visibility: "private" }), authorId: member.id, deleted: false }],
      ["the author who lost access", member, { doc: doc({ visibility: "private" }), authorId: member.id, deleted: false }],
      ["the author, once deleted", member, { doc: doc(), authorId: member.id, deleted: true }],
      ["an admin, once deleted", admin, { doc: doc({ visibility: "company" }), authorId: member.id, deleted: true }],
    ],
  },
  // ── feed ──
  "person.follow": { allowed: [["someone else", member, { id: other.id }]], refused: [["oneself", member, { id: member.id }]] },
  "reaction.toggle": {
    allowed: [
      ["an insight", member, { kind: "insight", authorId: other.id, deleted: false }],
      ["a question", member, { kind: "question", authorId: other.id, deleted: false }],
      ["an answer", member, { kind: "answer", authorId: other.id, deleted: false }],
    ],
    refused: [
      ["a deleted insight", member, { kind: "insight", authorId: other.id, deleted: true }],
      ["a deleted question, even its author", member, { kind: "question", authorId: member.id, deleted: true }],
      ["a deleted answer, even an admin", admin, { kind: "answer", authorId: other.id, deleted: true }],
    ],
  },
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

test("every rule in the policy has allowed and refused cases in the table above", async () => {
  // The rule names are read from the policy's own rules object; each must have a row here with at
  // least one allowed and one refused case, which the describe.each above evaluates.
  const fs = await import("node:fs/promises");
  const source = await fs.readFile(new URL("../../server/policy.ts", import.meta.url), "utf8");
  const block = source.slice(source.indexOf("const rules"), source.indexOf("export function can"));
  const declared = [...block.matchAll(/^\s+"([a-zA-Z.]+)":/gm)].map((m) => m[1]!);
  expect(declared.length).toBeGreaterThan(40);
  expect(Object.keys(table).sort()).toEqual([...declared].sort());
  for (const [action, { allowed, refused }] of Object.entries(table)) {
    expect(allowed.length, action).toBeGreaterThan(0);
    expect(refused.length, action).toBeGreaterThan(0);
  }
});

test("authorize says why when told, and the generic message otherwise", () => {
  expect(() => authorize(member, "org.manage", null, "Only administrators manage the organisation.")).toThrow("Only administrators manage the organisation.");
  expect(() => authorize(member, "org.manage", null)).toThrow("You are not allowed to do that.");
  expect(() => authorize(null, "org.manage", null, "Sign in first.")).toThrow("Sign in first.");
});

test("docRole: nobody, or a deactivated account, holds no role; a department document needs a department", () => {
  const d = { ownerId: other.id, visibility: "department" as const, departmentId: "d1", audienceRole: "editor" as const, shares: [], actorTeamIds: [] };
  expect(docRole(member, d)).toBe("editor");
  expect(docRole(null, d)).toBe("none");
  expect(docRole({ ...member, active: false }, d)).toBe("none");
  expect(docRole({ ...other, active: false }, d)).toBe("none");
  // A department document without a department opens to no one, not to everyone without one.
  const noDepartment = { ...d, departmentId: null };
  expect(docRole({ ...member, departmentId: null }, noDepartment)).toBe("none");
  // The strongest role wins, whatever order the shares come in.
  const shared = { ...d, visibility: "private" as const, shares: [
    { principalType: "user" as const, principalId: member.id, role: "editor" as const },
    { principalType: "department" as const, principalId: "d1", role: "viewer" as const },
  ] };
  expect(docRole(member, shared)).toBe("editor");
  expect(docRole(member, { ...shared, shares: [...shared.shares].reverse() })).toBe("editor");
  expect(docRole({ ...member, departmentId: null }, { ...shared, shares: [shared.shares[1]!] })).toBe("none");
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
