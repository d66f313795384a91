import { z } from "zod";

export const VISIBILITIES = ["private", "department", "company"] as const;
export const SHARE_ROLES = ["editor", "viewer"] as const;
export const PRINCIPAL_TYPES = ["user", "team", "department"] as const;

export const VISIBILITY_LABELS: Record<(typeof VISIBILITIES)[number], string> = {
  private: "Private — only you and people you share with",
  department: "Department — everyone in the department",
  company: "Company — everyone",
};

const id = z.string().trim().min(1).max(40);
const optionalId = z
  .string()
  .trim()
  .max(40)
  .transform((v) => v || null)
  .nullable()
  .default(null);

export const TitleSchema = z
  .string({ required_error: "Title is required." })
  .trim()
  .min(1, "Title is required.")
  .max(200, "Titles are at most 200 characters.");

export const NewDocumentSchema = z.object({
  title: TitleSchema,
  spaceId: id,
  parentId: optionalId,
  visibility: z.enum(VISIBILITIES, { errorMap: () => ({ message: "Choose private, department or company." }) }).optional(),
  audienceRole: z.enum(SHARE_ROLES).default("editor"),
});
export type NewDocumentInput = z.input<typeof NewDocumentSchema>;

export const DocSettingsSchema = z.object({
  title: TitleSchema.optional(),
  visibility: z.enum(VISIBILITIES, { errorMap: () => ({ message: "Choose private, department or company." }) }).optional(),
  audienceRole: z.enum(SHARE_ROLES).optional(),
  parentId: optionalId.optional(),
});

export const ShareSchema = z.object({
  principalType: z.enum(PRINCIPAL_TYPES, { errorMap: () => ({ message: "Share with a person, a team or a department." }) }),
  principalId: id,
  role: z.enum(SHARE_ROLES, { errorMap: () => ({ message: "Choose editor or viewer." }) }),
});

export const CommentSchema = z.object({
  body: z.string({ required_error: "Write a comment." }).trim().min(1, "Write a comment.").max(5000, "Comments are at most 5,000 characters."),
  threadId: optionalId,
  anchorId: z.string().trim().max(60).nullable().default(null),
  quote: z.string().trim().max(500).default(""),
  // a Yjs anchor (relative positions, base64), decision 045.
  anchorStart: z.string().trim().max(200, "That selection cannot be anchored.").regex(/^[A-Za-z0-9+/]*={0,2}$/, "That selection cannot be anchored.").nullable().default(null),
  anchorEnd: z.string().trim().max(200, "That selection cannot be anchored.").regex(/^[A-Za-z0-9+/]*={0,2}$/, "That selection cannot be anchored.").nullable().default(null),
});
export type CommentInput = z.input<typeof CommentSchema>;

export const ImportSchema = z.object({
  spaceId: id,
  parentId: optionalId,
  title: z.string().trim().max(200).default(""),
  markdown: z.string().max(1_000_000, "Markdown files are at most 1 MB."),
});

export const DocSearchSchema = z.object({ q: z.string().trim().max(200, "Search for at most 200 characters.").default("") });

export const IMAGE_TYPES = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" } as const;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

// ── restore one section of a revision (decision 043) ──
export const RestoreSectionSchema = z.object({
  revisionId: z.string({ required_error: "Choose a revision." }).trim().min(1, "Choose a revision.").max(60),
  /** "preamble" (the part before the first heading) or the index of the section's heading. */
  section: z.union([z.literal("preamble"), z.number().int().min(0).max(100_000), z.string().regex(/^\d{1,6}$/).transform(Number)], {
    errorMap: () => ({ message: "Choose a section of the revision." }),
  }),
});
export type RestoreSectionInput = z.input<typeof RestoreSectionSchema>;

// ── editing a comment (decision 045) ──
export const EditCommentSchema = z.object({
  body: CommentSchema.shape.body,
});
