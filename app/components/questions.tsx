import { Link, useFetcher } from "@remix-run/react";
import type { ReactNode } from "react";
import { Avatar, FieldError } from "~/components/person";
import { When, type WhenFormat } from "~/components/when";

export interface TagView {
  name: string;
  label: string;
}
export interface MiniPersonView {
  id: string;
  name: string;
  title: string;
  initials: string;
  photoUrl: string | null;
  active?: boolean;
  /** The Stack Exchange site an imported person's history came from. */
  importedFrom?: string | null;
}
export interface SummaryView {
  id: string;
  title: string;
  excerpt: string;
  tags: TagView[];
  author: MiniPersonView;
  department: { id: string; name: string } | null;
  createdAt: string;
  lastActivityAt: string;
  score: number;
  answerCount: number;
  accepted: boolean;
  closed: boolean;
  duplicate: boolean;
}

/** A Q&A date: relative by default, in the reader's zone (see ~/components/when). */
export function Time({ iso, prefix, format }: { iso: string; prefix?: string; format?: WhenFormat }) {
  return <When date={iso} prefix={prefix ? `${prefix} ` : undefined} format={format} />;
}

export const tagHref = (name: string) => `/questions/tagged/${encodeURIComponent(name)}`;

export function TagLink({ tag }: { tag: TagView }) {
  return (
    <Link to={tagHref(tag.name)} className="tag" data-testid="tag">
      {tag.name}
    </Link>
  );
}

export function PersonLink({ person, size = 20 }: { person: MiniPersonView; size?: number }) {
  return (
    <span className="row" style={{ gap: ".3rem", display: "inline-flex", flexWrap: "wrap" }}>
      <Avatar name={person.name} initials={person.initials} photoUrl={person.photoUrl} size={size} />
      <Link to={`/people/${person.id}`}>{person.name}</Link>
      <ImportedFrom site={person.importedFrom} />
    </span>
  );
}

/** A small muted note beside an imported person's name: their posts came from a Stack Exchange site. */
export function ImportedFrom({ site }: { site?: string | null }) {
  if (!site) return null;
  return (
    <span className="imported-from" data-testid="imported-from">
      Imported from {site}
    </span>
  );
}

export function QuestionSummaryItem({ q, isNew = false }: { q: SummaryView; isNew?: boolean }) {
  return (
    <li className={`card qa-item${isNew ? " qa-new" : ""}`} data-testid="question-item" data-question-id={q.id}>
      <div className="qa-stats">
        {/* Each text one string: one text node, where parts would each be a node with a marker between. */}
        <span>{`${q.score} vote${q.score === 1 || q.score === -1 ? "" : "s"}`}</span>
        <span className={q.accepted ? "accepted" : q.answerCount ? "answered" : undefined}>
          {`${q.accepted ? "✓ " : ""}${q.answerCount} answer${q.answerCount === 1 ? "" : "s"}`}
        </span>
      </div>
      <div>
        <h2>
          <Link to={`/questions/${q.id}`}>{q.title}</Link>
          {q.duplicate ? <span className="muted"> [duplicate]</span> : q.closed ? <span className="muted"> [closed]</span> : null}
        </h2>
        {q.excerpt && <p className="qa-excerpt">{q.excerpt}</p>}
        <div className="row" style={{ justifyContent: "space-between" }}>
          <div>
            {q.tags.map((t) => (
              <TagLink key={t.name} tag={t} />
            ))}
            {q.department && <span className="muted"> · for {q.department.name}</span>}
          </div>
          <span className="qa-meta">
            {`${q.author.name} · `}<Time iso={q.createdAt} />
          </span>
        </div>
      </div>
    </li>
  );
}

/** Up/down vote buttons; pressing your current vote again removes it. */
export function VoteControl({
  intent,
  targetId,
  score,
  myVote,
  canVote,
  what,
  disabledReason,
}: {
  intent: "vote-question" | "vote-answer";
  targetId: string;
  score: number;
  myVote: number;
  canVote: boolean;
  what: string;
  disabledReason: string;
}) {
  const fetcher = useFetcher<{ ok?: boolean; message?: string }>();
  const pending = fetcher.state !== "idle";
  const button = (value: 1 | -1, label: string, symbol: ReactNode) => {
    const pressed = myVote === value;
    return (
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="targetId" value={targetId} />
        <input type="hidden" name="value" value={pressed ? 0 : value} />
        <button
          type="submit"
          aria-pressed={pressed}
          aria-label={pressed ? `Remove your ${label} on this ${what}` : `${label[0]!.toUpperCase()}${label.slice(1)} this ${what}`}
          title={canVote ? undefined : disabledReason}
          disabled={!canVote || pending}
          data-testid={`${intent}-${value > 0 ? "up" : "down"}`}
        >
          {symbol}
        </button>
      </fetcher.Form>
    );
  };
  return (
    <div className="qa-vote">
      {button(1, "upvote", "▲")}
      <span className="qa-score" data-testid={`${intent}-score`} aria-label={`Score ${score}`}>
        {score}
      </span>
      {button(-1, "downvote", "▼")}
      {fetcher.data && fetcher.data.ok === false && <FieldError errors={[fetcher.data.message ?? "Could not vote."]} />}
    </div>
  );
}
