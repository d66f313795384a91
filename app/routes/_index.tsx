import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Avatar, LocalTime, Presence, Status } from "~/components/person";
import { requireAuth } from "~/utils/http.server";
import { Feed } from "~/components/social";
import { FEED_FIRST_PAGE } from "~/schemas/feed";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const [around, notifications, feed] = await Promise.all([
    context.domain.people.whoIsAround(auth.actor),
    context.domain.notifications.listNotifications(auth.actor, { limit: 5 }),
    context.domain.feed.getFeed(auth.actor, { limit: FEED_FIRST_PAGE }),
  ]);
  return { name: auth.user.name, around, notifications, feed };
}

export default function Home() {
  const { name, around, notifications, feed } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Welcome, {name.split(" ")[0]}</h1>
      <div className="layout-2">
        {/* feed: what changed that matters to me; "Who is around" moves to the side panel. */}
        <section aria-labelledby="feed-h">
          <h2 id="feed-h">Your feed</h2>
          <Feed initial={feed} />
        </section>
        <aside>
        <section aria-labelledby="around-h">
          <h2 id="around-h">Who is around</h2>
          {around.length === 0 ? (
            <p className="muted">Nobody else is online right now.</p>
          ) : (
            <ul className="list-plain">
              {around.map((p) => (
                <li key={p.id} className="card person-card">
                  <Avatar name={p.name} initials={p.initials} photoUrl={p.photoUrl} />
                  <div>
                    <Link to={`/people/${p.id}`}>{p.name}</Link> <Presence userId={p.id} initial={p.presence} />
                    <div className="muted">{p.title}{p.department ? ` · ${p.department.name}` : ""}</div>
                    <Status userId={p.id} initial={p.status} /> <LocalTime timeZone={p.timeZone} />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="notif-h">
          <h2 id="notif-h">Latest notifications</h2>
          {notifications.length === 0 ? (
            <p className="muted">You are all caught up.</p>
          ) : (
            <ul className="list-plain">
              {notifications.map((n) => (
                <li key={n.id} className={`card ${n.readAt ? "" : "notification-unread"}`}>
                  {n.link ? <Link to={n.link}>{n.title}</Link> : n.title}
                </li>
              ))}
            </ul>
          )}
          <p><Link to="/notifications">All notifications</Link></p>
        </section>
        </aside>
      </div>
    </>
  );
}
