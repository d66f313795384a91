import { createContext, useContext, useMemo, type ReactNode } from "react";
import { mentionLabel, type MentionNames } from "~/editor/mention-names";
import { safeUrl } from "~/editor/rich-text";

/**
 * A document's content as the live editor draws it (the same elements and theme classes, see
 * app/editor/theme.ts), rendered on the server from the stored editor state so the text is there
 * at first paint; the editor replaces it once it has loaded and synced. React elements only —
 * never HTML strings — and links and images are checked as the editor checks them. An @mention
 * shows the person's current name from `mentionNames` (by id), never the label stored with it.
 */
export interface ContentNode {
  type: string;
  children?: ContentNode[];
  text?: string;
  format?: number | string;
  tag?: string;
  listType?: string;
  start?: number;
  value?: number;
  checked?: boolean;
  url?: string;
  src?: string;
  altText?: string;
  userId?: string;
  language?: string;
  headerState?: number;
  colSpan?: number;
  rowSpan?: number;
}
export interface ContentRoot {
  root: ContentNode;
}

const isSafeImageSrc = (src: string) => /^\/docs\/[a-z0-9]+\/images\/[a-f0-9]+$/i.test(src) || /^https?:\/\//i.test(src);

/** The editor's toolbar, drawn empty at its height so nothing moves when the editor arrives. */
function ToolbarSpace() {
  return (
    <div className="toolbar" aria-hidden="true">
      <button type="button" disabled tabIndex={-1} style={{ visibility: "hidden" }}>
        <span style={{ display: "inline-block", width: 16, height: 16 }} />
      </button>
    </div>
  );
}

const Names = createContext<MentionNames>(new Map());

export function DocContentView({ content, loading, mentionNames }: { content: ContentRoot | null; loading?: boolean; mentionNames?: Record<string, string> }) {
  const names = useMemo(() => new Map(Object.entries(mentionNames ?? {})), [mentionNames]);
  return (
    <Names.Provider value={names}>
    <div className="editor-shell" data-testid="doc-content-static" aria-busy={loading ? true : undefined}>
      <ToolbarSpace />
      <div className="editor-area">
        <div className="editor-input" aria-label="Document body (loading the editor)" role="document">
          {content?.root.children?.map((n, i) => <Node key={i} node={n} />)}
        </div>
      </div>
    </div>
    </Names.Provider>
  );
}

// Lexical's text format bits and the tags/classes it draws them with.
const BOLD = 1, ITALIC = 2, STRIKE = 4, UNDERLINE = 8, CODE = 16, SUB = 32, SUP = 64, HIGHLIGHT = 128;

function Text({ text, format }: { text: string; format: number }) {
  const classes = [
    format & BOLD && "ed-bold",
    format & ITALIC && "ed-italic",
    format & UNDERLINE && format & STRIKE ? "ed-underline-strike" : format & UNDERLINE ? "ed-underline" : format & STRIKE ? "ed-strike" : null,
    format & CODE && "ed-inline-code",
  ].filter(Boolean).join(" ") || undefined;
  const Inner = format & BOLD ? "strong" : format & ITALIC ? "em" : "span";
  let out: ReactNode = <Inner className={classes}>{text}</Inner>;
  if (format & CODE) out = <code>{out}</code>;
  if (format & HIGHLIGHT) out = <mark>{out}</mark>;
  if (format & SUB) out = <sub>{out}</sub>;
  if (format & SUP) out = <sup>{out}</sup>;
  return out;
}

function Mention({ userId }: { userId: string }) {
  const names = useContext(Names);
  return <span className="doc-mention" data-user-id={userId}>{mentionLabel(names, userId)}</span>;
}

const kids = (n: ContentNode) => n.children?.map((c, i) => <Node key={i} node={c} />);

function ListItems({ node }: { node: ContentNode }) {
  const check = node.listType === "check";
  return (
    <>
      {node.children?.map((item, i) => {
        const nested = item.children?.length === 1 && item.children[0]!.type === "list";
        const cls = nested ? "ed-li ed-li-nested" : check ? `ed-li ${item.checked ? "ed-li-checked" : "ed-li-unchecked"}` : "ed-li";
        return (
          <li key={i} value={item.value} className={cls} role={check && !nested ? "checkbox" : undefined} aria-checked={check && !nested ? !!item.checked : undefined}>
            {kids(item)}
          </li>
        );
      })}
    </>
  );
}

function Node({ node }: { node: ContentNode }): ReactNode {
  switch (node.type) {
    case "paragraph":
      return <p className="ed-p">{node.children?.length ? kids(node) : <br />}</p>;
    case "heading": {
      const Tag = (["h1", "h2", "h3", "h4", "h5", "h6"].includes(node.tag ?? "") ? node.tag : "h2") as "h2";
      return <Tag className={`ed-${Tag}`}>{kids(node)}</Tag>;
    }
    case "quote":
      return <blockquote className="ed-quote">{kids(node)}</blockquote>;
    case "list":
      return node.listType === "number" ? (
        <ol className="ed-ol" start={node.start && node.start !== 1 ? node.start : undefined}><ListItems node={node} /></ol>
      ) : (
        <ul className={node.listType === "check" ? "ed-ul ed-checklist" : "ed-ul"}><ListItems node={node} /></ul>
      );
    case "code":
      return <code className="ed-code" data-language={node.language ?? undefined} spellCheck={false}>{kids(node)}</code>;
    case "text":
    case "code-highlight":
      return <Text text={node.text ?? ""} format={typeof node.format === "number" ? node.format : 0} />;
    case "tab":
      return <span>{"\t"}</span>;
    case "linebreak":
      return <br />;
    case "link":
    case "autolink": {
      const href = safeUrl(node.url);
      return href ? <a className="ed-link" href={href} rel="noopener noreferrer nofollow" target="_blank">{kids(node)}</a> : <>{kids(node)}</>;
    }
    case "mention":
      return <Mention userId={node.userId ?? ""} />;
    case "image":
      return (
        <span className="doc-image">
          {node.src && isSafeImageSrc(node.src) ? <img src={node.src} alt={node.altText ?? ""} loading="lazy" className="doc-image-img" /> : <span className="muted">[{node.altText || "image"}]</span>}
        </span>
      );
    case "mark":
      return <mark className="ed-mark">{kids(node)}</mark>;
    case "table":
      return <table className="ed-table"><tbody>{kids(node)}</tbody></table>;
    case "tablerow":
      return <tr className="ed-tr">{kids(node)}</tr>;
    case "tablecell":
      return node.headerState ? (
        <th className="ed-td ed-th" colSpan={node.colSpan && node.colSpan > 1 ? node.colSpan : undefined} rowSpan={node.rowSpan && node.rowSpan > 1 ? node.rowSpan : undefined}>{kids(node)}</th>
      ) : (
        <td className="ed-td" colSpan={node.colSpan && node.colSpan > 1 ? node.colSpan : undefined} rowSpan={node.rowSpan && node.rowSpan > 1 ? node.rowSpan : undefined}>{kids(node)}</td>
      );
    default:
      return node.children ? <span>{kids(node)}</span> : typeof node.text === "string" ? <span>{node.text}</span> : null;
  }
}
