/**
 * The set-password email (decision 057): a reset link after "forgot password", or an admin's
 * link, which is also the invitation of a new account. The link is absolute (APP_URL).
 */
import { escapeHtml } from "../digest/render.js";

export type PasswordMailKind = "reset" | "invite" | "admin-reset";

export function passwordLinkUrl(appUrl: string, token: string): string {
  return new URL(`/reset-password?token=${encodeURIComponent(token)}`, appUrl).toString();
}

export function renderPasswordMail(
  person: { name: string },
  opts: { kind: PasswordMailKind; url: string; expiresInHours: number; invitedBy?: string | null },
): { subject: string; text: string; html: string } {
  const valid = opts.expiresInHours >= 48 ? `${Math.round(opts.expiresInHours / 24)} days` : `${opts.expiresInHours} hour${opts.expiresInHours === 1 ? "" : "s"}`;
  const { subject, intro, action } =
    opts.kind === "invite"
      ? {
          subject: "You are invited to Atrium: set your password",
          intro: `${opts.invitedBy ? `${opts.invitedBy} has` : "An administrator has"} set up an Atrium account for you. Choose a password to sign in.`,
          action: "Set your password",
        }
      : opts.kind === "admin-reset"
        ? {
            subject: "Set a new Atrium password",
            intro: `${opts.invitedBy ? `${opts.invitedBy} has` : "An administrator has"} sent you a link to set a new password for Atrium.`,
            action: "Set a new password",
          }
        : {
            subject: "Reset your Atrium password",
            intro: "Someone (hopefully you) asked to reset the password of your Atrium account.",
            action: "Reset your password",
          };
  const closing = `The link works once and expires in ${valid}. Using it signs you out of Atrium everywhere.${
    opts.kind === "reset" ? " If you did not ask for it, ignore this email: your password stays as it is." : ""
  }`;
  const text = `Hello ${person.name},\n\n${intro}\n\n${action}: ${opts.url}\n\n${closing}\n`;
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>Hello ${escapeHtml(person.name)},</p>
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(opts.url)}" style="display:inline-block;padding:.5em 1em;background:#2563eb;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(action)}</a></p>
<p style="color:#555">Or open this address: ${escapeHtml(opts.url)}</p>
<p style="color:#555">${escapeHtml(closing)}</p>
</body></html>`;
  return { subject, text, html };
}
