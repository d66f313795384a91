import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useSocketEvent } from "~/realtime/client";
import { requireAuth, runAction } from "~/utils/http.server";
import { When } from "~/components/when";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  return { notifications: await context.domain.notifications.listNotifications(auth.actor, { limit: 100 }) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  return runAction(async () => {
    if (form.get("intent") === "read-all") await context.domain.notifications.markAllRead(auth.actor);
    else await context.domain.notifications.markRead(auth.actor, String(form.get("id") ?? ""));
    return { ok: true as const };
  });
}

export default function Notifications() {
  const { notifications } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  // New notifications appear on this page as they arrive.
  useSocketEvent("notification.created", () => revalidator.revalidate());
  const unread = notifications.filter((n) => !n.readAt).length;
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>Notifications</h1>
        {unread > 0 && (
          <Form method="post">
            <button type="submit" name="intent" value="read-all" className="secondary">Mark all as read</button>
          </Form>
        )}
      </div>
      {notifications.length === 0 && <p className="muted">Nothing yet. Notifications about your teams and people you work with appear here.</p>}
      <ul className="list-plain" data-testid="notification-list">
        {notifications.map((n) => (
          <li key={n.id} className={`card row ${n.readAt ? "" : "notification-unread"}`} data-testid="notification" data-read={n.readAt ? "true" : "false"} style={{ justifyContent: "space-between" }}>
            <div>
              <strong>{n.link ? <Link to={n.link}>{n.title}</Link> : n.title}</strong>
              {n.body && <p style={{ margin: ".25rem 0 0", whiteSpace: "pre-wrap" }}>{n.body}</p>}
              <div className="muted"><When date={n.createdAt} />{!n.readAt && <span> · unread</span>}</div>
            </div>
            {!n.readAt && (
              <Form method="post">
                <input type="hidden" name="id" value={n.id} />
                <button type="submit" className="link-button" aria-label={`Mark "${n.title}" as read`}>Mark read</button>
              </Form>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
