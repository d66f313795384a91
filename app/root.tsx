import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { ShellMain, SiteHeader } from "~/components/shell";
import { RealtimeProvider } from "~/realtime/client";
import stylesHref from "~/styles.css";
import searchStylesHref from "~/styles/search.css";
import { getAuth } from "~/utils/http.server";
import { useNonce } from "~/utils/nonce";
import { DatesProvider } from "~/components/when";
import { ReactionSprite } from "~/components/reaction-icons";
import { DEFAULT_TIME_ZONE, negotiateLocale, safeTimeZone } from "~/utils/dates";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "stylesheet", href: searchStylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await getAuth(request, context);
  // Dates render from these on both sides (see ~/components/when): signed-out pages use UTC.
  const dates = { now: context.now(), locale: negotiateLocale(request.headers.get("accept-language")), timeZone: DEFAULT_TIME_ZONE };
  if (!auth) return { user: null, unread: 0, dates };
  // Opening a page reads the notifications that link to it (before counting what is left).
  if (request.method === "GET") {
    const url = new URL(request.url);
    await context.domain.notifications.markReadForPage(auth.actor, `${url.pathname}${url.search}`);
  }
  const unread = await context.domain.notifications.unreadCount(auth.actor);
  const u = auth.user;
  const initials = u.name.split(/\s+/).slice(0, 2).map((p) => p[0]?.toUpperCase() ?? "").join("");
  return {
    user: { id: u.id, name: u.name, role: u.role, initials, photoUrl: u.photoPath ? `/uploads/${u.photoPath}` : null },
    unread,
    dates: { ...dates, timeZone: safeTimeZone(u.timeZone) },
  };
}

/** The shell's data follows every move to another page: the page opened may read notifications. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, defaultShouldRevalidate }) =>
  defaultShouldRevalidate || currentUrl.pathname !== nextUrl.pathname || currentUrl.search !== nextUrl.search;

export type RootData = Awaited<ReturnType<typeof loader>>;
export const useRootData = () => useRouteLoaderData<typeof loader>("root");

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Before the first paint: lets the stylesheet fold the header into a menu only when the
            menu button can work (without JavaScript the navigation stays open). */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: 'document.documentElement.classList.add("js")' }} />
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

function Shell({ children }: { children: ReactNode }) {
  const data = useRootData();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SiteHeader user={data?.user} />
      {data?.user && <ReactionSprite />}
      <ShellMain>{children}</ShellMain>
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
