import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Avatar } from "~/components/person";
import { docsLinks, useHydrated } from "~/components/docs-ui";
import RevisionView from "~/editor/RevisionView.client";
import { useEntityWatch } from "~/realtime/entity-watch";
import { ErrorMessage } from "~/root";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { When } from "~/components/when";
import { readForm } from "~/utils/body.server";

export const links: LinksFunction = docsLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `History of ${data?.doc.title ?? "document"} · Atrium` }];

const REASON: Record<string, string> = {
  burst: "After a burst of edits",
  left: "When the last editor left",
  manual: "Saved by hand",
  restore: "Before a restore",
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const docs = context.domain.docs;
  const doc = await load(() => docs.getDocument(auth.actor, params.id!));
  const revisions = await docs.listRevisions(auth.actor, doc.id);
  const revId = new URL(request.url).searchParams.get("rev") ?? revisions[0]?.id ?? null;
  const selected = revId ? await load(() => docs.getRevision(auth.actor, doc.id, revId)) : null;
  const compare = selected ? await load(() => docs.compareRevision(auth.actor, doc.id, selected.id)) : null;
  return { doc: { id: doc.id, title: doc.title, canEdit: doc.canEdit }, revisions, selected, compare };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  return runAction(async () => {
    if (form.get("intent") === "capture") {
      await context.domain.docs.captureRevision(auth.actor, params.id!);
      throw redirect(`/docs/${params.id}/history`);
    }
    if (form.get("intent") === "restore-section") {
      await context.domain.docs.restoreRevisionSection(auth.actor, params.id!, { revisionId: String(form.get("revisionId") ?? ""), section: String(form.get("section") ?? "") });
      throw redirect(`/docs/${params.id}?restored=section`);
    }
    await context.domain.docs.restoreRevision(auth.actor, params.id!, String(form.get("revisionId") ?? ""));
    throw redirect(`/docs/${params.id}?restored=1`);
  });
}

export default function History() {
  const { doc, revisions, selected, compare } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const hydrated = useHydrated();
  const nav = useNavigation();
  const live = useEntityWatch([{ type: "doc", id: doc.id }]);
  // A second click while the first is on its way would only ask again: the button waits.
  const capturing = nav.state !== "idle" && nav.formData?.get("intent") === "capture";
  return (
    <div data-testid="doc-history" data-live={live ? "true" : "false"}>
      <p className="muted"><Link to={`/docs/${doc.id}`}>← Back to “{doc.title}”</Link></p>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>History</h1>
        {doc.canEdit && (
          <Form method="post"><button type="submit" name="intent" value="capture" className="secondary small" disabled={capturing} aria-busy={capturing}>{capturing ? "Saving a revision…" : "Save a revision now"}</button></Form>
        )}
      </div>
      <div className="doc-layout revisions-first">
        <nav aria-label="Revisions">
          {revisions.length === 0 && <p className="muted">No revisions yet. They are captured after bursts of editing and when the last editor leaves.</p>}
          <ol className="doc-list" data-testid="revisions">
            {revisions.map((r) => (
              <li key={r.id} aria-current={selected?.id === r.id ? "true" : undefined} style={selected?.id === r.id ? { borderColor: "var(--accent)" } : undefined}>
                <Link to={`?rev=${r.id}`}><When date={r.createdAt} format="datetime" /></Link>
                <div className="muted small">{REASON[r.reason] ?? r.reason}</div>
                <div className="row" style={{ gap: ".25rem" }}>
                  {r.contributors.map((p) => <span key={p.id} title={p.name}><Avatar name={p.name} initials={p.initials} photoUrl={p.photoUrl} size={20} /><span className="sr-only">{p.name}</span></span>)}
                </div>
              </li>
            ))}
          </ol>
        </nav>
        <section aria-label="Revision">
          {selected && (
            <>
              <div className="row" style={{ justifyContent: "space-between", marginBottom: ".5rem" }}>
                <strong>Revision of <When date={selected.createdAt} format="datetime" /></strong>
                {doc.canEdit && (
                  <Form method="post" onSubmit={(e) => !window.confirm("Restore this revision? It becomes a new change that everyone sees; nothing is deleted.") && e.preventDefault()}>
                    <input type="hidden" name="revisionId" value={selected.id} />
                    <button type="submit" disabled={nav.state !== "idle"} data-testid="restore">Restore this revision</button>
                  </Form>
                )}
              </div>
              <div className="revision-view">
                {hydrated ? <RevisionView editorState={selected.editorState} revisionId={selected.id} /> : <pre className="prewrap" style={{ padding: "1rem" }}>{selected.text}</pre>}
              </div>
              {failed && "ok" in failed && !failed.ok && (
                <p role="alert" className="error">{Object.values(failed.fieldErrors ?? {}).flat()[0] ?? failed.message}</p>
              )}
              {compare && <Compare revisionId={selected.id} compare={compare} busy={nav.state !== "idle"} />}
            </>
          )}
        </section>
      </div>
    </div>
  );
}

// ── compare with today, restore one section (decision 043) ──
type Comparison = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["compare"]>;

const STATUS: Record<string, string> = { same: "Same as today", changed: "Changed since", gone: "No longer in the document" };
const OP_LABEL: Record<string, string> = { added: "Added", removed: "Removed", changed: "Changed", same: "Unchanged" };

function Compare({ revisionId, compare, busy }: { revisionId: string; compare: Comparison; busy: boolean }) {
  const changed = compare.changes.filter((c) => c.op !== "same").length;
  return (
    <section aria-labelledby="compare-h" data-testid="revision-diff" style={{ marginTop: "1rem" }}>
      <h2 id="compare-h">Compared with the current document</h2>
      <p className="muted small">
        {changed === 0 ? "No differences: the document today reads the same as this revision." : `${changed} block${changed === 1 ? "" : "s"} differ.`}{" "}
        <del>Removed</del> = in this revision, not in the document today; <ins>Added</ins> = new since this revision.
      </p>
      <h3>Sections of this revision</h3>
      <ul className="section-list" data-testid="revision-sections">
        {compare.sections.map((s) => (
          <li key={s.section} data-testid="revision-section" data-section={s.section} data-status={s.status} style={{ paddingLeft: `${Math.max(0, s.level - 1) * 1.25}rem` }}>
            <span className={s.level ? "section-title" : "section-title muted"}>{s.title || "(untitled heading)"}</span>{" "}
            <span className={`pill status-${s.status}`}>{STATUS[s.status]}</span>
            {compare.canRestore && s.status !== "same" && (
              <Form
                method="post"
                style={{ display: "inline" }}
                onSubmit={(e) => !window.confirm(`Restore “${s.title}” as it was in this revision? Only this section changes; it becomes a new change that everyone sees.`) && e.preventDefault()}
              >
                <input type="hidden" name="intent" value="restore-section" />
                <input type="hidden" name="revisionId" value={revisionId} />
                <input type="hidden" name="section" value={s.section} />
                <button type="submit" className="secondary small" disabled={busy} aria-label={`${s.status === "gone" ? "Put this section back" : "Restore this section"}: “${s.title}”`} data-testid="restore-section">
                  {s.status === "gone" ? "Put this section back" : "Restore this section"}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      <h3>Block by block</h3>
      <ol className="diff" data-testid="diff-blocks">
        {compare.changes.map((c, i) => {
          const b = (c.after ?? c.before)!;
          return (
            <li key={i} className={`diff-${c.op}`} data-op={c.op}>
              <span className="diff-label">{OP_LABEL[c.op]}</span> <span className="muted small">{b.kind}</span>
              <div className={b.level ? `diff-text diff-h${b.level}` : "diff-text"}>
                {c.op === "added" && <ins>{c.after!.text}</ins>}
                {c.op === "removed" && <del>{c.before!.text}</del>}
                {c.op === "same" && c.after!.text}
                {c.op === "changed" &&
                  (c.words ?? []).map((w, k) => (w.op === "added" ? <ins key={k}>{w.text}</ins> : w.op === "removed" ? <del key={k}>{w.text}</del> : <span key={k}>{w.text}</span>))}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
