import type { ReactNode } from "react";
import { FORMAT, safeUrl, type BlockNode, type InlineNode, type ListNode, type RichDoc, type TextLike } from "~/editor/rich-text";

/**
 * Renders a sanitised body as React elements — never as HTML strings — so nothing in a body can
 * become markup or script. Links are re-checked here as a second line of defence.
 */
export function RichTextView({ doc, testId }: { doc: RichDoc | null; testId?: string }) {
  if (!doc) return null;
  return (
    <div className="rt-view" data-testid={testId}>
      {doc.root.children.map((b, i) => (
        <Block key={i} node={b} />
      ))}
    </div>
  );
}

function formatText(text: string, format: number): ReactNode {
  let out: ReactNode = text;
  if (format & FORMAT.code) out = <code>{out}</code>;
  if (format & FORMAT.bold) out = <strong>{out}</strong>;
  if (format & FORMAT.italic) out = <em>{out}</em>;
  if (format & FORMAT.underline) out = <u>{out}</u>;
  if (format & FORMAT.strikethrough) out = <s>{out}</s>;
  if (format & FORMAT.subscript) out = <sub>{out}</sub>;
  if (format & FORMAT.superscript) out = <sup>{out}</sup>;
  if (format & FORMAT.highlight) out = <mark>{out}</mark>;
  return out;
}

function TextRun({ node }: { node: TextLike }) {
  if (node.type === "linebreak") return <br />;
  if (node.type === "tab") return <>{"\t"}</>;
  return <>{formatText(node.text, node.format)}</>;
}

function Inline({ node }: { node: InlineNode }) {
  if (node.type === "link") {
    const href = safeUrl(node.url);
    const children = node.children.map((c, i) => <TextRun key={i} node={c} />);
    return href ? (
      <a href={href} rel="noopener noreferrer nofollow ugc" target="_blank">
        {children}
      </a>
    ) : (
      <>{children}</>
    );
  }
  return <TextRun node={node} />;
}

function List({ node }: { node: ListNode }) {
  const items = node.children.map((item, i) => (
    <li key={i} className={item.checked === undefined ? undefined : item.checked ? "rt-li-checked" : "rt-li-unchecked"}>
      {node.listType === "check" && <input type="checkbox" checked={!!item.checked} readOnly disabled aria-label={item.checked ? "done" : "not done"} />}
      {item.children.map((c, j) => (c.type === "list" ? <List key={j} node={c} /> : <Inline key={j} node={c} />))}
    </li>
  ));
  return node.listType === "number" ? <ol start={node.start}>{items}</ol> : <ul className={node.listType === "check" ? "rt-checklist" : undefined}>{items}</ul>;
}

function Block({ node }: { node: BlockNode }) {
  switch (node.type) {
    case "paragraph":
      return <p>{node.children.length ? node.children.map((c, i) => <Inline key={i} node={c} />) : <br />}</p>;
    case "heading": {
      const Tag = node.tag;
      return <Tag className="rt-heading">{node.children.map((c, i) => <Inline key={i} node={c} />)}</Tag>;
    }
    case "quote":
      return <blockquote>{node.children.map((c, i) => <Inline key={i} node={c} />)}</blockquote>;
    case "code":
      return (
        <pre className="rt-code" data-language={node.language ?? undefined}>
          <code>{node.children.map((c, i) => <TextRun key={i} node={c} />)}</code>
        </pre>
      );
    case "list":
      return <List node={node} />;
  }
}
