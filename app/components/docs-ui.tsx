import { Building2, Globe, Lock, type LucideIcon } from "lucide-react";
import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { When } from "~/components/when";
import editorStyles from "~/editor/editor.css";

export const docsLinks = () => [{ rel: "stylesheet", href: editorStyles }];

const VIS: Record<string, { label: string; Icon: LucideIcon }> = {
  private: { label: "Private", Icon: Lock },
  department: { label: "Department", Icon: Building2 },
  company: { label: "Company", Icon: Globe },
};

export function VisibilityPill({ visibility, department }: { visibility: string; department?: { name: string } | null }) {
  return (
    <span className="pill" data-testid="visibility" data-visibility={visibility}>
      {VIS[visibility] && (() => {
        const { Icon } = VIS[visibility];
        return <Icon aria-hidden="true" size={14} />;
      })()}{" "}
      {visibility === "department" && department ? department.name : VIS[visibility]?.label ?? visibility}
    </span>
  );
}

export interface DocItem {
  id: string;
  title: string;
  visibility: string;
  space: { id: string; name: string };
  preview: string;
  lastEditedAt: string;
  lastEditedBy: { name: string } | null;
  snippet?: string;
}

export function DocList({ items, empty, testId }: { items: DocItem[]; empty: string; testId: string }) {
  if (!items.length) return <p className="muted">{empty}</p>;
  return (
    <ul className="doc-list" data-testid={testId}>
      {items.map((d) => (
        <li key={d.id}>
          <div className="row" style={{ justifyContent: "space-between" }}>
            <Link to={`/docs/${d.id}`}>
              <strong>{d.title}</strong>
            </Link>
            <VisibilityPill visibility={d.visibility} />
          </div>
          {(d.snippet ?? d.preview) && <p className="muted small" style={{ margin: ".2rem 0" }}>{d.snippet ?? d.preview}</p>}
          <div className="muted small">
            {d.space.name} · edited <When date={d.lastEditedAt} />
            {d.lastEditedBy && <> by {d.lastEditedBy.name}</>}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** True after hydration: the collaborative editor only exists in the browser. */
export function useHydrated() {
  const [h, setH] = useState(false);
  useEffect(() => setH(true), []);
  return h;
}
