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

export function TypeBadge({ type }: { type: SearchTypeValue }) {
  const l = SEARCH_TYPE_LABELS[type];
  return (
    <span className={`search-type search-type-${type}`} data-testid="result-type">
      <span aria-hidden="true">{l.icon}</span> {l.one}
    </span>
  );
}
