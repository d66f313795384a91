import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { Avatar } from "~/components/person";
import { RealtimeProvider, useRealtime } from "~/realtime/client";
import { forgetAllLocalDocs } from "~/editor/local-copies";
import stylesHref from "~/styles.css";
import searchStylesHref from "~/styles/search.css"; // ── Issue 6 · search ──
import { SearchPalette } from "~/components/search-palette"; // ── Issue 6 · search ──
import { getAuth } from "~/utils/http.server";
import { useNonce } from "~/utils/nonce";
import { DatesProvider } from "~/components/when";
import { DEFAULT_TIME_ZONE, negotiateLocale, safeTimeZone } from "~/utils/dates";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "stylesheet", href: searchStylesHref }, // ── Issue 6 · search ──
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await getAuth(request, context);
  // Dates render from these on both sides (see ~/components/when): signed-out pages use UTC.
  const dates = { now: context.now(), locale: negotiateLocale(request.headers.get("accept-language")), timeZone: DEFAULT_TIME_ZONE };
  if (!auth) return { user: null, unread: 0, dates };
  const unread = await context.domain.notifications.unreadCount(auth.actor);
  const u = auth.user;
  const initials = u.name.split(/\s+/).slice(0, 2).map((p) => p[0]?.toUpperCase() ?? "").join("");
  return {
    user: { id: u.id, name: u.name, role: u.role, initials, photoUrl: u.photoPath ? `/uploads/${u.photoPath}` : null },
    unread,
    dates: { ...dates, timeZone: safeTimeZone(u.timeZone) },
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;
export const useRootData = () => useRouteLoaderData<typeof loader>("root");

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Bell() {
  const { unread } = useRealtime();
  return (
    <Link to="/notifications" className="bell" aria-label={`Notifications, ${unread} unread`} data-testid="bell">
      <span aria-hidden="true">🔔</span>
      {unread > 0 && (
        <span className="badge" data-testid="unread-count">
          {unread}
        </span>
      )}
    </Link>
  );
}

function ConnectionBadge() {
  const { connection, socket } = useRealtime();
  if (!socket) return null;
  return (
    <span className={`conn conn-${connection}`} data-testid="connection" data-state={connection} title={`Live updates: ${connection}`}>
      <span className="sr-only">Live updates {connection}</span>
    </span>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const data = useRootData();
  const user = data?.user;
  const { socket } = useRealtime();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <nav aria-label="Main" className="nav">
          <Link to="/" className="brand">
            Atrium
          </Link>
          {user && (
            <ul className="nav-links">
              <li><NavLink to="/people">People</NavLink></li>
              <li><NavLink to="/docs">Docs</NavLink></li>
              <li><NavLink to="/questions">Questions</NavLink></li>
              <li><NavLink to="/insights">Insights</NavLink></li>
              <li><NavLink to="/dashboard">Dashboard</NavLink></li>{/* ── Issue 6 · dashboard ── */}
              {user.role === "admin" && <li><NavLink to="/admin">Admin</NavLink></li>}
            </ul>
          )}
        </nav>
        {user && (
          <div className="nav-right">
            {/* ── Issue 6 · search: the nav box opens the ⌘K palette ── */}
            <SearchPalette />
            <ConnectionBadge />
            <Bell />
            <Link to={`/people/${user.id}`} className="me" aria-label={`Your profile (${user.name})`}>
              <Avatar name={user.name} initials={user.initials} photoUrl={user.photoUrl} size={32} />
            </Link>
            <Link to="/account">Account</Link>
            {/* This tab leaves on its own: closing its socket first keeps the server's "session ended"
                message (meant for the person's other tabs) from racing the redirect to /login. */}
            <Form method="post" action="/logout" onSubmit={() => (socket?.disconnect(), void forgetAllLocalDocs())}>
              <button type="submit" className="link-button">Sign out</button>
            </Form>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  return (
    <DatesProvider {...data.dates}>
      <RealtimeProvider userId={data.user?.id ?? null} initialUnread={data.unread}>
        <Shell>
          <Outlet />
        </Shell>
      </RealtimeProvider>
    </DatesProvider>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const dates = useRootData()?.dates;
  return (
    <DatesProvider locale={dates?.locale ?? "en-GB"} timeZone={dates?.timeZone ?? DEFAULT_TIME_ZONE} now={dates?.now ?? 0}>
      <RealtimeProvider userId={null} initialUnread={0}>
        <Shell>
          <ErrorMessage error={error} />
        </Shell>
      </RealtimeProvider>
    </DatesProvider>
  );
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (isRouteErrorResponse(error)) {
    if (error.status === 404)
      return (
        <section className="error-page" data-testid="error-404">
          <h1>Not found</h1>
          <p>{typeof error.data === "string" && error.data ? error.data : "There is nothing at this address."}</p>
          <p><Link to="/">Go to the home page</Link></p>
        </section>
      );
    if (error.status === 403)
      return (
        <section className="error-page" data-testid="error-403">
          <h1>Not allowed</h1>
          <p>{typeof error.data === "string" && error.data ? error.data : "You do not have permission to see or change this."}</p>
          <p><Link to="/">Go to the home page</Link></p>
        </section>
      );
    return (
      <section className="error-page">
        <h1>{error.status} {error.statusText}</h1>
        <p>{typeof error.data === "string" ? error.data : "Something went wrong."}</p>
      </section>
    );
  }
  return (
    <section className="error-page">
      <h1>Something went wrong</h1>
      <p>The error was logged. Try again, or go back to the <Link to="/">home page</Link>.</p>
    </section>
  );
}
