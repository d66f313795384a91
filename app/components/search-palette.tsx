/**
 * The ⌘K / Ctrl+K palette, on every page once signed in. The top-nav box is a plain GET form to
 * /search (works without JavaScript); with JavaScript, focusing it or pressing the shortcut opens
 * a dialog: an ARIA combobox whose listbox shows live results grouped by type, fetched (debounced)
 * from /search/suggest. Up/Down move, Enter opens the highlighted result (or the full search page),
 * Escape closes and returns focus; Tab stays inside the dialog.
 */
import { Form, useFetcher, useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { Suggestions } from "../../server/domain/search.js";
import { Marked, TypeBadge } from "~/components/search-ui";
import { SEARCH_TYPE_LABELS, SEARCH_TYPE_VALUES } from "~/schemas/search";

const DEBOUNCE_MS = 150;

export function SearchPalette() {
  const [open, setOpen] = useState(false);
  /** What was typed into the nav box to open the palette: it carries on there. */
  const [initial, setInitial] = useState("");
  const trigger = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setInitial("");
        setOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const close = useCallback(() => {
    setOpen(false);
    // Back to where the person was: the nav box (focus alone never opens the palette).
    requestAnimationFrame(() => trigger.current?.focus());
  }, []);

  return (
    <>
      <Form method="get" action="/search" role="search" aria-label="Site search" className="nav-search">
        <label htmlFor="global-search" className="sr-only">
          Search everything
        </label>
        <input
          ref={trigger}
          id="global-search"
          name="q"
          type="search"
          placeholder="Search… (Ctrl+K)"
          maxLength={200}
          aria-haspopup="dialog"
          aria-keyshortcuts="Control+K Meta+K"
          // With JavaScript a click, a typed letter or ↓ opens the palette (focus alone does not,
          // so tabbing through the bar stays calm); without it this stays a plain GET form.
          onClick={() => {
            setInitial(trigger.current?.value ?? "");
            setOpen(true);
          }}
          onKeyDown={(e) => {
            const printable = e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
            if (printable || e.key === "ArrowDown") {
              e.preventDefault();
              setInitial((trigger.current?.value ?? "") + (printable ? e.key : ""));
              setOpen(true);
            }
          }}
        />
      </Form>
      {open && <PaletteDialog initial={initial} onClose={close} />}
    </>
  );
}

function PaletteDialog({ initial, onClose }: { initial: string; onClose: () => void }) {
  const fetcher = useFetcher<Suggestions>();
  const navigate = useNavigate();
  const [q, setQ] = useState(initial);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const base = useId();
  const listId = `${base}-list`;
  const optionId = (i: number) => `${base}-opt-${i}`;

  useEffect(() => input.current?.focus(), []);

  // Debounced fetch of live results.
  useEffect(() => {
    const text = q.trim();
    if (!text) return;
    const t = setTimeout(() => fetcher.load(`/search/suggest?${new URLSearchParams({ q: text })}`), DEBOUNCE_MS);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fetcher identity changes every render
  }, [q]);

  const data = q.trim() ? fetcher.data : undefined;
  const stale = !!data && data.query !== q.trim().replace(/\s+/g, " ").slice(0, 200);
  const items = useMemo(() => data?.items ?? [], [data]);
  // Grouped by type, in a fixed order; the flat order below is the keyboard order.
  const groups = useMemo(
    () => SEARCH_TYPE_VALUES.map((t) => ({ type: t, items: items.filter((i) => i.type === t) })).filter((g) => g.items.length),
    [items],
  );
  const flat = useMemo(() => groups.flatMap((g) => g.items), [groups]);
  useEffect(() => setActive(0), [data]);

  const go = (url: string) => {
    onClose();
    navigate(url);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((a) => (flat.length ? (a + 1) % flat.length : 0));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => (flat.length ? (a - 1 + flat.length) % flat.length : 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      const pick = flat[active];
      if (pick && !stale) go(pick.url);
      else if (q.trim()) go(`/search?${new URLSearchParams({ q: q.trim() })}`);
    } else if (e.key === "Escape") {
      e.preventDefault();
      onClose();
    }
  };

  // Focus trap: Tab cycles between the input and the "all results" link.
  const onDialogKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key !== "Tab" || !dialog.current) return;
    const focusables = [...dialog.current.querySelectorAll<HTMLElement>("input, a[href], button")];
    if (!focusables.length) return;
    const first = focusables[0]!;
    const last = focusables[focusables.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  let index = -1;
  return (
    <div className="palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={dialog} className="palette" role="dialog" aria-modal="true" aria-label="Search everything" data-testid="search-palette" onKeyDown={onDialogKeyDown}>
        <input
          ref={input}
          className="palette-input"
          type="text"
          role="combobox"
          aria-expanded={flat.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={flat.length ? optionId(active) : undefined}
          aria-label="Search people, documents, questions and insights"
          placeholder="Search people, documents, questions, insights…"
          value={q}
          maxLength={300}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {data?.truncated && <p className="muted palette-note">Only the first 200 characters are searched.</p>}
        <ul id={listId} role="listbox" aria-label="Results" className="palette-list" data-testid="palette-results">
          {groups.map((g) => (
            <li key={g.type} role="presentation">
              <div className="palette-group" role="presentation" aria-hidden="true">
                {SEARCH_TYPE_LABELS[g.type].many}
              </div>
              <ul role="group" aria-label={SEARCH_TYPE_LABELS[g.type].many}>
                {g.items.map((item) => {
                  index++;
                  const i = index;
                  return (
                    <li
                      key={`${item.type}:${item.id}`}
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === active}
                      className={`palette-option${i === active ? " active" : ""}`}
                      data-testid="palette-option"
                      data-type={item.type}
                      onMouseEnter={() => setActive(i)}
                      onMouseDown={(e) => {
                        e.preventDefault();
                        go(item.url);
                      }}
                    >
                      <TypeBadge type={item.type} />
                      <span className="palette-title">
                        <Marked segments={item.title} />
                      </span>
                      {item.subtitle && <span className="muted palette-sub">{item.subtitle}</span>}
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
        {!q.trim() && <p className="muted palette-note">Type a name, a skill or a few words. ↑↓ to move, Enter to open, Esc to close.</p>}
        {q.trim() && data && !stale && !flat.length && fetcher.state === "idle" && (
          <p className="muted palette-note" data-testid="palette-empty">
            Nothing matches “{q.trim()}”.
          </p>
        )}
        {q.trim() && (
          <a className="palette-all" href={`/search?${new URLSearchParams({ q: q.trim() })}`} onClick={(e) => (e.preventDefault(), go(`/search?${new URLSearchParams({ q: q.trim() })}`))}>
            See all results for “{q.trim()}”
          </a>
        )}
      </div>
    </div>
  );
}
