/**
 * What an @mention shows: the person's name as it is now, looked up by the id the mention holds.
 * The label stored with a mention (in the document or a comment) is whatever its writer's client
 * put there, so it is never shown. A deactivated person keeps their name, marked "(former
 * member)" so a reader knows not to ask them; an id that names nobody shows "@former member".
 * Browser and server both resolve through here (decision 170).
 */
export const FORMER_MEMBER = "former member";

/** userId → the name a mention of them shows (without the "@"). */
export type MentionNames = ReadonlyMap<string, string>;

/** The name to show for a person row (null: nobody has this id). */
export function mentionDisplayName(person: { name: string; active: boolean } | null | undefined): string {
  if (!person) return FORMER_MEMBER;
  return person.active ? person.name : `${person.name} (${FORMER_MEMBER})`;
}

/** "@Name" for a mention of `userId`, from names looked up by id; never the stored label. */
export function mentionLabel(names: MentionNames, userId: string): string {
  return `@${names.get(userId) ?? FORMER_MEMBER}`;
}
