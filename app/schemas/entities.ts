import { z } from "zod";

/** The kinds of thing a page can show and watch for changes (entity.watch). */
export const ENTITY_TYPES = ["insight", "question", "doc", "person"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** One schema for the socket payload on both sides: what a page asks to watch. */
export const EntityRefSchema = z.object({
  type: z.enum(ENTITY_TYPES),
  id: z.string().trim().min(1).max(60),
});
export type EntityRef = z.infer<typeof EntityRefSchema>;
