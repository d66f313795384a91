import { useEffect, useRef, useState } from "react";
import { plainTextToDoc } from "~/editor/rich-text";
import type { RichTextEditor as Editor } from "~/editor/editor.client";

export interface RichTextFieldProps {
  /** Form field prefix: posts `${name}Json` (editor) or `${name}Plain` (textarea fallback). */
  name?: string;
  label: string;
  initialJson?: string | null;
  initialText?: string;
  placeholder?: string;
  onChange?: (text: string) => void;
  /** The editor's serialized state at each change (what a draft keeps to restore it as it was). */
  onJsonChange?: (json: string) => void;
  onUserInput?: () => void;
  testId?: string;
  describedBy?: string;
}

/**
 * A rich-text body field. Server-side and before hydration (or without JavaScript) it is a plain
 * textarea that posts text; after hydration the Lexical editor replaces it, starting from
 * whatever was typed meanwhile, and posts its serialized state in a hidden input.
 */
export function RichTextField({ name = "body", label, initialJson = null, initialText = "", placeholder, onChange, onJsonChange, onUserInput, testId, describedBy }: RichTextFieldProps) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [start, setStart] = useState<string | null>(initialJson);
  const [json, setJson] = useState<string>(initialJson ?? "");
  const [RichTextEditor, setEditor] = useState<typeof Editor | null>(null);

  // Lexical is fetched after the page has painted (a `.client` module: never in the server
  // build); the textarea serves until it arrives, and what was typed there carries over.
  useEffect(() => {
    let live = true;
    void import("~/editor/editor.client").then((m) => {
      if (!live || typeof m.RichTextEditor !== "function") return;
      const typed = textarea.current?.value ?? "";
      // Typed meanwhile, or a text given without the editor's state (a restored draft): carried over.
      if (typed && (typed !== initialText || !initialJson)) {
        const carried = JSON.stringify(plainTextToDoc(typed));
        setStart(carried);
        setJson(carried);
      }
      setEditor(() => m.RichTextEditor);
    });
    return () => {
      live = false;
    };
    // Only once: the editor owns the content from here on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const id = `${name}-field`;
  if (!RichTextEditor) {
    return (
      <textarea
        ref={textarea}
        id={id}
        name={`${name}Plain`}
        defaultValue={initialText}
        placeholder={placeholder}
        rows={8}
        aria-label={label}
        aria-describedby={describedBy}
        data-testid={testId ? `${testId}-fallback` : undefined}
        onChange={(e) => {
          onChange?.(e.currentTarget.value);
          onUserInput?.();
        }}
      />
    );
  }
  return (
    <>
      <RichTextEditor
        id={id}
        initialJson={start}
        label={label}
        placeholder={placeholder}
        testId={testId}
        onChange={(j, text) => {
          setJson(j);
          onJsonChange?.(j);
          onChange?.(text);
        }}
        onUserInput={onUserInput}
      />
      <input type="hidden" name={`${name}Json`} value={json} />
    </>
  );
}
