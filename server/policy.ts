/**
 * The one place that decides who may do what. Verbs call `authorize`, socket room joins and
 * search filtering call `can`. Rules are small pure functions so each one has a test that proves
 * the forbidden path is refused.
 */
import { ForbiddenError } from "./domain/errors.js";

export type Role = "admin" | "leader" | "member"; // "leader": sees every department on the dashboard (decision 073)

export interface Actor {
  id: string;
  role: Role;
  departmentId: string | null;
  active: boolean;
}

type PersonRef = { id: string };

type Rules = {
  "person.view": PersonRef;
  "person.editProfile": PersonRef;
  "person.editHrFields": PersonRef;
  "person.setStatus": PersonRef;
  "person.uploadPhoto": PersonRef;
  "user.create": null;
  "user.mergeImported": null;
  "user.deactivate": PersonRef;
  "user.reactivate": PersonRef;
  "user.changeRole": PersonRef;
  "session.revokeAll": PersonRef;
  "user.sendPasswordLink": PersonRef;
  "user.manageSsoIdentities": PersonRef;
  "org.manage": null;
  "skill.manageVocabulary": null;
  "admin.view": null;
  "notification.read": { userId: string };
  // Customer insights
  "insight.create": null;
  "insight.view": null;
  "insight.handle": InsightRef;
  "insight.overrideSentiment": InsightRef;
  "insight.link": InsightRef;
  "insight.manageRules": null;
  "insight.manageAccounts": null;
  // ── Q&A ──
  "question.ask": null;
  "question.view": PostRef;
  "question.edit": PostRef;
  "question.delete": PostRef;
  "question.answer": QuestionState;
  "question.comment": QuestionState;
  "question.vote": PostRef;
  "question.closeAsDuplicate": QuestionState;
  "question.reopen": QuestionState;
  "question.askPerson": QuestionState;
  "question.follow": QuestionState;
  "answer.edit": PostRef;
  "answer.delete": PostRef;
  "answer.vote": PostRef;
  "answer.accept": { questionAuthorId: string; questionDeleted: boolean; answerDeleted: boolean };
  "comment.delete": PostRef;
  "tag.describe": null;
  // platform
  "audit.view": null;
  "apiToken.createPersonal": null;
  "apiToken.createIntegration": null;
  "apiToken.revoke": { ownerId: string };
  "webhook.manage": null;
  "directory.import": null;
  // ── Documents ──
  "doc.read": DocSubject;
  "doc.comment": DocSubject;
  "doc.edit": DocSubject;
  "doc.manage": DocSubject;
  "doc.create": SpaceRef;
  // ── dashboard ──
  "dashboard.viewScope": { departmentId: string | null };
  "dashboard.viewBreakdown": null;
  // ── comment edit/delete (decision 045) ──
  "doc.comment.edit": DocCommentRef;
  "doc.comment.delete": DocCommentRef;
  // ── feed ──
  "person.follow": PersonRef;
  "reaction.toggle": ReactableRef;
};

/** feed: what the policy needs to know about a question, answer or insight to react to it. */
export type ReactableRef = { kind: "question" | "answer" | "insight"; authorId: string; deleted: boolean };

/** What the insight verbs know about the actor's relation to an insight. */
type InsightRef = { postedById: string | null; onRoutedTeam: boolean };

/** A question, answer or comment as the Q&A rules see it. */
export type PostRef = { authorId: string; deleted: boolean };
export type QuestionState = PostRef & { closed: boolean };

export type Action = keyof Rules;

// ── Documents ──
export type DocVisibility = "private" | "department" | "company";
export type ShareRole = "editor" | "viewer";
export type DocRole = "owner" | ShareRole | "none";

/**
 * What the policy needs to know about a document, and about the reader's memberships, to decide.
 * Built by the docs domain (server/domain/docs.ts) from the row and its shares.
 */
export interface DocSubject {
  ownerId: string;
  visibility: DocVisibility;
  /** The department "department" visibility opens the document to. */
  departmentId: string | null;
  /** What the visibility audience may do. */
  audienceRole: ShareRole;
  deleted: boolean;
  shares: { principalType: "user" | "team" | "department"; principalId: string; role: ShareRole }[];
  /** The teams the actor belongs to (for team shares). */
  actorTeamIds: readonly string[];
}
/** A comment on a document, with the document it is on (finish). */
export interface DocCommentRef {
  doc: DocSubject;
  authorId: string;
  deleted: boolean;
}
export interface SpaceRef {
  kind: "company" | "department";
  departmentId: string | null;
}

const rank: Record<DocRole, number> = { none: 0, viewer: 1, editor: 2, owner: 3 };

/**
 * The strongest role the actor holds on a document: owner, an explicit share (to them, one of
 * their teams or their department), or the visibility audience. Admins get nothing extra: a
 * private document stays private.
 */
export function docRole(actor: Actor | null, d: Omit<DocSubject, "deleted">): DocRole {
  if (!actor || !actor.active) return "none";
  if (d.ownerId === actor.id) return "owner";
  let best: DocRole = "none";
  const raise = (r: DocRole) => {
    if (rank[r] > rank[best]) best = r;
  };
  if (d.visibility === "company") raise(d.audienceRole);
  if (d.visibility === "department" && d.departmentId && d.departmentId === actor.departmentId) raise(d.audienceRole);
  for (const s of d.shares) {
    if (
      (s.principalType === "user" && s.principalId === actor.id) ||
      (s.principalType === "team" && d.actorTeamIds.includes(s.principalId)) ||
      (s.principalType === "department" && !!actor.departmentId && s.principalId === actor.departmentId)
    )
      raise(s.role);
  }
  return best;
}

const isAdmin = (a: Actor) => a.role === "admin";
const isSelf = (a: Actor, p: PersonRef) => a.id === p.id;
const isLeaderOrAdmin = (a: Actor) => a.role === "admin" || a.role === "leader"; // dashboard

const rules: { [A in Action]: (actor: Actor, resource: Rules[A]) => boolean } = {
  // The directory is open to every employee (an inactive actor is refused by can() itself).
  "person.view": () => true,
  "person.editProfile": (a, p) => isSelf(a, p) || isAdmin(a),
  "person.editHrFields": (a) => isAdmin(a),
  "person.setStatus": (a, p) => isSelf(a, p),
  "person.uploadPhoto": (a, p) => isSelf(a, p) || isAdmin(a),
  "user.create": (a) => isAdmin(a),
  "user.mergeImported": (a) => isAdmin(a),
  // An admin cannot lock themselves out by deactivating or demoting their own account.
  "user.deactivate": (a, p) => isAdmin(a) && !isSelf(a, p),
  "user.reactivate": (a) => isAdmin(a),
  "user.changeRole": (a, p) => isAdmin(a) && !isSelf(a, p),
  "session.revokeAll": (a, p) => isSelf(a, p) || isAdmin(a),
  // A set-password link (or an invitation) is sent by an admin; everyone else uses "forgot password".
  "user.sendPasswordLink": (a) => isAdmin(a),
  // Seeing and unlinking a person's single sign-on identities: admins, their own included.
  "user.manageSsoIdentities": (a) => isAdmin(a),
  "org.manage": (a) => isAdmin(a),
  "skill.manageVocabulary": (a) => isAdmin(a),
  "admin.view": (a) => isAdmin(a),
  "notification.read": (a, n) => a.id === n.userId,
  // Every employee reads and posts insights (breaking silos is the point); the routed teams act.
  "insight.create": () => true,
  "insight.view": () => true,
  "insight.handle": (a, i) => i.onRoutedTeam || isAdmin(a),
  "insight.overrideSentiment": (a, i) => i.onRoutedTeam || a.id === i.postedById || isAdmin(a),
  "insight.link": (a, i) => i.onRoutedTeam || a.id === i.postedById || isAdmin(a),
  "insight.manageRules": (a) => isAdmin(a),
  "insight.manageAccounts": (a) => isAdmin(a),
  // ── Q&A ──
  "question.ask": () => true,
  // A deleted post leaves a trace everyone sees; its content stays visible to its author and admins.
  "question.view": (a, q) => !q.deleted || a.id === q.authorId || isAdmin(a),
  "question.edit": (a, q) => !q.deleted && (a.id === q.authorId || isAdmin(a)),
  "question.delete": (a, q) => !q.deleted && (a.id === q.authorId || isAdmin(a)),
  "question.answer": (_a, q) => !q.deleted && !q.closed,
  "question.comment": (_a, q) => !q.deleted,
  "question.vote": (a, q) => !q.deleted && a.id !== q.authorId,
  // Moderation: admins, and the asker for their own question (decision 020).
  "question.closeAsDuplicate": (a, q) => !q.deleted && !q.closed && (a.id === q.authorId || isAdmin(a)),
  "question.reopen": (a, q) => !q.deleted && q.closed && (a.id === q.authorId || isAdmin(a)),
  "question.askPerson": (a, q) => !q.deleted && !q.closed && a.id === q.authorId,
  "question.follow": (_a, q) => !q.deleted,
  "answer.edit": (a, p) => !p.deleted && (a.id === p.authorId || isAdmin(a)),
  "answer.delete": (a, p) => !p.deleted && (a.id === p.authorId || isAdmin(a)),
  "answer.vote": (a, p) => !p.deleted && a.id !== p.authorId,
  "answer.accept": (a, r) => a.id === r.questionAuthorId && !r.questionDeleted && !r.answerDeleted,
  "comment.delete": (a, c) => !c.deleted && (a.id === c.authorId || isAdmin(a)),
  "tag.describe": (a) => isAdmin(a),
  // platform
  "audit.view": (a) => isAdmin(a),
  "apiToken.createPersonal": () => true,
  "apiToken.createIntegration": (a) => isAdmin(a),
  "apiToken.revoke": (a, t) => a.id === t.ownerId || isAdmin(a),
  "webhook.manage": (a) => isAdmin(a),
  "directory.import": (a) => isAdmin(a),
  // ── Documents ──
  "doc.read": (a, d) => !d.deleted && rank[docRole(a, d)] >= rank.viewer,
  // Viewers may comment: a comment does not change the text.
  "doc.comment": (a, d) => !d.deleted && rank[docRole(a, d)] >= rank.viewer,
  "doc.edit": (a, d) => !d.deleted && rank[docRole(a, d)] >= rank.editor,
  // Sharing, visibility, moving, trash and restore: the owner; an admin only for what they can read.
  "doc.manage": (a, d) => !d.deleted && (docRole(a, d) === "owner" || (isAdmin(a) && d.visibility !== "private" && rank[docRole(a, d)] >= rank.viewer)),
  // A department's space: its own people (a space whose department was deleted is nobody's).
  "doc.create": (a, s) => s.kind === "company" || (s.departmentId !== null && s.departmentId === a.departmentId) || isAdmin(a),
  // ── dashboard ── company-wide figures for everyone; a department's for its own
  // people, leaders and admins; per-department and per-team breakdowns for leaders and admins.
  "dashboard.viewScope": (a, s) => s.departmentId === null || s.departmentId === a.departmentId || isLeaderOrAdmin(a),
  "dashboard.viewBreakdown": (a) => isLeaderOrAdmin(a),
  // ── comment edit/delete (decision 045) ──
  // Only the author edits (while they may still comment); the author or an admin who can read
  // the document deletes (a private document stays private, even to admins).
  "doc.comment.edit": (a, c) => !c.deleted && a.id === c.authorId && rules["doc.comment"](a, c.doc),
  "doc.comment.delete": (a, c) => !c.deleted && ((a.id === c.authorId && rules["doc.comment"](a, c.doc)) || (isAdmin(a) && rules["doc.read"](a, c.doc))),
  // ── feed ──
  "person.follow": (a, p) => !isSelf(a, p),
  // Reacting needs read access (every employee reads insights and questions), and nothing deleted takes reactions.
  "reaction.toggle": (a, r) => !r.deleted && (r.kind === "insight" || rules["question.view"](a, r)),
};

export function can<A extends Action>(actor: Actor | null, action: A, resource: Rules[A]): boolean {
  if (!actor || !actor.active) return false;
  return rules[action](actor, resource);
}

export function authorize<A extends Action>(
  actor: Actor | null,
  action: A,
  resource: Rules[A],
  /** A message that says why, when the generic one would leave the person guessing. */
  message?: string,
): asserts actor is Actor {
  if (!can(actor, action, resource)) throw new ForbiddenError(message);
}
