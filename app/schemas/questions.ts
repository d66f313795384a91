import { z } from "zod";
import { plainTextToDoc, richTextToPlain, RichTextError, RICH_TEXT_LIMITS, sanitizeRichText } from "../editor/rich-text";

/** Q&A schemas: one schema for the browser form, the Remix action, the domain verb and sockets. */

export const TITLE_MAX = 150;
export const TITLE_MIN = 5;
export const TAGS_MAX = 5;
export const COMMENT_MAX = 600;

export const TitleSchema = z
  .string({ required_error: "Title is required.", invalid_type_error: "Title is required." })
  .trim()
  .min(1, "Title is required.")
  .min(TITLE_MIN, `Title must be at least ${TITLE_MIN} characters — say what you need.`)
  .max(TITLE_MAX, `Title must be at most ${TITLE_MAX} characters.`);

/** A tag is a skill name (same rules as profile skills): "k8s" later resolves to kubernetes. */
export const TagNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Tags cannot be empty.")
  .max(40, "Tags are at most 40 characters.")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} .+#\-/]*$/u, "Tags use letters, digits, spaces and . + # - /");

/** Tags arrive as an array (JSON, sockets) or one comma-separated string (a plain form). */
export const TagListSchema = z.preprocess(
  (v) => {
    const list = typeof v === "string" ? v.split(",") : Array.isArray(v) ? v : v == null ? [] : v;
    if (!Array.isArray(list)) return list;
    const seen = new Set<string>();
    const out: unknown[] = [];
    for (const t of list) {
      if (typeof t !== "string") {
        out.push(t);
        continue;
      }
      const k = t.trim().toLowerCase();
      if (k && !seen.has(k)) {
        seen.add(k);
        out.push(k);
      }
    }
    return out;
  },
  z
    .array(TagNameSchema, { invalid_type_error: "Tags must be a list." })
    .min(1, "Add at least one tag so the right colleagues see your question.")
    .max(TAGS_MAX, `Use at most ${TAGS_MAX} tags.`),
);

/**
 * A body is either Lexical's serialized state (`json`, from the editor) or plain text (`plain`,
 * from the textarea shown before the editor loads or without JavaScript). Both come out as the
 * sanitised JSON plus its plain-text rendering.
 */
export const RichBodySchema = z
  .object({
    json: z.string().max(RICH_TEXT_LIMITS.maxJsonBytes, "The text is too long.").optional().nullable(),
    plain: z.string().max(RICH_TEXT_LIMITS.maxChars, `The text must be at most ${RICH_TEXT_LIMITS.maxChars.toLocaleString("en")} characters.`).optional().nullable(),
  })
  .default({})
  .transform((v, ctx) => {
    try {
      const doc = v.json ? sanitizeRichText(v.json) : plainTextToDoc(v.plain ?? "");
      return { json: JSON.stringify(doc), text: richTextToPlain(doc) };
    } catch (e) {
      ctx.addIssue({ code: "custom", message: e instanceof RichTextError ? e.message : "The text could not be read." });
      return z.NEVER;
    }
  });
export type RichBody = z.infer<typeof RichBodySchema>;

const optionalId = z
  .string()
  .trim()
  .max(60, "That reference is too long.")
  .optional()
  .nullable()
  .transform((v) => v || null);

export const AskQuestionSchema = z.object({
  title: TitleSchema,
  body: RichBodySchema,
  tags: TagListSchema,
  departmentId: optionalId,
  /** Links to a document or an insight: plain ids until those capabilities exist. */
  documentId: optionalId,
  insightId: optionalId,
});
export type AskQuestionInput = z.input<typeof AskQuestionSchema>;

export const EditQuestionSchema = AskQuestionSchema.extend({
  summary: z.string().trim().max(200, "The edit summary must be at most 200 characters.").default(""),
});

export const AnswerSchema = z.object({
  // No value when the body itself was refused (its message is already given).
  body: RichBodySchema.refine((b) => typeof b?.text !== "string" || b.text.trim().length > 0, "Write your answer first."),
});

export const EditAnswerSchema = AnswerSchema.extend({
  summary: z.string().trim().max(200, "The edit summary must be at most 200 characters.").default(""),
});

export const CommentSchema = z.object({
  body: z
    .string({ required_error: "Write a comment first." })
    .trim()
    .min(1, "Write a comment first.")
    .max(COMMENT_MAX, `Comments are at most ${COMMENT_MAX} characters.`),
  answerId: optionalId,
});

export const VoteSchema = z.object({
  value: z.coerce
    .number({ invalid_type_error: "Vote up, down, or remove your vote." })
    .int()
    .refine((v) => v === 1 || v === -1 || v === 0, "Vote up, down, or remove your vote."),
});

/** The original accepts an id or a pasted question address (…/questions/<id>). */
export const DuplicateSchema = z.object({
  duplicateOf: z
    .string({ required_error: "Choose the question this one duplicates." })
    .trim()
    .min(1, "Choose the question this one duplicates.")
    .max(300)
    .transform((v) => v.match(/questions\/([A-Za-z0-9_-]+)/)?.[1] ?? v),
});

export const DeleteSchema = z.object({
  reason: z.string().trim().max(300, "The reason must be at most 300 characters.").default(""),
});

export const LIST_SORTS = ["newest", "active", "votes", "unanswered", "department"] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export const LIST_SORT_LABEL: Record<ListSort, string> = {
  newest: "Newest",
  active: "Active",
  votes: "Most votes",
  unanswered: "Unanswered",
  department: "Needs my department",
};

export const ListQuerySchema = z.object({
  sort: z.enum(LIST_SORTS).catch("newest").default("newest"),
  tag: z.string().trim().toLowerCase().max(40).optional().transform((v) => v || undefined),
  department: z.string().trim().max(40).optional().transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export const SimilarQuerySchema = z.object({
  title: z.string().max(TITLE_MAX * 2).default(""),
  body: z.string().max(5_000).default(""),
  tags: z.string().max(400).default(""),
  exclude: z.string().max(60).optional(),
});

export const AskPersonSchema = z.object({
  userId: z.string({ required_error: "Choose a person." }).trim().min(1, "Choose a person.").max(60),
});
export const AskDepartmentSchema = z.object({
  departmentId: z.string({ required_error: "Choose a department." }).trim().min(1, "Choose a department.").max(60),
});

export const TagDescriptionSchema = z.object({
  description: z.string().trim().max(1000, "The description must be at most 1,000 characters.").default(""),
});
