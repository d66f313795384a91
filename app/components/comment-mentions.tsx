/**
 * @mentions inside document comments (finish, decision 045): a textarea with a picker
 * like the editor's — type "@" and a few letters, choose a person with the arrows and Enter (or a
 * click) — which writes `@[Name](userId)` into the text; and the rendering of such text, where a
 * mention is a link to the person's profile. The server notifies only people who may read the
 * document.
 */
import { Link } from "@remix-run/react";
import { forwardRef, useEffect, useRef, useState, type TextareaHTMLAttributes } from "react";

const MENTION = /@\[([^\]\n]{1,120})\]\(([a-z0-9]{1,40})\)/gi;

export function CommentText({ body }: { body: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const m of body.matchAll(MENTION)) {
    if (m.index! > last) parts.push(body.slice(last, m.index));
    parts.push(<Link key={m.index} to={`/people/${m[2]}`} className="mention" data-testid="comment-mention">@{m[1]}</Link>);
    last = m.index! + m[0].length;
  }
  parts.push(body.slice(last));
  return <>{parts}</>;
}

type Person = { id: string; name: string; title?: string | null };

/** The "@query" just before the caret, if any. */
function queryAt(text: string, caret: number): { start: number; q: string } | null {
  const m = /(^|\s)@([^\s@[\]()]{0,30})$/.exec(text.slice(0, caret));
  return m ? { start: caret - m[2]!.length - 1, q: m[2]! } : null;
}

type Props = TextareaHTMLAttributes<HTMLTextAreaElement> & { docId: string };

export const MentionTextarea = forwardRef<HTMLTextAreaElement | null, Props>(function MentionTextarea({ docId, id, ...rest }, outerRef) {
  const inner = useRef<HTMLTextAreaElement | null>(null);
  const [query, setQuery] = useState<{ start: number; q: string } | null>(null);
  const [people, setPeople] = useState<Person[]>([]);
  const [active, setActive] = useState(0);
  const listId = `${id}-mentions`;

  useEffect(() => {
    if (!query) return setPeople([]);
    let live = true;
    const t = setTimeout(() => {
      fetch(`/docs/${docId}/mentions?q=${encodeURIComponent(query.q)}`)
        .then((r) => (r.ok ? r.json() : { people: [] }))
        .then((b: { people: Person[] }) => live && (setPeople(b.people), setActive(0)))
        .catch(() => live && setPeople([]));
    }, 100);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [docId, query?.q, query?.start]); // eslint-disable-line react-hooks/exhaustive-deps

  const update = () => {
    const el = inner.current;
    setQuery(el ? queryAt(el.value, el.selectionStart ?? el.value.length) : null);
  };
  const choose = (p: Person) => {
    const el = inner.current;
    if (!el || !query) return;
    const caret = el.selectionStart ?? el.value.length;
    const token = `@[${p.name.replace(/[\][()]/g, "")}](${p.id}) `;
    el.value = el.value.slice(0, query.start) + token + el.value.slice(caret);
    const at = query.start + token.length;
    el.setSelectionRange(at, at);
    el.focus();
    // Announced like typing, so the form's draft keeps the chosen mention.
    el.dispatchEvent(new Event("input", { bubbles: true }));
    setQuery(null);
  };
  const open = !!query && people.length > 0;

  return (
    <div className="mention-box" style={{ position: "relative" }}>
      <textarea
        {...rest}
        id={id}
        ref={(el) => {
          inner.current = el;
          if (typeof outerRef === "function") outerRef(el);
          else if (outerRef) outerRef.current = el;
        }}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        onInput={update}
        onClick={update}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
        onKeyDown={(e) => {
          if (!open) return;
          if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => (a + (e.key === "ArrowDown" ? 1 : people.length - 1)) % people.length);
          } else if (e.key === "Enter" || e.key === "Tab") {
            e.preventDefault();
            choose(people[active]!);
          } else if (e.key === "Escape") {
            setQuery(null);
          }
        }}
      />
      {open && (
        <ul className="typeahead" role="listbox" id={listId} aria-label="People to mention" data-testid="comment-mention-list">
          {people.map((p, i) => (
            <li key={p.id} id={`${listId}-${i}`} role="option" aria-selected={i === active} onMouseDown={(e) => (e.preventDefault(), choose(p))}>
              {p.name} {p.title && <span className="muted small">{p.title}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
