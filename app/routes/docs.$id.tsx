import { Building2, Star, User, Users } from "lucide-react";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, useFetcher, useLoaderData, useParams, useRouteError } from "@remix-run/react";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Avatar } from "~/components/person";
import { CommentText, MentionTextarea } from "~/components/comment-mentions";
import { docsLinks, useHydrated, VisibilityPill } from "~/components/docs-ui";
import { DocContentView, type ContentRoot } from "~/components/doc-content";
import type { ConnectionInfo, EditorApi, Peer } from "~/editor/DocEditor.client";
import type { MentionPerson } from "~/editor/plugins/MentionsPlugin";
import { MentionDirectory } from "~/editor/mention-directory";
import { useRealtime, useSocketEvent } from "~/realtime/client";
import type { DocCommentPayload, DocRoleName } from "~/realtime/events";
import { forgetLocalDoc } from "~/editor/local-copies";
import { ErrorMessage, useRootData } from "~/root";
import { VISIBILITY_LABELS } from "~/schemas/docs";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { useFormatDate, When } from "~/components/when";
import { DraftNotice } from "~/drafts/draft-notice";
import { useFormDraft, useKeptDraft } from "~/drafts/use-draft";
import { readForm } from "~/utils/body.server";

// Lexical and Yjs are fetched after the page has painted, not with it: most of the page's script.
// Until the editor has loaded and synced, the content the server rendered stays in its place.
const DocEditor = lazy(() => import("~/editor/DocEditor.client"));

export const links: LinksFunction = docsLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.doc.title ?? "Document"} · Docs · Atrium` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const docs = context.domain.docs;
  const doc = await load(() => docs.getDocument(auth.actor, params.id!, { content: true }));
  // In load() too: the document can be trashed between the first read and these.
  const [comments, shares, shareOptions] = await load(() => Promise.all([
    docs.listComments(auth.actor, doc.id),
    docs.listShares(auth.actor, doc.id),
    doc.canManage
      ? Promise.all([context.domain.people.listPeopleOptions(), context.domain.org.listTeams(), context.domain.org.listDepartments()]).then(([people, teams, departments]) => ({
          people: people.filter((p) => p.id !== auth.user.id),
          teams: teams.map((t) => ({ id: t.id, name: t.name })),
          departments: departments.map((d) => ({ id: d.id, name: d.name })),
        }))
      : null,
  ]));
  return { doc, comments, shares, shareOptions, me: { id: auth.user.id, name: auth.user.name, admin: auth.actor.role === "admin" } };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const docs = context.domain.docs;
  const id = params.id!;
  const form = await readForm(request, context);
  const intent = String(form.get("intent") ?? "");
  const str = (k: string) => (form.get(k) === null ? undefined : String(form.get(k)));
  return runAction(async () => {
    switch (intent) {
      case "rename":
        await docs.updateDocument(auth.actor, id, { title: str("title") });
        break;
      case "star":
        await docs.starDocument(auth.actor, id, form.get("starred") === "true");
        break;
      case "settings":
        await docs.updateDocument(auth.actor, id, { visibility: str("visibility"), audienceRole: str("audienceRole") });
        break;
      case "share": {
        const [principalType, principalId] = String(form.get("principal") ?? "").split(":");
        await docs.shareDocument(auth.actor, id, { principalType, principalId, role: str("role") });
        break;
      }
      case "unshare":
        await docs.unshareDocument(auth.actor, id, String(form.get("shareId") ?? ""));
        break;
      case "comment":
        return {
          ok: true as const,
          intent,
          comment: await docs.addComment(auth.actor, id, {
            body: str("body"),
            threadId: str("threadId") ?? null,
            anchorId: str("anchorId") || null,
            quote: str("quote") ?? "",
            anchorStart: str("anchorStart") || null,
            anchorEnd: str("anchorEnd") || null,
          }),
        };
      // ── edit/delete comments ──
      case "comment-edit":
        return { ok: true as const, intent, comment: await docs.editComment(auth.actor, id, String(form.get("commentId") ?? ""), { body: str("body") }) };
      case "comment-delete":
        await docs.deleteComment(auth.actor, id, String(form.get("commentId") ?? ""));
        break;
      case "resolve":
      case "reopen":
        await docs.resolveThread(auth.actor, id, String(form.get("threadId") ?? ""), intent === "resolve");
        break;
      case "revision":
        await docs.captureRevision(auth.actor, id);
        break;
      case "trash":
        await docs.trashDocument(auth.actor, id);
        throw redirect("/docs?trashed=1");
      default:
        return { ok: false as const, message: "Unknown action.", fieldErrors: {} };
    }
    return { ok: true as const, intent };
  }, Object.fromEntries(form));
}

type ConnState = "connected" | "syncing" | "offline";

function connState(c: ConnectionInfo | null, socketUp: boolean): ConnState {
  if (!socketUp || !c || c.status === "disconnected") return "offline";
  if (c.status === "connecting" && !socketUp) return "offline";
  if (c.status !== "connected" || !c.synced || c.pending > 0) return "syncing";
  return "connected";
}

const CONN_LABEL: Record<ConnState, string> = { connected: "Connected", syncing: "Syncing…", offline: "Offline" };

export default function DocumentPage() {
  const { doc, comments: initialComments, shares, shareOptions, me } = useLoaderData<typeof loader>();
  const hydrated = useHydrated();
  const { socket, connection } = useRealtime();
  const [conn, setConn] = useState<ConnectionInfo | null>(null);
  const [peers, setPeers] = useState<Peer[]>([]);
  const [liveRole, setLiveRole] = useState<DocRoleName | null>(doc.role === "none" ? null : doc.role);
  const [revoked, setRevoked] = useState(false);
  const [title, setTitle] = useState(doc.title);
  const [hasSelection, setHasSelection] = useState(false);
  const [pendingAnchor, setPendingAnchor] = useState<PendingAnchor | null>(null);
  const apiRef = useRef<EditorApi | null>(null);
  const shareRef = useRef<HTMLDialogElement | null>(null);
  const commentBoxRef = useRef<HTMLTextAreaElement | null>(null);
  const star = useFetcher();
  const canEdit = !revoked && (liveRole ? liveRole !== "viewer" : doc.canEdit);

  useEffect(() => setTitle(doc.title), [doc.title]);
  useSocketEvent("doc.updated", (p) => p.docId === doc.id && setTitle(p.title));
  const comments = useLiveComments(doc.id, initialComments);

  const searchPeople = useCallback(async (q: string): Promise<MentionPerson[]> => {
    const res = await fetch(`/docs/${doc.id}/mentions?q=${encodeURIComponent(q)}`);
    return res.ok ? ((await res.json()) as { people: MentionPerson[] }).people : [];
  }, [doc.id]);
  // Mentions show people's current names: those in the content came with the page, others
  // (a collaborator's new mention) are asked for, and a rename anywhere redraws them.
  const mentionDirectory = useMemo(
    () =>
      new MentionDirectory(doc.mentionNames ?? {}, async (ids) => {
        const res = await fetch(`/docs/${doc.id}/mentions?ids=${ids.map(encodeURIComponent).join(",")}`);
        if (!res.ok) throw new Error(`names: ${res.status}`);
        return ((await res.json()) as { names: Record<string, string> }).names;
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [doc.id],
  );
  useSocketEvent("person.updated", (p) => mentionDirectory.has(p.userId) && mentionDirectory.refresh([p.userId]));
  const uploadImage = useCallback(async (file: File) => {
    const fd = new FormData();
    fd.set("image", file);
    const res = await fetch(`/docs/${doc.id}/images`, { method: "POST", body: fd });
    const body = (await res.json()) as { url?: string; error?: string };
    if (!res.ok || !body.url) throw new Error(body.error ?? "The image could not be uploaded.");
    return { url: body.url };
  }, [doc.id]);
  const onRole = useCallback((r: DocRoleName | null) => r && setLiveRole(r), []);
  const onDenied = useCallback((reason: string) => {
    if (reason === "revoked" || reason === "forbidden") setRevoked(true);
  }, []);

  const state = connState(conn, connection === "connected");
  // The live editor takes the server-rendered content's place once it holds the document: synced
  // with the server, or working offline from this browser's copy.
  // Once shown it stays: a later reconnect must not hide what someone is typing in.
  const [editorShown, setEditorShown] = useState(false);
  const editorHolds = !!conn && (conn.synced || connection === "offline");
  useEffect(() => {
    if (editorHolds) setEditorShown(true);
  }, [editorHolds]);
  const starred = star.formData ? star.formData.get("starred") === "true" : doc.starred;

  // the selection is anchored by Yjs relative positions stored with the comment
  // (decision 045) — nothing is written to the document, so viewers can comment on text too.
  const startAnchoredComment = () => {
    const a = apiRef.current?.selectionAnchor();
    if (!a) return;
    setPendingAnchor({ key: `a${Math.random().toString(36).slice(2, 10)}`, quote: a.quote, anchorStart: a.start, anchorEnd: a.end });
    setTimeout(() => commentBoxRef.current?.focus(), 0);
  };
  const anchors = useMemo(
    () => comments.filter((c) => !c.threadId && !c.resolvedAt && !c.deleted && c.anchorStart && c.anchorEnd).map((c) => ({ start: c.anchorStart!, end: c.anchorEnd! })),
    [comments],
  );
  // A read-only editor does not track a Lexical selection: watch the DOM selection as well.
  useEffect(() => {
    const onChange = () => {
      const sel = window.getSelection();
      const root = document.querySelector('[data-testid="doc-editor"]');
      const inside = !!(sel && root && !sel.isCollapsed && sel.rangeCount && root.contains(sel.getRangeAt(0).commonAncestorContainer));
      setHasSelection(inside && sel!.toString().trim().length > 0);
    };
    document.addEventListener("selectionchange", onChange);
    return () => document.removeEventListener("selectionchange", onChange);
  }, []);

  return (
    <article className="doc-page" data-testid="doc-page" data-doc-id={doc.id}>
      <nav aria-label="Breadcrumbs">
        <ol className="crumbs" data-testid="breadcrumbs">
          <li><Link to="/docs">Docs</Link></li>
          <li><Link to={`/docs/spaces/${doc.space.id}`}>{doc.space.name}</Link></li>
          {doc.breadcrumbs.map((c, i) => (
            <li key={c.id ?? `restricted-${i}`}>{c.id ? <Link to={`/docs/${c.id}`}>{c.title}</Link> : <span className="muted" title="You do not have access to this page">Restricted</span>}</li>
          ))}
        </ol>
      </nav>
      <div className="doc-head">
        <div style={{ flex: "1 1 20rem" }}>
          {canEdit ? (
            <Form method="post" replace onSubmit={(e) => title.trim() === doc.title && e.preventDefault()}>
              <input type="hidden" name="intent" value="rename" />
              <h1 className="sr-only">{title}</h1>
              <label htmlFor="doc-title" className="sr-only">Title</label>
              <input id="doc-title" name="title" className="doc-title-input" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} onBlur={(e) => e.currentTarget.form?.requestSubmit()} data-testid="doc-title" />
            </Form>
          ) : (
            <h1 data-testid="doc-title">{title}</h1>
          )}
          <div className="doc-meta muted">
            <VisibilityPill visibility={doc.visibility} department={doc.department} />
            {doc.audienceRole === "viewer" && doc.visibility !== "private" && <span className="pill">read-only for the audience</span>}
            <span data-testid="my-role">{liveRole === "viewer" ? "You can view and comment" : liveRole === "owner" ? "You own this document" : "You can edit"}</span>
            {doc.lastEditedBy && <span>· last edited {doc.lastEditedAt && <><When date={doc.lastEditedAt} />{" "}</>}by {doc.lastEditedBy.name}</span>}
          </div>
        </div>
        <div className="doc-meta">
          <span className="doc-status" data-testid="doc-connection" data-state={hydrated ? state : "offline"} title={state === "offline" ? "You are offline. Keep typing: your edits are kept and will sync when you reconnect." : undefined}>
            <span className="doc-status-dot" aria-hidden="true" />
            <span>{hydrated ? CONN_LABEL[state] : "Loading…"}</span>
            {state === "offline" && hydrated && <span className="sr-only">Edits are kept and sync on reconnect</span>}
          </span>
          <ul className="doc-peers" aria-label="People in this document" data-testid="doc-peers">
            {peers.map((p) => (
              <li key={p.userId} className="doc-peer" style={{ borderColor: p.color }} title={p.name} data-testid="doc-peer" data-user-id={p.userId}>
                <Avatar name={p.name} initials={initialsOf(p.name)} photoUrl={null} size={26} />
                <span className="sr-only">{p.name}</span>
              </li>
            ))}
          </ul>
          <star.Form method="post">
            <input type="hidden" name="intent" value="star" />
            <input type="hidden" name="starred" value={String(!starred)} />
            <button type="submit" className="secondary small" aria-pressed={starred} data-testid="star"><span className="icon-text"><Star aria-hidden="true" size={14} fill={starred ? "currentColor" : "none"} />{starred ? "Starred" : "Star"}</span></button>
          </star.Form>
          {doc.canManage && <button type="button" className="small" onClick={() => shareRef.current?.showModal()} data-testid="share-open">Share</button>}
          <Link to={`/docs/${doc.id}/history`} className="button secondary small">History</Link>
          <a href={`/docs/${doc.id}/export`} className="button secondary small" download>Export .md</a>
        </div>
      </div>

      {revoked && (
        <p className="form-error" role="alert" data-testid="doc-revoked">Your access to this document was removed. Anything you type here is no longer sent.</p>
      )}

      <div className="doc-layout">
        <section aria-label="Document">
          {!revoked && !editorShown && <DocContentView content={doc.content as ContentRoot | undefined ?? null} mentionNames={doc.mentionNames} loading />}
          {hydrated && socket && !revoked ? (
            <div hidden={!editorShown} data-testid="doc-editor-live">
            <Suspense fallback={null}>
            <DocEditor
              docId={doc.id}
              user={me}
              canEdit={canEdit}
              socket={socket}
              searchPeople={searchPeople}
              mentionDirectory={mentionDirectory}
              uploadImage={uploadImage}
              onConnection={setConn}
              onPeers={setPeers}
              onRole={onRole}
              onDenied={onDenied}
              onSelection={setHasSelection}
              apiRef={apiRef}
              anchors={anchors}
              toolbarExtra={
                doc.canComment ? (
                  <button type="button" aria-label="Comment on selection" title="Comment on the selected text" disabled={!hasSelection} onMouseDown={(e) => e.preventDefault()} onClick={startAnchoredComment}>
                    Comment
                  </button>
                ) : null
              }
            />
            </Suspense>
            </div>
          ) : revoked ? (
            <div className="editor-shell" />
          ) : null}
        </section>
        <aside aria-label="Comments">
          <Comments
            docId={doc.id}
            comments={comments}
            canComment={doc.canComment && !revoked}
            pendingAnchor={pendingAnchor}
            onAnchorDone={() => setPendingAnchor(null)}
            onResolved={(anchorId) => canEdit && anchorId && apiRef.current?.unmark(anchorId)}
            onFocusAnchor={(anchorId) => apiRef.current?.focusMark(anchorId)}
            onFocusYAnchor={(a) => apiRef.current?.focusAnchor(a) ?? false}
            boxRef={commentBoxRef}
            me={me}
          />
        </aside>
      </div>

      {doc.canManage && shareOptions && (
        <ShareDialog dialogRef={shareRef} doc={doc} shares={shares} options={shareOptions} />
      )}
    </article>
  );
}

const initialsOf = (name: string) => name.split(/\s+/).filter(Boolean).slice(0, 2).map((p) => p[0]!.toUpperCase()).join("") || "?";

/** Comments from the loader, kept live by `doc.comment` events from the document's room. */
function useLiveComments(docId: string, initial: DocCommentPayload[]) {
  const [list, setList] = useState(initial);
  useEffect(() => setList(initial), [initial]);
  useSocketEvent("doc.comment", (p) => {
    if (p.docId !== docId) return;
    setList((prev) => {
      const i = prev.findIndex((c) => c.id === p.comment.id);
      if (i === -1) return [...prev, p.comment];
      const next = prev.slice();
      next[i] = p.comment;
      return next;
    });
  });
  return list;
}

function Comments(props: {
  docId: string;
  comments: DocCommentPayload[];
  canComment: boolean;
  pendingAnchor: PendingAnchor | null;
  onAnchorDone: (posted: boolean) => void;
  onFocusYAnchor: (a: { start: string; end: string }) => boolean;
  onResolved: (anchorId: string | null) => void;
  onFocusAnchor: (anchorId: string) => void;
  boxRef: React.MutableRefObject<HTMLTextAreaElement | null>;
  me: { id: string; admin: boolean };
}) {
  const { comments, canComment, pendingAnchor } = props;
  const threads = useMemo(() => comments.filter((c) => !c.threadId), [comments]);
  const replies = (id: string) => comments.filter((c) => c.threadId === id);
  const [showResolved, setShowResolved] = useState(false);
  const open = threads.filter((t) => !t.resolvedAt);
  const resolved = threads.filter((t) => t.resolvedAt);
  return (
    <div className="comments" data-testid="comments">
      <h2 style={{ margin: 0 }}>Comments</h2>
      {canComment && (
        <CommentForm
          key={pendingAnchor?.key ?? "doc"}
          label={pendingAnchor ? "Comment on the selected text" : "Add a comment"}
          anchor={pendingAnchor}
          boxRef={props.boxRef}
          onDone={(posted) => pendingAnchor && props.onAnchorDone(posted)}
        />
      )}
      {open.length === 0 && <p className="muted small">No open comments.</p>}
      {open.map((t) => (
        <Thread key={t.id} thread={t} replies={replies(t.id)} canComment={canComment} onResolved={props.onResolved} onFocusAnchor={props.onFocusAnchor} onFocusYAnchor={props.onFocusYAnchor} me={props.me} />
      ))}
      {resolved.length > 0 && (
        <button type="button" className="link-button small" onClick={() => setShowResolved((v) => !v)}>
          {showResolved ? "Hide" : "Show"} {resolved.length} resolved
        </button>
      )}
      {showResolved && resolved.map((t) => <Thread key={t.id} thread={t} replies={replies(t.id)} canComment={canComment} onResolved={props.onResolved} onFocusAnchor={props.onFocusAnchor} onFocusYAnchor={props.onFocusYAnchor} me={props.me} />)}
    </div>
  );
}

type PendingAnchor = { key: string; quote: string; anchorStart: string; anchorEnd: string };

function CommentForm({ label, threadId, anchor, onDone, boxRef }: { label: string; threadId?: string; anchor?: PendingAnchor | null; onDone?: (posted: boolean) => void; boxRef?: React.MutableRefObject<HTMLTextAreaElement | null> }) {
  const fetcher = useFetcher<{ ok: boolean; intent?: string; message?: string; fieldErrors?: Record<string, string[]> }>();
  const docId = useLoaderData<typeof loader>().doc.id;
  const id = `comment-box-${threadId ?? anchor?.key ?? "doc"}`;
  // A comment or a reply is kept as a draft until posted; one on a selection is not (the selection is gone after a reload).
  const kept = useFormDraft(anchor ? null : `doc-comment:${docId}:${threadId ?? "doc"}`, { body: "" });
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok && fetcher.data.intent === "comment") {
      kept.draft.discard();
      kept.reset();
      onDone?.(true);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.fieldErrors?.body?.[0] ?? Object.values(fetcher.data.fieldErrors ?? {}).flat()[0] ?? fetcher.data.message : null;
  return (
    <fetcher.Form method="post" className="comment-form" ref={kept.ref} onChange={kept.onChange} onInput={kept.onInput} data-testid={threadId ? "reply-form" : "comment-form"}>
      <DraftNotice draft={kept.draft} onDiscard={kept.reset} testId="comment-draft-restored" />
      <input type="hidden" name="intent" value="comment" />
      {threadId && <input type="hidden" name="threadId" value={threadId} />}
      {anchor && (
        <>
          <input type="hidden" name="anchorStart" value={anchor.anchorStart} />
          <input type="hidden" name="anchorEnd" value={anchor.anchorEnd} />
          <input type="hidden" name="quote" value={anchor.quote} />
          <blockquote className="small">{anchor.quote}</blockquote>
        </>
      )}
      <label htmlFor={id} className={threadId ? "sr-only" : "small"}>{label}</label>
      <MentionTextarea docId={docId} id={id} name="body" ref={boxRef} required maxLength={5000} placeholder={threadId ? "Reply…" : "Write a comment… (@ to mention)"} aria-invalid={!!error} />
      {error && <p className="form-error small" role="alert">{error}</p>}
      <div className="row">
        <button type="submit" className="small" disabled={fetcher.state !== "idle"}>{threadId ? "Reply" : "Comment"}</button>
        {anchor && <button type="button" className="secondary small" onClick={() => onDone?.(false)}>Cancel</button>}
      </div>
    </fetcher.Form>
  );
}

function Thread({ thread, replies, canComment, onResolved, onFocusAnchor, onFocusYAnchor, me }: { thread: DocCommentPayload; replies: DocCommentPayload[]; canComment: boolean; onResolved: (anchorId: string | null) => void; onFocusAnchor: (a: string) => void; onFocusYAnchor: (a: { start: string; end: string }) => boolean; me: { id: string; admin: boolean } }) {
  const [gone, setGone] = useState(false);
  const fetcher = useFetcher();
  const resolving = fetcher.formData?.get("intent");
  const resolved = resolving ? resolving === "resolve" : !!thread.resolvedAt;
  return (
    <div className={`thread ${resolved ? "resolved" : ""}`} id={`comment-${thread.id}`} data-testid="thread">
      {thread.quote && (
        <blockquote>
          {thread.anchorStart && thread.anchorEnd ? (
            <button type="button" className="link-button" data-testid="anchor-quote" onClick={() => setGone(!onFocusYAnchor({ start: thread.anchorStart!, end: thread.anchorEnd! }))}>{thread.quote}</button>
          ) : thread.anchorId ? <button type="button" className="link-button" onClick={() => onFocusAnchor(thread.anchorId!)}>{thread.quote}</button> : thread.quote}
          {gone && <span className="muted small"> (this text is no longer in the document)</span>}
        </blockquote>
      )}
      {[thread, ...replies].map((c) => (
        <CommentItem key={c.id} c={c} canEdit={canComment && c.author.id === me.id} canDelete={(canComment && c.author.id === me.id) || me.admin} />
      ))}
      {canComment && (
        <>
          {!resolved && <CommentForm label="Reply" threadId={thread.id} />}
          <fetcher.Form method="post" onSubmit={() => !resolved && onResolved(thread.anchorId)}>
            <input type="hidden" name="threadId" value={thread.id} />
            <button type="submit" name="intent" value={resolved ? "reopen" : "resolve"} className="link-button small">{resolved ? "Reopen" : "Resolve"}</button>
          </fetcher.Form>
        </>
      )}
    </div>
  );
}

// ── one comment, with "edited" marker, edit and delete (decision 045) ──
function CommentItem({ c, canEdit, canDelete }: { c: DocCommentPayload; canEdit: boolean; canDelete: boolean }) {
  const fetcher = useFetcher<{ ok: boolean; intent?: string; message?: string; fieldErrors?: Record<string, string[]> }>();
  const [editing, setEditing] = useState(false);
  // An edit left unsaved is kept as a draft, and the comment opens in its edit box again.
  const keptEdit = useKeptDraft(canEdit && !c.deleted ? `doc-comment-edit:${c.id}` : null);
  useEffect(() => {
    if (keptEdit) setEditing(true);
  }, [keptEdit]);
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.fieldErrors?.body?.[0] ?? fetcher.data.message : null;
  const dates = useFormatDate();
  return (
    <div className="comment" data-testid="comment" data-deleted={c.deleted ? "true" : undefined}>
      <div className="comment-head">
        <Avatar name={c.author.name} initials={c.author.initials} photoUrl={c.author.photoUrl} size={20} />
        <strong>{c.author.name}</strong>
        <When date={c.createdAt} className="muted" />
        {c.editedAt && !c.deleted && <span className="muted small" data-testid="edited" title={`Edited ${dates.exact(c.editedAt)}`}>(edited)</span>}
      </div>
      {c.deleted ? (
        <p className="comment-body muted"><em>Comment deleted</em></p>
      ) : editing ? (
        <CommentEditForm c={c} onClose={() => setEditing(false)} />
      ) : (
        <p className="comment-body"><CommentText body={c.body} /></p>
      )}
      {!c.deleted && !editing && (canEdit || canDelete) && (
        <div className="row small" style={{ gap: ".5rem" }}>
          {canEdit && <button type="button" className="link-button small" onClick={() => setEditing(true)}>Edit</button>}
          {canDelete && (
            <fetcher.Form method="post" onSubmit={(e) => !window.confirm("Delete this comment?") && e.preventDefault()}>
              <input type="hidden" name="commentId" value={c.id} />
              <button type="submit" name="intent" value="comment-delete" className="link-button small">Delete</button>
            </fetcher.Form>
          )}
          {error && <span className="form-error" role="alert">{error}</span>}
        </div>
      )}
    </div>
  );
}

/** Editing one's own comment; the edit is kept as a draft until saved, and Cancel throws it away. */
function CommentEditForm({ c, onClose }: { c: DocCommentPayload; onClose: () => void }) {
  const fetcher = useFetcher<{ ok: boolean; intent?: string; message?: string; fieldErrors?: Record<string, string[]> }>();
  const docId = useLoaderData<typeof loader>().doc.id;
  const kept = useFormDraft(`doc-comment-edit:${c.id}`, { body: c.body });
  const close = () => {
    kept.draft.discard();
    kept.reset();
    onClose();
  };
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok && fetcher.data.intent === "comment-edit") close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.fieldErrors?.body?.[0] ?? fetcher.data.message : null;
  const editId = `edit-${c.id}`;
  return (
    <fetcher.Form method="post" className="comment-form" ref={kept.ref} onChange={kept.onChange} onInput={kept.onInput} data-testid="comment-edit-form">
      <DraftNotice draft={kept.draft} onDiscard={kept.reset} testId="comment-draft-restored" />
      <input type="hidden" name="intent" value="comment-edit" />
      <input type="hidden" name="commentId" value={c.id} />
      <label htmlFor={editId} className="sr-only">Edit your comment</label>
      <MentionTextarea docId={docId} id={editId} name="body" defaultValue={c.body} required maxLength={5000} aria-invalid={!!error} />
      {error && <p className="form-error small" role="alert">{error}</p>}
      <div className="row">
        <button type="submit" className="small" disabled={fetcher.state !== "idle"}>Save</button>
        <button type="button" className="secondary small" onClick={close}>Cancel</button>
      </div>
    </fetcher.Form>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function ShareDialog({ dialogRef, doc, shares, options }: { dialogRef: React.MutableRefObject<HTMLDialogElement | null>; doc: LoaderData["doc"]; shares: LoaderData["shares"]; options: NonNullable<LoaderData["shareOptions"]> }) {
  const share = useFetcher<{ ok: boolean; fieldErrors?: Record<string, string[]>; message?: string }>();
  const settings = useFetcher<{ ok: boolean; fieldErrors?: Record<string, string[]>; message?: string }>();
  const err = (f: typeof share) => (f.data && !f.data.ok ? Object.values(f.data.fieldErrors ?? {}).flat()[0] ?? f.data.message : null);
  return (
    <dialog ref={dialogRef} className="share" aria-labelledby="share-title" data-testid="share-dialog">
      <h2 id="share-title" style={{ marginTop: 0 }}>Share “{doc.title}”</h2>
      <settings.Form method="post">
        <input type="hidden" name="intent" value="settings" />
        <fieldset>
          <legend>Who can find and open it</legend>
          {(["private", "department", "company"] as const).map((v) => (
            <label key={v} style={{ display: "block" }}>
              <input type="radio" name="visibility" value={v} defaultChecked={doc.visibility === v} disabled={v === "department" && !doc.department} /> {v === "department" && doc.department ? `Department — everyone in ${doc.department.name}` : VISIBILITY_LABELS[v]}
            </label>
          ))}
          <label className="field" style={{ marginTop: ".5rem" }}>
            <span>They can</span>
            <select name="audienceRole" defaultValue={doc.audienceRole}>
              <option value="editor">edit</option>
              <option value="viewer">view and comment</option>
            </select>
          </label>
        </fieldset>
        {err(settings) && <p className="form-error" role="alert">{err(settings)}</p>}
        <button type="submit" className="small">Save visibility</button>
      </settings.Form>

      <h3>Shared with</h3>
      {shares.length === 0 ? <p className="muted small">No one yet.</p> : (
        <ul className="list-plain" data-testid="share-list">
          {shares.map((s) => (
            <li key={s.id} className="row" style={{ justifyContent: "space-between" }}>
              <span>{s.principalType === "team" ? <Users aria-hidden="true" size={14} /> : s.principalType === "department" ? <Building2 aria-hidden="true" size={14} /> : <User aria-hidden="true" size={14} />} {s.name} · {s.role === "editor" ? "can edit" : "can view"}</span>
              <share.Form method="post">
                <input type="hidden" name="intent" value="unshare" />
                <input type="hidden" name="shareId" value={s.id} />
                <button type="submit" className="link-button small" aria-label={`Stop sharing with ${s.name}`}>Remove</button>
              </share.Form>
            </li>
          ))}
        </ul>
      )}
      <share.Form method="post" className="row" style={{ alignItems: "end", marginTop: ".5rem" }}>
        <input type="hidden" name="intent" value="share" />
        <label className="field">
          <span>Share with</span>
          <select name="principal" required defaultValue="" data-testid="share-principal">
            <option value="" disabled>Choose…</option>
            <optgroup label="People">{options.people.map((p) => <option key={p.id} value={`user:${p.id}`}>{p.name}</option>)}</optgroup>
            <optgroup label="Teams">{options.teams.map((t) => <option key={t.id} value={`team:${t.id}`}>{t.name}</option>)}</optgroup>
            <optgroup label="Departments">{options.departments.map((d) => <option key={d.id} value={`department:${d.id}`}>{d.name}</option>)}</optgroup>
          </select>
        </label>
        <label className="field">
          <span>Role</span>
          <select name="role" defaultValue="editor" data-testid="share-role">
            <option value="editor">Editor</option>
            <option value="viewer">Viewer</option>
          </select>
        </label>
        <button type="submit" className="small field" data-testid="share-submit">Share</button>
      </share.Form>
      {err(share) && <p className="form-error" role="alert">{err(share)}</p>}

      <div className="row" style={{ justifyContent: "space-between", marginTop: "1rem" }}>
        <Form method="post" onSubmit={(e) => !window.confirm("Move this document to the trash?") && e.preventDefault()}>
          <button type="submit" name="intent" value="trash" className="danger small">Move to trash</button>
        </Form>
        <button type="button" className="secondary" onClick={() => dialogRef.current?.close()}>Done</button>
      </div>
    </dialog>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const params = useParams();
  const me = useRootData()?.user;
  // No longer readable (or gone): drop this browser's local copy of it.
  useEffect(() => {
    if (me && params.id && isRouteErrorResponse(error) && (error.status === 403 || error.status === 404)) forgetLocalDoc(me.id, params.id);
  }, [error, me, params.id]);
  return <ErrorMessage error={error} />;
}
