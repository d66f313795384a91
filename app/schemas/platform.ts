import { z } from "zod";

/** Schemas shared by the platform's forms, actions and API (tokens, webhooks, import). */

/**
 * What a token may do. "insights:ingest" only posts insights (POST /api/v1/insights): a
 * social-listening tool or mail forwarder gets nothing else (decision 056).
 */
export const API_SCOPES = ["read", "write", "insights:ingest"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The access a person chooses in the form, and the scopes each grants. */
export const TOKEN_ACCESS = {
  read: { label: "Read only", scopes: ["read"] },
  write: { label: "Read and write", scopes: ["read", "write"] },
  insights: { label: "Send insights only", scopes: ["insights:ingest"] },
} as const satisfies Record<string, { label: string; scopes: readonly ApiScope[] }>;
export type TokenAccess = keyof typeof TOKEN_ACCESS;

export const CreateApiTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name, e.g. “Calendar sync”.").max(80, "Names are at most 80 characters."),
  kind: z.enum(["personal", "integration"]).default("personal"),
  scope: z
    .enum(["read", "write", "insights"], { errorMap: () => ({ message: "Choose read, read and write, or send insights only." }) })
    .default("read"),
  expiresInDays: z.coerce
    .number({ invalid_type_error: "Choose when the token expires." })
    .int()
    .min(0)
    .max(730, "Tokens last at most two years.")
    .default(90)
    .describe("0 = never expires"),
}).superRefine((t, c) => {
  // Insights arrive from systems, not people: an ingest token belongs to the organisation.
  if (t.scope === "insights" && t.kind !== "integration") {
    c.addIssue({ code: z.ZodIssueCode.custom, path: ["scope"], message: "Only an admin's integration token can send insights." });
  }
});
export type CreateApiTokenInput = z.infer<typeof CreateApiTokenSchema>;

/** Events an outgoing webhook can subscribe to. Some are published by features still to land. */
export const WEBHOOK_EVENTS = {
  "person.updated": "A profile or HR field changed",
  "person.deactivated": "A person was deactivated",
  "directory.imported": "A directory import was committed",
  "question.asked": "A question was asked",
  "question.answered": "A question was answered",
  "insight.routed": "A customer insight was routed to a team",
  "insight.breached": "A routed insight breached its SLA",
  "document.published": "A document was published",
} as const;
export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;

export const WebhookSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, "Enter the address to send events to.")
    .max(2000, "Addresses are at most 2000 characters.")
    .url("Enter a full address starting with https://")
    .refine((u) => /^https?:\/\//i.test(u), "Only http and https addresses are allowed."),
  description: z.string().trim().max(200, "Descriptions are at most 200 characters.").default(""),
  events: z
    .array(z.enum(Object.keys(WEBHOOK_EVENTS) as [WebhookEvent, ...WebhookEvent[]], { errorMap: () => ({ message: "Unknown event." }) }))
    .min(1, "Choose at least one event.")
    .transform((e) => [...new Set(e)].sort()),
  active: z.boolean().default(true),
});
export type WebhookInput = z.infer<typeof WebhookSchema>;
