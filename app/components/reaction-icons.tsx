import { Clock, Eye, Heart, Lightbulb, PartyPopper, ThumbsUp, type LucideIcon } from "lucide-react";
import type { ReactionKey } from "~/schemas/feed";

/**
 * Reaction buttons draw SVG icons (an emoji shows as an empty box where no emoji font is installed); the button's aria-label names it.
 * Each icon is drawn once per page (ReactionSprite, in the signed-in shell) and every button shows it with `<use>`:
 * a feed of twenty items would otherwise render and send a hundred full icons. The clock beside a
 * person's local time (a directory page shows two dozen) is drawn once the same way.
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
      <symbol id={CLOCK_ID} viewBox="0 0 24 24">
        <Clock size={24} />
      </symbol>
    </svg>
  );
}

const CLOCK_ID = "icon-clock";

/** Lucide's clock, drawn from the sprite (the same markup as `<Clock size={14} />` around a `<use>`). */
export function ClockIcon() {
  return (
    <svg aria-hidden="true" width={14} height={14} viewBox="0 0 24 24" className="lucide lucide-clock">
      <use href={`#${CLOCK_ID}`} />
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

