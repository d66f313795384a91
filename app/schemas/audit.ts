import { z } from "zod";

/** Every action the audit log records, `resource.verb`. The admin page's filter lists these. */
export const AUDIT_ACTIONS = {
  "auth.signin_succeeded": "Signed in",
  "auth.signin_failed": "Sign-in failed",
  "auth.sso_signin": "Signed in with single sign-on",
  "auth.sso_refused": "Single sign-on refused",
  "auth.sso_unlinked": "Single sign-on identity unlinked",
  "auth.signout_everywhere": "Signed out everywhere",
  "auth.password_changed": "Password changed",
  "auth.password_change_failed": "Password change refused",
  "auth.password_link_sent": "Set-password link sent",
  "auth.password_reset_requested": "Password reset requested",
  "auth.password_reset_completed": "Password set with a link",
  "auth.password_link_refused": "Set-password link refused",
  "user.created": "User created",
  "user.role_changed": "Role changed",
  "user.deactivated": "User deactivated",
  "user.reactivated": "User reactivated",
  "user.imported_merged": "Imported person merged into an account",
  "person.hr_updated": "HR fields changed",
  "org.department_created": "Department created",
  "org.department_updated": "Department updated",
  "org.department_deleted": "Department deleted",
  "org.team_created": "Team created",
  "org.team_updated": "Team updated",
  "org.team_deleted": "Team deleted",
  "org.team_membership_changed": "Team membership changed",
  "skill.synonym_added": "Skill synonym added",
  "skill.synonym_removed": "Skill synonym removed",
  "api_token.created": "API token created",
  "api_token.revoked": "API token revoked",
  "webhook.created": "Webhook created",
  "webhook.updated": "Webhook updated",
  "webhook.deleted": "Webhook deleted",
  "directory.imported": "Directory imported",
  "audit.exported": "Audit log exported",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

const day = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
      ctx.addIssue({ code: "custom", message: "Enter a date as YYYY-MM-DD." });
      return z.NEVER;
    }
    return v;
  });

/** Filters of the audit page and its CSV export. Dates are whole UTC days, both ends included. */
export const AuditQuerySchema = z
  .object({
    actor: z.string().trim().max(200).default(""),
    action: z
      .string()
      .trim()
      .max(60)
      .default("")
      .refine((a) => a === "" || a in AUDIT_ACTIONS, "Choose an action from the list."),
    from: day,
    to: day,
    cursor: z.string().trim().max(200).default(""),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "The start date must be on or before the end date.", path: ["to"] });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
