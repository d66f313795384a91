import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Avatar } from "~/components/person";
import { docsLinks, useHydrated } from "~/components/docs-ui";
import RevisionView from "~/editor/RevisionView.client";
import { ErrorMessage } from "~/root";
import { load, requireAuth, runAction } from "~/utils/http.server";

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
  return { doc: { id: doc.id, title: doc.title, canEdit: doc.canEdit }, revisions, selected };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await request.formData();
  return runAction(async () => {
    if (form.get("intent") === "capture") {
      await context.domain.docs.captureRevision(auth.actor, params.id!);
      throw redirect(`/docs/${params.id}/history`);
    }
    await context.domain.docs.restoreRevision(auth.actor, params.id!, String(form.get("revisionId") ?? ""));
    throw redirect(`/docs/${params.id}?restored=1`);
  });
}

export default function History() {
  const { doc, revisions, selected } = useLoaderData<typeof loader>();
  const hydrated = useHydrated();
  const nav = useNavigation();
  return (
    <>
      <p className="muted"><Link to={`/docs/${doc.id}`}>← Back to “{doc.title}”</Link></p>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>History</h1>
        {doc.canEdit && (
          <Form method="post"><button type="submit" name="intent" value="capture" className="secondary small">Save a revision now</button></Form>
        )}
      </div>
      <div className="doc-layout" style={{ gridTemplateColumns: "18rem minmax(0, 1fr)" }}>
        <nav aria-label="Revisions">
          {revisions.length === 0 && <p className="muted">No revisions yet. They are captured after bursts of editing and when the last editor leaves.</p>}
          <ol className="doc-list" data-testid="revisions">
            {revisions.map((r) => (
              <li key={r.id} aria-current={selected?.id === r.id ? "true" : undefined} style={selected?.id === r.id ? { borderColor: "var(--accent)" } : undefined}>
                <Link to={`?rev=${r.id}`}><time dateTime={r.createdAt}>{new Date(r.createdAt).toLocaleString("en-GB")}</time></Link>
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
                <strong>Revision of {new Date(selected.createdAt).toLocaleString("en-GB")}</strong>
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
            </>
          )}
        </section>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
