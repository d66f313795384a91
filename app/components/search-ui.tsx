import { CircleHelp, FileText, Megaphone, MessageSquare, User, type LucideIcon } from "lucide-react";
import type { Segment } from "../../server/search/highlight.js";
import { SEARCH_TYPE_LABELS, type SearchTypeValue } from "~/schemas/search";

/** Marked text as React elements: every segment is text (escaped by React), marks wrap matches. */
export function Marked({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) => (s.mark ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}

const TYPE_ICONS: Record<SearchTypeValue, LucideIcon> = { person: User, doc: FileText, question: CircleHelp, answer: MessageSquare, insight: Megaphone };

export function TypeBadge({ type }: { type: SearchTypeValue }) {
  const l = SEARCH_TYPE_LABELS[type];
  const Icon = TYPE_ICONS[type];
  return (
    <span className={`search-type search-type-${type}`} data-testid="result-type">
      <Icon aria-hidden="true" size={13} /> {l.one}
    </span>
  );
}
