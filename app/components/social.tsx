/**
 * The social layer in the browser: follow buttons, reaction bars that stay live over
 * the socket, and the home feed list with "Load more" and live arrivals.
 */
import { Check, Megaphone } from "lucide-react";
import { ReactionIcon } from "~/components/reaction-icons";
import { useEffect, useState } from "react";
import { When } from "~/components/when";
import { Link, useFetcher, useLocation } from "@remix-run/react";
import {
  REACTION_KEYS,
  REACTIONS,
  reactionLabel,
  type FeedItem,
  type FeedPage,
  type FollowKind,
  type ReactionCount,
  type ReactionKey,
  type ReactionTarget,
} from "~/schemas/feed";
import { Avatar } from "~/components/person";
import { useSocketEvent } from "~/realtime/client";
import { useRootData } from "~/root";

/** "fetcher" once hydrated: the action answers with data instead of redirecting back (which a plain form needs). */
function ViaField() {
  const [js, setJs] = useState(false);
  useEffect(() => setJs(true), []);
  return <input type="hidden" name="via" value={js ? "fetcher" : "form"} />;
}

/** Follow / Following (unfollow) — a form that also works without JavaScript. */
export function FollowButton({ kind, id, following, name }: { kind: FollowKind; id: string; following: boolean; name: string }) {
  const fetcher = useFetcher();
  const location = useLocation();
  const pending = fetcher.formData ? fetcher.formData.get("follow") === "true" : following;
  return (
    <fetcher.Form method="post" action="/social/follow" className="follow-button" style={{ display: "inline" }}>
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="follow" value={pending ? "false" : "true"} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <ViaField />
      <button type="submit" className={pending ? "secondary" : ""} aria-pressed={pending} data-testid="follow-button" aria-label={pending ? `Following ${name}` : `Follow ${name}`}>
        {pending ? <span className="icon-text">Following <Check aria-hidden="true" size={14} /></span> : "Follow"}
      </button>
    </fetcher.Form>
  );
}

/** Every reaction key as a toggle, with its count and who reacted; updated live from "reaction.changed". */
export function Reactions({ targetType, targetId, initial }: { targetType: ReactionTarget; targetId: string; initial: ReactionCount[] }) {
  const me = useRootData()?.user?.id;
  const [counts, setCounts] = useState(initial);
  const fetcher = useFetcher<{ counts?: ReactionCount[] }>();
  const location = useLocation();
  // By value: a parent may pass a fresh array on every render.
  const initialKey = JSON.stringify(initial);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setCounts(initial), [initialKey]);
  useEffect(() => {
    if (fetcher.data?.counts) setCounts(fetcher.data.counts);
  }, [fetcher.data]);
  useSocketEvent("reaction.changed", (p) => {
    if (p.targetType !== targetType || p.targetId !== targetId) return;
    setCounts((prev) =>
      p.counts.map((c) => ({
        ...c,
        mine: p.userId === me && c.key === p.key ? p.on : (prev.find((x) => x.key === c.key)?.mine ?? false),
      })),
    );
  });
  return (
    <fetcher.Form method="post" action="/social/react" className="reactions" data-testid={`reactions-${targetType}-${targetId}`}>
      <input type="hidden" name="targetType" value={targetType} />
      <input type="hidden" name="targetId" value={targetId} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <ViaField />
      {REACTION_KEYS.map((key) => {
        const c = counts.find((x) => x.key === key);
        const count = c?.count ?? 0;
        const who = c?.names.length ? `${c.names.join(", ")}${count > c.names.length ? ` and ${count - c.names.length} more` : ""} reacted with ${REACTIONS[key].label}` : `React with ${REACTIONS[key].label}`;
        return (
          <button key={key} type="submit" name="key" value={key} className="reaction" aria-pressed={!!c?.mine} aria-label={reactionLabel(key, count)} title={who}>
            <ReactionIcon reaction={key} />
            {count > 0 && <span className="count" aria-hidden="true">{count}</span>}
          </button>
        );
      })}
    </fetcher.Form>
  );
}

function FeedEntry({ item, fresh }: { item: FeedItem; fresh: boolean }) {
  return (
    <li className={`card feed-item${fresh ? " feed-new" : ""}`} data-testid="feed-item" data-kind={item.kind}>
      {item.actor ? <Avatar name={item.actor.name} initials={item.actor.initials} photoUrl={item.actor.photoUrl} size={36} /> : <Megaphone aria-hidden="true" size={28} className="feed-icon" />}
      <div className="feed-body">
        <div>
          {item.actor ? <Link to={`/people/${item.actor.id}`}>{item.actor.name}</Link> : "A customer channel"} {item.verb}{" "}
          <Link to={item.link} data-testid="feed-link"><strong>{item.title}</strong></Link>
        </div>
        <div className="muted feed-why">
          {item.why} · <When date={item.createdAt} />
        </div>
        {item.excerpt && <p className="feed-excerpt">{item.excerpt}</p>}
        {item.reactOn && <Reactions targetType={item.reactOn.targetType} targetId={item.reactOn.targetId} initial={item.reactOn.reactions} />}
      </div>
    </li>
  );
}

/** The home feed: server-rendered first page, live arrivals on top, "Load more" below. */
export function Feed({ initial }: { initial: FeedPage }) {
  const [items, setItems] = useState(initial.items);
  const [cursor, setCursor] = useState(initial.nextCursor);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const more = useFetcher<FeedPage>();
  useEffect(() => {
    setItems(initial.items);
    setCursor(initial.nextCursor);
  }, [initial]);
  useEffect(() => {
    const page = more.data;
    if (!page?.items) return;
    setItems((prev) => [...prev, ...page.items.filter((i) => !prev.some((p) => p.id === i.id))]);
    setCursor(page.nextCursor);
  }, [more.data]);
  useSocketEvent("feed.item", ({ item }) => {
    setItems((prev) => [item, ...prev.filter((p) => p.id !== item.id)]);
    setFresh((prev) => new Set(prev).add(item.id));
  });
  if (!items.length) {
    return (
      <p className="muted" data-testid="feed-empty">
        Nothing here yet. Follow <Link to="/people">people</Link>, <Link to="/questions">tags and questions</Link> or <Link to="/docs">document spaces</Link>, and what they do appears here as it happens.
      </p>
    );
  }
  return (
    <>
      <ul className="list-plain" data-testid="feed" aria-live="polite">
        {items.map((item) => <FeedEntry key={item.id} item={item} fresh={fresh.has(item.id)} />)}
      </ul>
      {cursor && (
        <p>
          <button type="button" className="secondary" disabled={more.state !== "idle"} onClick={() => more.load(`/social/feed?cursor=${encodeURIComponent(cursor)}`)}>
            {more.state === "idle" ? "Load more" : "Loading…"}
          </button>
        </p>
      )}
    </>
  );
}
