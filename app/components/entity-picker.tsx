import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useState, type KeyboardEvent } from "react";
import type { Suggestions } from "../../server/domain/search.js";
import { FieldError } from "~/components/person";
import { Marked } from "~/components/search-ui";

const DEBOUNCE_MS = 150;

export interface Picked {
  id: string;
  label: string;
}

/**
 * An accessible combobox that finds one document or one customer insight through the same
 * permission-aware suggestions as the ⌘K palette (only what the reader may open), and posts its
 * id as `name` (and its label as `${name}Label`, so a refused form shows it again). The server
 * still checks the id: this only helps choose.
 */
export function EntityPicker({
  name,
  type,
  label,
  placeholder,
  initial,
  errors,
}: {
  name: string;
  type: "doc" | "insight";
  label: string;
  placeholder: string;
  initial: Picked | null;
  errors?: string[];
}) {
  const fetcher = useFetcher<Suggestions>();
  const [picked, setPicked] = useState<Picked | null>(initial);
  const [q, setQ] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const base = useId();
  const inputId = `${base}-input`;
  const listId = `${base}-list`;
  const errId = `${base}-err`;
  const optionId = (i: number) => `${base}-opt-${i}`;

  useEffect(() => {
    const text = q.trim();
    if (!text) return;
    const t = setTimeout(() => fetcher.load(`/search/suggest?${new URLSearchParams({ q: text, type })}`), DEBOUNCE_MS);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fetcher identity changes every render
  }, [q, type]);

  const items = q.trim() ? (fetcher.data?.items ?? []).filter((i) => i.type === type) : [];
  const expanded = open && items.length > 0;
  useEffect(() => setActive(0), [fetcher.data]);

  const choose = (i: number) => {
    const item = items[i];
    if (!item) return;
    setPicked({ id: item.id, label: item.title.map((s) => s.text).join("") });
    setQ("");
    setOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (items.length ? (a + 1) % items.length : 0));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => (items.length ? (a - 1 + items.length) % items.length : 0));
    } else if (e.key === "Enter") {
      // Enter picks an option instead of submitting the form half-filled.
      if (expanded) {
        e.preventDefault();
        choose(active);
      }
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      setOpen(false);
    }
  };

  return (
    <div className="field entity-picker" data-testid={`picker-${name}`}>
      <input type="hidden" name={name} value={picked?.id ?? ""} />
      <input type="hidden" name={`${name}Label`} value={picked?.label ?? ""} />
      <label htmlFor={inputId}>{label}</label>
      {picked && (
        <p className="row" style={{ gap: ".5rem", margin: ".25rem 0" }} data-testid={`picked-${name}`}>
          <span>
            Linked: <strong>{picked.label}</strong>
          </span>
          <button type="button" className="link-button" onClick={() => setPicked(null)} aria-label={`Remove the link to ${picked.label}`}>
            Remove
          </button>
        </p>
      )}
      <div style={{ position: "relative" }}>
        <input
          id={inputId}
          type="text"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded ? optionId(active) : undefined}
          aria-invalid={!!errors?.length}
          aria-describedby={errors?.length ? errId : undefined}
          placeholder={picked ? "Search to choose another…" : placeholder}
          value={q}
          maxLength={200}
          autoComplete="off"
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          onFocus={() => setOpen(true)}
        />
        <ul id={listId} role="listbox" aria-label={label} className="palette-list entity-picker-list" hidden={!expanded}>
          {items.map((item, i) => (
            <li
              key={item.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={`palette-option${i === active ? " active" : ""}`}
              data-testid="picker-option"
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(i);
              }}
            >
              <span className="palette-title">
                <Marked segments={item.title} />
              </span>
              {item.subtitle && <span className="muted palette-sub">{item.subtitle}</span>}
            </li>
          ))}
        </ul>
      </div>
      {open && q.trim() && fetcher.state === "idle" && fetcher.data && !items.length && <p className="muted">Nothing you can open matches “{q.trim()}”.</p>}
      <FieldError id={errId} errors={errors} />
    </div>
  );
}
