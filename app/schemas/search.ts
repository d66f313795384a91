import { z } from "zod";

/** Shared by the search page, the palette's resource route and the search verbs. */
export const SEARCH_TYPE_VALUES = ["person", "doc", "question", "answer", "insight"] as const;
export type SearchTypeValue = (typeof SEARCH_TYPE_VALUES)[number];

export const SEARCH_TYPE_LABELS: Record<SearchTypeValue, { one: string; many: string }> = {
  person: { one: "Person", many: "People" },
  doc: { one: "Document", many: "Documents" },
  question: { one: "Question", many: "Questions" },
  answer: { one: "Answer", many: "Answers" },
  insight: { one: "Insight", many: "Insights" },
};

/** Longest query honoured; longer input is cut (and the page says so), never refused. */
export const SEARCH_MAX_CHARS = 200;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const day = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.")
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "That is not a real date.")
    .optional(),
);

export const SearchSchema = z
  .object({
    // Anything typed is accepted and cut later (see SEARCH_MAX_CHARS); only absurd sizes are dropped.
    q: z.preprocess((v) => (typeof v === "string" ? v.slice(0, 10_000) : ""), z.string()),
    type: z.preprocess(blankToUndefined, z.enum(SEARCH_TYPE_VALUES, { errorMap: () => ({ message: "Choose people, documents, questions, answers or insights." }) }).optional()),
    department: z.preprocess(blankToUndefined, z.string().trim().max(40).optional()),
    tag: z.preprocess(blankToUndefined, z.string().trim().max(60).optional()),
    from: day,
    to: day,
    page: z.preprocess(blankToUndefined, z.coerce.number().int("Pages are whole numbers.").min(1).max(50).default(1)),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "The start date is after the end date.", path: ["to"] });
export type SearchInput = z.infer<typeof SearchSchema>;

export const SuggestSchema = z.object({
  q: z.preprocess((v) => (typeof v === "string" ? v.slice(0, 10_000) : ""), z.string()),
  /** One kind only (a picker for documents or insights); the palette leaves it out. */
  type: z.preprocess(blankToUndefined, z.enum(SEARCH_TYPE_VALUES, { errorMap: () => ({ message: "Choose people, documents, questions, answers or insights." }) }).optional()),
});
