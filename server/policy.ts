/**
 * The one place that decides who may do what. Verbs call `authorize`, socket room joins and
 * search filtering call `can`. Rules are small pure functions so each one has a test that proves
 * the forbidden path is refused.
 */
import { ForbiddenError } from "./domain/errors.js";

export type Role = "admin" | "member";

export interface Actor {
  id: string;
  role: Role;
  departmentId: string | null;
  active: boolean;
}

type PersonRef = { id: string };

type Rules = {
  "person.editProfile": PersonRef;
  "person.editHrFields": PersonRef;
  "person.setStatus": PersonRef;
  "person.uploadPhoto": PersonRef;
  "user.create": null;
  "user.deactivate": PersonRef;
  "user.reactivate": PersonRef;
  "user.changeRole": PersonRef;
  "session.revokeAll": PersonRef;
  "org.manage": null;
  "skill.manageVocabulary": null;
  "admin.view": null;
  "notification.read": { userId: string };
  // platform (issue 7)
  "audit.view": null;
  "apiToken.createPersonal": null;
  "apiToken.createIntegration": null;
  "apiToken.revoke": { ownerId: string };
  "webhook.manage": null;
  "directory.import": null;
};

export type Action = keyof Rules;

const isAdmin = (a: Actor) => a.role === "admin";
const isSelf = (a: Actor, p: PersonRef) => a.id === p.id;

const rules: { [A in Action]: (actor: Actor, resource: Rules[A]) => boolean } = {
  "person.editProfile": (a, p) => isSelf(a, p) || isAdmin(a),
  "person.editHrFields": (a) => isAdmin(a),
  "person.setStatus": (a, p) => isSelf(a, p),
  "person.uploadPhoto": (a, p) => isSelf(a, p) || isAdmin(a),
  "user.create": (a) => isAdmin(a),
  // An admin cannot lock themselves out by deactivating or demoting their own account.
  "user.deactivate": (a, p) => isAdmin(a) && !isSelf(a, p),
  "user.reactivate": (a) => isAdmin(a),
  "user.changeRole": (a, p) => isAdmin(a) && !isSelf(a, p),
  "session.revokeAll": (a, p) => isSelf(a, p) || isAdmin(a),
  "org.manage": (a) => isAdmin(a),
  "skill.manageVocabulary": (a) => isAdmin(a),
  "admin.view": (a) => isAdmin(a),
  "notification.read": (a, n) => a.id === n.userId,
  // platform (issue 7)
  "audit.view": (a) => isAdmin(a),
  "apiToken.createPersonal": () => true,
  "apiToken.createIntegration": (a) => isAdmin(a),
  "apiToken.revoke": (a, t) => a.id === t.ownerId || isAdmin(a),
  "webhook.manage": (a) => isAdmin(a),
  "directory.import": (a) => isAdmin(a),
};

export function can<A extends Action>(actor: Actor | null, action: A, resource: Rules[A]): boolean {
  if (!actor || !actor.active) return false;
  return rules[action](actor, resource);
}

export function authorize<A extends Action>(actor: Actor | null, action: A, resource: Rules[A]): asserts actor is Actor {
  if (!can(actor, action, resource)) throw new ForbiddenError();
}
