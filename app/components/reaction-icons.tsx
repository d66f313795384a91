import { Eye, Heart, Lightbulb, PartyPopper, ThumbsUp, type LucideIcon } from "lucide-react";
import type { ReactionKey } from "~/schemas/feed";

/**
 * Reaction buttons draw SVG icons (an emoji shows as an empty box where no emoji font is installed); the button's aria-label names it.
 * Each icon is drawn once per page (ReactionSprite, in the signed-in shell) and every button shows it with `<use>`:
 * a feed of twenty items would otherwise render and send a hundred full icons.
 */
const REACTION_ICONS: Record<ReactionKey, { Icon: LucideIcon; name: string }> = {
  thumbsup: { Icon: ThumbsUp, name: "thumbs-up" },
  heart: { Icon: Heart, name: "heart" },
  tada: { Icon: PartyPopper, name: "party-popper" },
  bulb: { Icon: Lightbulb, name: "lightbulb" },
  eyes: { Icon: Eye, name: "eye" },
};
const spriteId = (reaction: ReactionKey) => `reaction-icon-${reaction}`;

export function ReactionSprite() {
  return (
    <svg aria-hidden="true" width="0" height="0" style={{ position: "absolute" }} focusable="false">
      {(Object.keys(REACTION_ICONS) as ReactionKey[]).map((key) => {
        const { Icon } = REACTION_ICONS[key];
        return (
          <symbol key={key} id={spriteId(key)} viewBox="0 0 24 24">
            <Icon size={24} />
          </symbol>
        );
      })}
    </svg>
  );
}

export function ReactionIcon({ reaction }: { reaction: ReactionKey }) {
  return (
    <svg aria-hidden="true" width={16} height={16} viewBox="0 0 24 24" className={`lucide lucide-${REACTION_ICONS[reaction].name}`} data-reaction={reaction}>
      <use href={`#${spriteId(reaction)}`} />
    </svg>
  );
}

