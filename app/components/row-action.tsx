import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * A form that is one button: it posts `intent` and a few hidden fields to the page's own action —
 * the Remove, Revoke, Delete, Send again… of a table row, and the lone buttons beside them.
 *
 * Without JavaScript it is a plain form post (a `confirm` question is then skipped, so use it only
 * where a mistaken click is cheap or can be undone). The button is disabled while any form on the
 * page is being submitted, so a double click cannot post twice.
 */
export function RowAction({
  intent,
  fields,
  label,
  detail,
  buttonClassName,
  className,
  confirm,
  children,
}: {
  intent: string;
  /** Hidden fields posted with the intent, in this order (the row's id, a name for the message…). */
  fields?: Record<string, string>;
  label: ReactNode;
  /** Read after the label by screen readers only, so each row's button has a name of its own. */
  detail?: string;
  buttonClassName?: string;
  className?: string;
  /** Asked in the browser before posting; Cancel posts nothing. */
  confirm?: string;
  /** Shown after the button, inside the form (e.g. a Cancel link). */
  children?: ReactNode;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <Form
      method="post"
      className={className}
      onSubmit={confirm ? (e) => { if (!window.confirm(confirm)) e.preventDefault(); } : undefined}
    >
      <input type="hidden" name="intent" value={intent} />
      {fields && Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      <button type="submit" className={buttonClassName} disabled={busy}>
        {label}
        {detail && <span className="sr-only"> {detail}</span>}
      </button>
      {children}
    </Form>
  );
}
