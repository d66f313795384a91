/**
 * Customer insights: the vocabulary (channels, statuses, …) and the Zod schemas shared by the
 * browser forms, the Remix actions, the ingest API and the domain verbs.
 */
import { z } from "zod";

export const CHANNELS = ["twitter", "facebook", "instagram", "linkedin", "review_site", "email", "phone", "chat", "store", "other"] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABEL: Record<Channel, string> = {
  twitter: "Twitter / X",
  facebook: "Facebook",
  instagram: "Instagram",
  linkedin: "LinkedIn",
  review_site: "Review site",
  email: "Email",
  phone: "Phone",
  chat: "Chat",
  store: "Store",
  other: "Other",
};

export const SENTIMENTS = ["negative", "neutral", "positive"] as const;
export type SentimentLabel = (typeof SENTIMENTS)[number];

export const STATUSES = ["new", "acknowledged", "in_progress", "resolved", "declined"] as const;
export type InsightStatus = (typeof STATUSES)[number];
export const STATUS_LABEL: Record<InsightStatus, string> = {
  new: "New",
  acknowledged: "Acknowledged",
  in_progress: "In progress",
  resolved: "Resolved",
  declined: "Declined",
};
export const OPEN_STATUSES: readonly InsightStatus[] = ["new", "acknowledged", "in_progress"];

export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

export const TIERS = ["strategic", "gold", "silver", "standard"] as const;
export type Tier = (typeof TIERS)[number];

/**
 * The customer topics Atrium recognises in the customer's words (server/insights/topics.ts holds
 * the phrases). Rules can route on them; the insight page shows them with the phrases that drove them.
 */
export const CUSTOMER_TOPICS = [
  { key: "lost-damaged", label: "Lost or damaged item" },
  { key: "cancelled", label: "Cancelled" },
  { key: "refund-billing", label: "Refund, billing or charges" },
  { key: "account-login", label: "Account or login" },
  { key: "website-app", label: "Website or app not working" },
  { key: "late-delayed", label: "Late or delayed" },
  { key: "waiting-no-reply", label: "Waiting, on hold or no reply" },
  { key: "staff-attitude", label: "Staff attitude" },
  { key: "booking-order", label: "Booking or order problem" },
  { key: "product-quality", label: "Product or service quality" },
  { key: "praise", label: "Praise" },
] as const;
export type CustomerTopic = (typeof CUSTOMER_TOPICS)[number]["key"];
export const CUSTOMER_TOPIC_KEYS: readonly string[] = CUSTOMER_TOPICS.map((t) => t.key);
export const customerTopicLabel = (key: string) => CUSTOMER_TOPICS.find((t) => t.key === key)?.label ?? key;

export const MATCH_MODES = ["first", "every"] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/** "30m", "4h", "2d", "1h30m" or a bare number of minutes → minutes. */
export function parseDuration(input: string): number | null {
  const s = input.trim().toLowerCase().replace(/\s+/g, "");
  if (!s) return null;
  if (/^\d+$/.test(s)) return Number(s);
  const re = /(\d+)(d|h|m)/g;
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    total += Number(m[1]) * (m[2] === "d" ? 1440 : m[2] === "h" ? 60 : 1);
    consumed += m[0].length;
  }
  return consumed === s.length && consumed > 0 ? total : null;
}

export function formatDuration(minutes: number): string {
  if (minutes <= 0) return "0m";
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean).join(" ");
}

const MAX_SLA_MINUTES = 60 * 24 * 90;

const duration = (label: string) =>
  z.union([z.string(), z.number()]).transform((v, c) => {
    const minutes = typeof v === "number" ? v : parseDuration(v);
    if (minutes === null || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_SLA_MINUTES) {
      c.addIssue({ code: "custom", message: `${label}: give a duration such as 30m, 4h or 2d (at most 90d).` });
      return z.NEVER;
    }
    return minutes;
  });

const tagList = z
  .union([z.string(), z.array(z.string())])
  .default([])
  .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((t) => t.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.string().max(40, "Tags are at most 40 characters.")).max(10, "At most 10 tags."))
  .transform((v) => [...new Set(v)]);

const httpUrl = z
  .string()
  .trim()
  .max(2000, "The link is too long.")
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, "The source link must be an http(s) address.");

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .nullable()
    .transform((v) => v || null);

/** An insight as a person (or an integration) submits it. */
export const NewInsightSchema = z.object({
  text: z
    .string({ required_error: "The customer's words are required.", invalid_type_error: "The customer's words must be text." })
    .trim()
    .min(1, "The customer's words are required.")
    .max(5000, "At most 5,000 characters."),
  channel: z.enum(CHANNELS, {
    errorMap: () => ({ message: `Channel must be one of: ${CHANNELS.join(", ")}.` }),
  }),
  accountId: optionalText(40),
  sourceUrl: z
    .union([z.literal(""), httpUrl])
    .optional()
    .nullable()
    .transform((v) => v || null),
  products: tagList,
  topics: tagList,
});
export type NewInsightInput = z.input<typeof NewInsightSchema>;

/**
 * The ingest API body. Accounts are named (integrations do not know Atrium ids); the external id
 * makes a retry harmless.
 */
export const ApiInsightSchema = NewInsightSchema.omit({ accountId: true }).extend({
  externalId: z
    .string({ required_error: "externalId is required: it makes retries safe.", invalid_type_error: "externalId must be a string." })
    .trim()
    .min(1, "externalId is required: it makes retries safe.")
    .max(200, "externalId is at most 200 characters."),
  account: optionalText(120),
  postedByEmail: z.string().trim().toLowerCase().email("postedByEmail must be an email address.").max(200).optional().nullable(),
});
export type ApiInsightInput = z.input<typeof ApiInsightSchema>;

export const AccountSchema = z.object({
  name: z.string({ required_error: "Name is required." }).trim().min(1, "Name is required.").max(120, "At most 120 characters."),
  segment: z.string().trim().max(60, "At most 60 characters.").default(""),
  tier: z.enum(TIERS, { errorMap: () => ({ message: `Tier must be one of: ${TIERS.join(", ")}.` }) }).default("standard"),
});

const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .union([item, z.array(item)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const optionalScore = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v, c) => {
    if (v === null || v === undefined || v === "") return null;
    const n = typeof v === "number" ? v : Number(v);
    if (!Number.isFinite(n) || n < -1 || n > 1) {
      c.addIssue({ code: "custom", message: "A sentiment threshold is a number between -1 and 1." });
      return z.NEVER;
    }
    return n;
  });

export const RuleConditionsSchema = z.object({
  products: tagList,
  topics: tagList,
  channels: list(z.enum(CHANNELS)),
  tiers: list(z.enum(TIERS)),
  /** Matches when the sentiment score is at most this (e.g. -0.3: clearly negative). */
  sentimentAtMost: optionalScore,
  /** Matches when the sentiment score is at least this (e.g. 0.3: praise). */
  sentimentAtLeast: optionalScore,
  /** Customer topics recognised in the words (CUSTOMER_TOPICS keys); any of them will do. */
  customerTopics: z
    .union([z.string(), z.array(z.string())])
    .default([])
    .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((k) => k.trim().toLowerCase()).filter(Boolean))
    .superRefine((keys, c) => {
      const unknown = keys.filter((k) => !CUSTOMER_TOPIC_KEYS.includes(k));
      if (unknown.length) {
        c.addIssue({ code: "custom", message: `Unknown customer topic ${unknown.map((k) => `"${k.slice(0, 40)}"`).join(", ")}: choose from ${CUSTOMER_TOPIC_KEYS.join(", ")}.` });
      }
    })
    .transform((v) => [...new Set(v)]),
  keywords: z
    .union([z.string(), z.array(z.string())])
    .default([])
    .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((k) => k.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().max(60, "Keywords are at most 60 characters.")).max(30, "At most 30 keywords.")),
});
export type RuleConditionsInput = z.input<typeof RuleConditionsSchema>;

export const RuleSchema = z
  .object({
    name: z.string({ required_error: "Name is required." }).trim().min(1, "Name is required.").max(120, "At most 120 characters."),
    enabled: z
      .union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")])
      .optional()
      .transform((v) => v === true || v === "on" || v === "true"),
    teamIds: list(z.string().max(40)).pipe(z.array(z.string()).min(1, "Choose at least one team.")),
    priority: z.enum(PRIORITIES).default("normal"),
    ackWithin: duration("Acknowledge within"),
    resolveWithin: duration("Resolve within"),
    conditions: RuleConditionsSchema,
  })
  .refine((r) => r.resolveWithin >= r.ackWithin, { message: "Resolve within must be at least acknowledge within.", path: ["resolveWithin"] });
export type RuleInput = z.input<typeof RuleSchema>;

export const SettingsSchema = z.object({
  matchMode: z.enum(MATCH_MODES, { errorMap: () => ({ message: "Choose first match or every match." }) }),
  triageTeamId: z.string().trim().min(1, "Choose a triage team.").max(40),
  triageAckWithin: duration("Triage acknowledge within"),
  triageResolveWithin: duration("Triage resolve within"),
});

/** An example insight for the "test this rule" box (nothing is stored). */
export const RuleTestSchema = z.object({
  text: z.string().trim().max(5000).default(""),
  channel: z.enum(CHANNELS).default("other"),
  tier: z
    .union([z.enum(TIERS), z.literal("")])
    .optional()
    .transform((v) => v || null),
  products: tagList,
  topics: tagList,
});

export const TransitionSchema = z
  .object({
    to: z.enum(["acknowledged", "in_progress", "resolved", "declined", "reopened"], {
      errorMap: () => ({ message: "Unknown step." }),
    }),
    note: z.string().trim().max(2000, "At most 2,000 characters.").default(""),
  })
  .refine((t) => t.to !== "resolved" || t.note.length > 0, { message: "Say how it was resolved.", path: ["note"] })
  .refine((t) => t.to !== "declined" || t.note.length > 0, { message: "Say why it is declined.", path: ["note"] });

export const SentimentOverrideSchema = z.object({
  label: z.enum(SENTIMENTS, { errorMap: () => ({ message: "Choose negative, neutral or positive." }) }),
});

export const InsightLinksSchema = z.object({
  questionId: optionalText(40),
  documentId: optionalText(40),
});

export const InsightFilterSchema = z.object({
  team: z.string().max(40, "That team is not in the list.").optional(),
  status: z.union([z.enum(STATUSES), z.literal("open")]).optional().catch(undefined),
  sentiment: z.enum(SENTIMENTS).optional().catch(undefined),
  channel: z.enum(CHANNELS).optional().catch(undefined),
  account: z.string().max(40, "That account is not in the list.").optional(),
  tag: z.string().max(40, "That tag is not in the list.").optional(),
  issue: z.string().max(40, "That recurring issue is not in the list.").optional(),
  breached: z
    .string()
    .optional()
    .transform((v) => v === "1" || v === "true"),
  page: z.coerce.number().int().min(1).max(1000).optional().catch(1),
});
export type InsightFilter = z.infer<typeof InsightFilterSchema>;
