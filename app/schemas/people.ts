import { z } from "zod";
import { dateTimeInput } from "./well-formed";

/** One schema, both sides: browser forms, Remix actions and socket payloads parse with these. */

export const SKILL_LEVELS = ["expert", "mentor", "learning"] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];
export const SKILL_LEVEL_LABEL: Record<SkillLevel, string> = {
  expert: "Ask me about",
  mentor: "Can mentor",
  learning: "Learning",
};

const trimmed = (max: number, label: string) =>
  z.string().trim().max(max, `${label} must be at most ${max} characters.`);

export const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const EmailSchema = z
  .string({ required_error: "Email is required." })
  .trim()
  .toLowerCase()
  .min(1, "Email is required.")
  .max(254, "Email is too long.")
  .email("Enter a valid email address.");

/**
 * A new password (NIST SP 800-63B): long enough, no composition rules, long passphrases welcome.
 * The server also refuses common and breached passwords (server/domain/password-policy.ts).
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
export const PasswordSchema = z
  .string({ required_error: "Password is required.", invalid_type_error: "Password is required." })
  .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters.`);

export const LoginSchema = z.object({
  email: EmailSchema,
  password: z.string({ required_error: "Password is required." }).min(1, "Password is required.").max(PASSWORD_MAX),
});

export const ChangePasswordSchema = z.object({
  currentPassword: z.string({ required_error: "Enter your current password.", invalid_type_error: "Enter your current password." }).min(1, "Enter your current password.").max(PASSWORD_MAX, "That is not your current password."),
  newPassword: PasswordSchema,
});

export const ForgotPasswordSchema = z.object({ email: EmailSchema });

/** The token is 43 base64url characters; anything else is not a link we sent. */
export const PasswordTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const ResetPasswordSchema = z.object({
  token: PasswordTokenSchema,
  password: PasswordSchema,
});

export const SkillEntrySchema = z.object({
  name: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Skill name is required.")
    .max(40, "Skill names are at most 40 characters.")
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} .+#\-/]*$/u, "Skill names use letters, digits, spaces and . + # - /"),
  level: z.enum(SKILL_LEVELS, { errorMap: () => ({ message: "Choose a level." }) }),
});
export type SkillEntry = z.infer<typeof SkillEntrySchema>;

export const LinkSchema = z.object({
  label: trimmed(40, "Link label").min(1, "Link label is required."),
  url: z
    .string()
    .trim()
    .max(500, "Links are at most 500 characters.")
    // One message per problem: not an address at all, or an address of a kind we never link to.
    .superRefine((u, ctx) => {
      let protocol: string;
      try {
        protocol = new URL(u).protocol;
      } catch {
        ctx.addIssue({ code: "custom", message: "Enter a full address starting with https://" });
        return;
      }
      if (!["http:", "https:", "mailto:"].includes(protocol)) {
        ctx.addIssue({ code: "custom", message: "Only http, https and mailto links are allowed." });
      }
    }),
});

/** Fields a person edits on their own profile. */
export const ProfileSchema = z.object({
  name: trimmed(100, "Name").min(1, "Name is required."),
  pronouns: trimmed(40, "Pronouns").default(""),
  location: trimmed(100, "Location").default(""),
  timeZone: z.string().trim().refine(isTimeZone, "Choose a valid time zone, e.g. Europe/Paris."),
  bio: trimmed(2000, "Bio").default(""),
  links: z.array(LinkSchema).max(8, "At most 8 links.").default([]),
  skills: z
    .array(SkillEntrySchema)
    .max(40, "At most 40 skills.")
    .refine((s) => new Set(s.map((x) => x.name)).size === s.length, "Each skill may appear only once.")
    .default([]),
});
export type ProfileInput = z.infer<typeof ProfileSchema>;

/** Fields only an administrator edits (HR data). */
export const HrFieldsSchema = z.object({
  email: EmailSchema,
  title: trimmed(100, "Title").default(""),
  departmentId: z.string().trim().max(40).nullable().default(null),
  managerId: z.string().trim().max(40).nullable().default(null),
  teamIds: z.array(z.string().max(40)).max(50).default([]),
});
export type HrFieldsInput = z.infer<typeof HrFieldsSchema>;

export const StatusSchema = z.object({
  text: trimmed(100, "Status").default(""),
  emoji: z.string().trim().max(16, "Pick a single emoji.").default(""),
  until: dateTimeInput(),
});
export type StatusInput = z.infer<typeof StatusSchema>;

/** How a new account gets its password: an emailed invitation (a set-password link), one the admin types, or none (single sign-on). */
export const ACCOUNT_ACCESS = ["invite", "password", "none"] as const;

export const CreateUserSchema = z.preprocess(
  // Only "Choose a password for them now" takes a password; the other ways ignore the field.
  (v) => (v && typeof v === "object" && ["invite", "none"].includes((v as { access?: unknown }).access as string) ? { ...v, password: null } : v),
  z.object({
    email: EmailSchema,
    name: trimmed(100, "Name").min(1, "Name is required."),
    access: z.enum(ACCOUNT_ACCESS, { errorMap: () => ({ message: "Choose how they will sign in." }) }).default("password"),
    password: PasswordSchema.nullable(),
    role: z.enum(["admin", "leader", "member"], { errorMap: () => ({ message: "Choose a role." }) }).default("member"),
    title: trimmed(100, "Title").default(""),
    departmentId: z.string().trim().max(40).nullable().default(null),
  }),
);
export type CreateUserInput = z.infer<typeof CreateUserSchema>;

export const DirectoryQuerySchema = z.object({
  q: z.string().trim().max(200, "Search for at most 200 characters.").default(""),
  department: z.string().max(40, "That department is not in the list.").optional(),
  team: z.string().max(40, "That team is not in the list.").optional(),
  location: z.string().max(100, "That location is not in the list.").optional(),
  skill: z.string().max(40, "That skill is not in the list.").optional(),
  page: z.coerce.number({ invalid_type_error: "The page must be a whole number from 1 to 1,000." }).int("The page must be a whole number from 1 to 1,000.").min(1, "The page must be a whole number from 1 to 1,000.").max(1000, "The page must be a whole number from 1 to 1,000.").default(1),
});
export type DirectoryQuery = z.infer<typeof DirectoryQuerySchema>;
