import { z } from "zod";

/**
 * The social layer: follows, reactions, the home feed and the email digest. One schema
 * for the browser form, the Remix action, the domain verb and socket payloads.
 */

// ───────────────────────────── reactions ─────────────────────────────

/** A small fixed set, stored by key ("thumbsup"), never by emoji (decision 066). */
export const REACTION_KEYS = ["thumbsup", "heart", "tada", "bulb", "eyes"] as const;
export type ReactionKey = (typeof REACTION_KEYS)[number];
export const REACTIONS: Record<ReactionKey, { emoji: string; label: string }> = {
  thumbsup: { emoji: "👍", label: "thumbs up" },
  heart: { emoji: "❤️", label: "heart" },
  tada: { emoji: "🎉", label: "party" },
  bulb: { emoji: "💡", label: "idea" },
  eyes: { emoji: "👀", label: "eyes" },
};
export const REACTION_TARGETS = ["question", "answer", "insight"] as const;
export type ReactionTarget = (typeof REACTION_TARGETS)[number];

export const ReactionToggleSchema = z.object({
  targetType: z.enum(REACTION_TARGETS, { errorMap: () => ({ message: "Reactions go on a question, an answer or an insight." }) }),
  targetId: z.string({ required_error: "Say what you react to." }).trim().min(1, "Say what you react to.").max(60, "That id is too long."),
  key: z.enum(REACTION_KEYS, {
    errorMap: () => ({ message: `Choose one of the reactions: ${REACTION_KEYS.map((k) => REACTIONS[k].label).join(", ")}.` }),
  }),
});
export type ReactionToggle = z.infer<typeof ReactionToggleSchema>;

export interface ReactionCount {
  key: ReactionKey;
  count: number;
  /** Names of the people who reacted (the first few), for the tooltip and the screen-reader label. */
  names: string[];
  mine: boolean;
}
/** What travels over the socket when someone reacts: counts only; `mine` is the receiver's to keep. */
export interface ReactionChangedPayload {
  targetType: ReactionTarget;
  targetId: string;
  counts: { key: ReactionKey; count: number; names: string[] }[];
  /** Who toggled, so their own tab can update `mine`. */
  userId: string;
  key: ReactionKey;
  on: boolean;
}

/** "thumbs up, 3" — what a screen reader (and a headless browser without emoji fonts) gets. */
export const reactionLabel = (key: ReactionKey, count: number) => `${REACTIONS[key].label}, ${count}`;

// ───────────────────────────── follows ─────────────────────────────

export const FOLLOW_KINDS = ["person", "space", "tag", "question"] as const;
export type FollowKind = (typeof FOLLOW_KINDS)[number];

export const FollowSchema = z.object({
  kind: z.enum(FOLLOW_KINDS, { errorMap: () => ({ message: "You can follow a person, a space, a tag or a question." }) }),
  id: z.string({ required_error: "Say what to follow." }).trim().min(1, "Say what to follow.").max(60, "That id is too long."),
  follow: z.preprocess((v) => (v === "true" || v === "on" ? true : v === "false" ? false : v), z.boolean({ invalid_type_error: "follow must be true or false." })),
});
export type FollowInput = z.infer<typeof FollowSchema>;

// ───────────────────────────── feed ─────────────────────────────

export const FEED_PAGE = 20;
/** The home page renders this many at first (about a screenful); "Load more" then brings FEED_PAGE at a time. */
export const FEED_FIRST_PAGE = 10;

export const FeedQuerySchema = z.object({
  cursor: z
    .string()
    .max(200, "That cursor is not valid.")
    .regex(/^[A-Za-z0-9_-]*$/, "That cursor is not valid.")
    .optional()
    .transform((v) => v || undefined),
  limit: z.coerce.number().int().min(1).max(50).default(FEED_PAGE),
});

export type FeedKind =
  | "question.asked"
  | "answer.posted"
  | "answer.accepted"
  | "question.routed"
  | "doc.created"
  | "doc.edited"
  | "doc.mentioned"
  | "insight.routed";

export interface FeedPerson {
  id: string;
  name: string;
  initials: string;
  photoUrl: string | null;
}

export interface FeedItem {
  id: string;
  kind: FeedKind;
  createdAt: string;
  actor: FeedPerson | null;
  /** "asked", "answered", "edited"… — the verb of the sentence "<actor> <verb> <title>". */
  verb: string;
  title: string;
  link: string;
  excerpt: string;
  /** Why this is in my feed: "You follow Priya Raman", "In saml, a tag you follow"… */
  why: string;
  /** What reactions attach to (questions, answers, insights), with the counts. */
  reactOn: { targetType: ReactionTarget; targetId: string; reactions: ReactionCount[] } | null;
}

export interface FeedPage {
  items: FeedItem[];
  nextCursor: string | null;
}

// ───────────────────────────── digest ─────────────────────────────

export const DIGEST_FREQUENCIES = ["daily", "weekly", "off"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];
export const DIGEST_LABEL: Record<DigestFrequency, string> = {
  daily: "Daily, each morning",
  weekly: "Weekly, on Monday mornings",
  off: "Off — no digest emails",
};

export const DigestPreferenceSchema = z.object({
  frequency: z.enum(DIGEST_FREQUENCIES, { errorMap: () => ({ message: "Choose daily, weekly or off." }) }),
});
