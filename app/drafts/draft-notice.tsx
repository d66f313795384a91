import type { DraftBinding } from "./use-draft";

/** Says a kept draft was put back into the form, and offers to start afresh instead. */
export function DraftNotice({ draft, onDiscard, testId = "draft-restored" }: { draft: DraftBinding; onDiscard: () => void; testId?: string }) {
  if (!draft.restored) return null;
  return (
    <p className="flash" role="status" data-testid={testId}>
      Your unsent draft is back, as you left it.{" "}
      <button
        type="button"
        className="link-button"
        onClick={() => {
          draft.discard();
          onDiscard();
        }}
      >
        Discard the draft
      </button>
    </p>
  );
}
