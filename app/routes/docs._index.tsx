import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError, useSearchParams } from "@remix-run/react";
import { DocList, docsLinks } from "~/components/docs-ui";
import { ErrorMessage } from "~/root";
import { VISIBILITY_LABELS } from "~/schemas/docs";
import { loadQuery, requireAuth, runAction, type ActionErrors } from "~/utils/http.server";
import { isTooLargeResponse, readForm } from "~/utils/body.server";

const MARKDOWN_MAX_BYTES = 1_000_000;

export const links: LinksFunction = docsLinks;
export const meta: MetaFunction = () => [{ title: "Docs · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const docs = context.domain.docs;
  const q = new URL(request.url).searchParams.get("q")?.trim() ?? "";
  const [spaces, recent, starred, search] = await Promise.all([
    docs.listSpaces(auth.actor),
    docs.listRecent(auth.actor, { limit: 10 }),
    docs.listStarred(auth.actor),
    q ? loadQuery(() => docs.searchDocuments(auth.actor, { q })) : Promise.resolve(null),
  ]);
  return data({ spaces, recent, starred, results: search?.value ?? null, searchProblem: search?.problem ?? null, q }, { status: search?.problem ? 422 : 200 });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const docs = context.domain.docs;
  // A Markdown import reads at most one file's worth; any other form the server-wide limit.
  const importing = request.headers.get("content-type")?.startsWith("multipart/form-data");
  let form: FormData;
  try {
    form = await readForm(request, context, importing ? { maxFileBytes: MARKDOWN_MAX_BYTES, tooLargeMessage: "Markdown files are at most 1 MB." } : {});
  } catch (e) {
    if (isTooLargeResponse(e)) return data({ ok: false as const, message: "Markdown files are at most 1 MB.", fieldErrors: { file: ["Markdown files are at most 1 MB."] } } satisfies ActionErrors, { status: 413, headers: { Connection: "close" } });
    throw e;
  }
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string"));
  return runAction(async () => {
    if (form.get("intent") === "import") {
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0) return { ok: false as const, message: "Choose a Markdown file.", fieldErrors: { file: ["Choose a Markdown file."] } } satisfies ActionErrors;
      if (file.size > MARKDOWN_MAX_BYTES) return { ok: false as const, message: "Markdown files are at most 1 MB.", fieldErrors: { file: ["Markdown files are at most 1 MB."] } } satisfies ActionErrors;
      const { id } = await docs.importMarkdown(auth.actor, { spaceId: form.get("spaceId"), markdown: await file.text(), title: "" });
      throw redirect(`/docs/${id}`);
    }
    const { id } = await docs.createDocument(auth.actor, { title: form.get("title"), spaceId: form.get("spaceId"), visibility: form.get("visibility") || undefined });
    throw redirect(`/docs/${id}`);
  }, values);
}

export default function DocsHome() {
  const { spaces, recent, starred, results, searchProblem, q } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>() as ActionErrors | undefined;
  const nav = useNavigation();
  const [params] = useSearchParams();
  const creatable = spaces.filter((s) => s.canCreate);
  const mySpace = creatable.find((s) => s.mine) ?? creatable[0];
  const fe = (k: string) => errors?.fieldErrors?.[k]?.[0];
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>Docs</h1>
        <Link to="/docs/trash" className="small">Trash</Link>
      </div>
      {params.get("trashed") && <p className="flash" role="status">The document was moved to the trash. <Link to="/docs/trash">Undo</Link></p>}
      <Form method="get" role="search" aria-label="Search documents" className="row" style={{ marginBottom: "1rem" }}>
        <label htmlFor="doc-search" className="sr-only">Search documents</label>
        <input
          id="doc-search" type="search" name="q" defaultValue={q} placeholder="Search documents…" maxLength={200} style={{ flex: "1 1 20rem" }}
          aria-invalid={searchProblem ? true : undefined} aria-describedby={searchProblem ? "doc-search-error" : undefined}
        />
        <button type="submit" className="secondary">Search</button>
      </Form>
      {searchProblem && <p id="doc-search-error" className="form-error" role="alert" data-testid="search-problem">{searchProblem}</p>}
      {results && (
        <section aria-label="Search results" style={{ marginBottom: "1.5rem" }}>
          <h2>Results for “{q}”</h2>
          <DocList items={results} empty="No document you can read matches." testId="doc-results" />
        </section>
      )}
      <div className="docs-columns">
        <section aria-labelledby="spaces-h">
          <h2 id="spaces-h">Spaces</h2>
          <ul className="doc-list" data-testid="spaces">
            {spaces.map((s) => (
              <li key={s.id}>
                <Link to={`/docs/spaces/${s.id}`}><strong>{s.name}</strong></Link>
                <span className="muted small"> · {s.documents} document{s.documents === 1 ? "" : "s"}{s.mine ? " · your department" : ""}</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="recent-h">
          <h2 id="recent-h">Recently edited</h2>
          <DocList items={recent} empty="Nothing yet." testId="recent" />
        </section>
        <section aria-labelledby="starred-h">
          <h2 id="starred-h">Starred</h2>
          <DocList items={starred} empty="Star a document to keep it here." testId="starred" />
        </section>
      </div>

      {mySpace && (
        <div className="docs-columns" style={{ marginTop: "1.5rem" }}>
          <section className="card" aria-labelledby="new-h">
            <h2 id="new-h" style={{ marginTop: 0 }}>New document</h2>
            <Form method="post" data-testid="new-doc-form">
              {errors && !errors.ok && errors.message && !fe("file") && <p className="form-error" role="alert">{errors.message}</p>}
              <div className="field">
                <label htmlFor="new-title">Title</label>
                <input id="new-title" name="title" type="text" required maxLength={200} aria-invalid={!!fe("title")} aria-describedby={fe("title") ? "new-title-err" : undefined} />
                {fe("title") && <span id="new-title-err" className="form-error small">{fe("title")}</span>}
              </div>
              <div className="field">
                <label htmlFor="new-space">Space</label>
                <select id="new-space" name="spaceId" defaultValue={mySpace.id}>
                  {creatable.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
                </select>
              </div>
              <div className="field">
                <label htmlFor="new-visibility">Visibility</label>
                <select id="new-visibility" name="visibility" defaultValue="">
                  <option value="">Default for the space</option>
                  {(Object.keys(VISIBILITY_LABELS) as (keyof typeof VISIBILITY_LABELS)[]).map((v) => <option key={v} value={v}>{VISIBILITY_LABELS[v]}</option>)}
                </select>
                {fe("visibility") && <span className="form-error small">{fe("visibility")}</span>}
              </div>
              <button type="submit" disabled={nav.state !== "idle"}>Create</button>
            </Form>
          </section>
          <section className="card" aria-labelledby="import-h">
            <h2 id="import-h" style={{ marginTop: 0 }}>Import Markdown</h2>
            <Form method="post" encType="multipart/form-data" data-testid="import-form">
              <input type="hidden" name="intent" value="import" />
              <div className="field">
                <label htmlFor="import-file">Markdown file (.md, up to 1 MB)</label>
                <input id="import-file" name="file" type="file" accept=".md,.markdown,text/markdown,text/plain" required />
                {fe("file") && <span className="form-error small">{fe("file")}</span>}
              </div>
              <div className="field">
                <label htmlFor="import-space">Space</label>
                <select id="import-space" name="spaceId" defaultValue={mySpace.id}>
                  {creatable.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
                </select>
              </div>
              <button type="submit" className="secondary" disabled={nav.state !== "idle"}>Import</button>
            </Form>
          </section>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
