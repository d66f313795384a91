/**
 * The app shell: the site header (a menu button on narrow screens) and what happens after a
 * client-side navigation (focus moves to the new page's heading and its title is announced).
 */
import { Form, Link, NavLink, useLocation, useNavigation } from "@remix-run/react";
import { Bell as BellIcon, Menu as MenuIcon, X as CloseIcon } from "lucide-react";
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Avatar } from "~/components/person";
import { SearchPalette } from "~/components/search-palette";
import { clearAllDrafts } from "~/drafts/use-draft";
import { forgetAllLocalDocs } from "~/editor/local-copies";
import { useRealtime } from "~/realtime/client";

export interface ShellUser {
  id: string;
  name: string;
  role: string;
  initials: string;
  photoUrl: string | null;
}

/** Below this width (px, the same as the stylesheet's media query) the navigation folds into a menu. */
export const MENU_BREAKPOINT = 760;

function Bell() {
  const { unread } = useRealtime();
  return (
    <Link to="/notifications" className="bell" aria-label={`Notifications, ${unread} unread`} data-testid="bell">
      <BellIcon aria-hidden="true" size={20} />
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
      <span className="sr-only">{`Live updates ${connection}`}</span>
    </span>
  );
}

/**
 * The top bar. Wide screens show everything in one row; narrow ones show the brand and a menu
 * button that opens the rest (aria-expanded/aria-controls, Escape closes and returns focus to the
 * button, a navigation closes it). Without JavaScript the stylesheet never folds it (the inline
 * script in the document head marks <html> with `js` before the first paint).
 */
export function SiteHeader({ user }: { user: ShellUser | null | undefined }) {
  const { socket } = useRealtime();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const location = useLocation();

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }, []);

  // A navigation (from a link in the menu or anywhere else) closes the menu.
  useEffect(() => setOpen(false), [location.pathname, location.search]);

  useEffect(() => {
    if (!open) return;
    // Opening moves focus to the first link so the keyboard continues inside the menu.
    panelRef.current?.querySelector<HTMLElement>("a[href], button, input")?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        close(true);
      }
    };
    const onPointer = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!panelRef.current?.contains(t) && !buttonRef.current?.contains(t)) close(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open, close]);

  return (
    <header className="topbar" data-menu={open ? "open" : "closed"}>
      <Link to="/" className="brand">
        Atrium
      </Link>
      {user && (
        <>
          <button
            ref={buttonRef}
            type="button"
            className="menu-button"
            aria-expanded={open}
            aria-controls={panelId}
            onClick={() => setOpen((o) => !o)}
            data-testid="menu-button"
          >
            {open ? <CloseIcon aria-hidden="true" size={20} /> : <MenuIcon aria-hidden="true" size={20} />}
            <span>Menu</span>
          </button>
          <div id={panelId} ref={panelRef} className="site-menu">
            <nav aria-label="Main" className="nav">
              <ul className="nav-links">
                <li><NavLink to="/people">People</NavLink></li>
                <li><NavLink to="/docs">Docs</NavLink></li>
                <li><NavLink to="/questions">Questions</NavLink></li>
                <li><NavLink to="/insights">Insights</NavLink></li>
                <li><NavLink to="/dashboard">Dashboard</NavLink></li>
                {user.role === "admin" && <li><NavLink to="/admin">Admin</NavLink></li>}
              </ul>
            </nav>
            <div className="nav-right">
              <SearchPalette />
              <ConnectionBadge />
              <Bell />
              {/* The visible avatar is decoration; the link's name is its text, so voice control
                  users can say what they read ("Your profile"). */}
              <Link to={`/people/${user.id}`} className="me">
                <Avatar name={user.name} initials={user.initials} photoUrl={user.photoUrl} size={32} />
                <span className="me-label">Your profile <span className="sr-only">{`(${user.name})`}</span></span>
              </Link>
              <Link to="/account">Account</Link>
              {/* This tab leaves on its own: closing its socket first keeps the server's "session ended"
                  message (meant for the person's other tabs) from racing the redirect to /login. */}
              <Form method="post" action="/logout" onSubmit={() => (socket?.disconnect(), clearAllDrafts(), void forgetAllLocalDocs())}>
                <button type="submit" className="link-button">Sign out</button>
              </Form>
            </div>
          </div>
        </>
      )}
    </header>
  );
}

/**
 * After a client-side navigation to another page, focus moves to the page's main heading and a
 * polite live region announces the page. Not on the first load (the browser starts at the top),
 * not for a hash change (the skip link), and not when only the query of the same page changes
 * while the person is in a form control (typing in a filter keeps the caret where it is).
 */
export function useNavigationFocus(): string {
  const location = useLocation();
  const navigation = useNavigation();
  const previous = useRef<{ pathname: string; search: string } | null>(null);
  const [announcement, setAnnouncement] = useState("");

  useEffect(() => {
    if (navigation.state !== "idle") return;
    const before = previous.current;
    previous.current = { pathname: location.pathname, search: location.search };
    if (!before) return;
    const samePath = before.pathname === location.pathname;
    if (samePath && before.search === location.search) return;
    if (samePath) {
      const active = document.activeElement;
      if (active instanceof HTMLElement && active.closest("input, select, textarea, form") && document.querySelector("main")?.contains(active)) return;
    }
    const main = document.getElementById("main");
    const heading = main?.querySelector<HTMLElement>("h1") ?? null;
    const target = heading ?? main;
    if (target) {
      if (heading && !heading.hasAttribute("tabindex")) heading.tabIndex = -1;
      target.focus({ preventScroll: true });
    }
    const title = document.title.trim();
    const headingText = heading?.textContent?.trim() ?? "";
    setAnnouncement(title && title !== "Atrium" ? title : headingText || title);
    // Only a change of place triggers this, never the navigation state alone.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.key, navigation.state]);

  return announcement;
}

/** The live region that says which page a client-side navigation opened. */
export function RouteAnnouncer({ message }: { message: string }) {
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="route-announcer">
      {message}
    </div>
  );
}

export function ShellMain({ children }: { children: ReactNode }) {
  const announcement = useNavigationFocus();
  return (
    <>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <RouteAnnouncer message={announcement} />
    </>
  );
}
