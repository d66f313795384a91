import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { docsLinks, VisibilityPill } from "~/components/docs-ui";
import { ErrorMessage } from "~/root";
import { load, requireAuth, runAction, type ActionErrors } from "~/utils/http.server";
import { FollowButton } from "~/components/social";
import { readForm } from "~/utils/body.server";

export const links: LinksFunction = docsLinks;
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.space.name ?? "Space"} · Docs · Atrium` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  // A big space is read in pages of its tree; a page number out of range shows the nearest page.
  const asked = Number(new URL(request.url).searchParams.get("page") ?? 1);
  const space = await load(() => context.domain.docs.getSpacePage(auth.actor, params.spaceId!, Number.isSafeInteger(asked) ? asked : 1));
  return { ...space, following: await context.domain.follows.isFollowingSpace(auth.actor, params.spaceId!) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  return runAction(async () => {
    const { id } = await context.domain.docs.createDocument(auth.actor, { title: form.get("title"), spaceId: params.spaceId, parentId: form.get("parentId") || null });
    throw redirect(`/docs/${id}`);
  }, Object.fromEntries(form));
}

type Node = ReturnType<typeof useLoaderData<typeof loader>>["tree"][number];

function Tree({ nodes }: { nodes: Node[] }) {
  return (
    <ul className="tree">
      {nodes.map((n) => (
        <li key={n.id} data-testid={n.context ? "tree-context" : "tree-item"}>
          <Link to={`/docs/${n.id}`} className={n.context ? "muted" : undefined}>{n.title}</Link>
          {n.context ? <span className="sr-only"> (continued from the previous page)</span> : <> <VisibilityPill visibility={n.visibility} /></>}
          {n.children.length > 0 && <Tree nodes={n.children} />}
        </li>
      ))}
    </ul>
  );
}

const flatten = (nodes: Node[], depth = 0): { id: string; title: string; depth: number }[] =>
  nodes.flatMap((n) => [{ id: n.id, title: n.title, depth }, ...flatten(n.children, depth + 1)]);

export default function SpacePage() {
  const { space, tree, canCreate, following, page, pages, total } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>() as ActionErrors | undefined;
  return (
    <>
      <nav aria-label="Breadcrumbs"><ol className="crumbs"><li><Link to="/docs">Docs</Link></li></ol></nav>
      <div className="row"><h1>{space.name}</h1><FollowButton kind="space" id={space.id} following={following} name={space.name} /></div>
      <div className="docs-columns">
        <section aria-label="Documents" className="card">
          {pages > 1 && <p className="muted" data-testid="tree-total">{total} documents · page {page} of {pages}</p>}
          {tree.length ? <Tree nodes={tree} /> : <p className="muted">No documents you can read here yet.</p>}
          {pages > 1 && (
            <nav aria-label="Pages" className="row">
              {page > 1 && <Link to={`?page=${page - 1}`}>Previous</Link>}
              <span>Page {page} of {pages}</span>
              {page < pages && <Link to={`?page=${page + 1}`}>Next</Link>}
            </nav>
          )}
        </section>
        {canCreate && (
          <section className="card" aria-labelledby="new-h">
            <h2 id="new-h" style={{ marginTop: 0 }}>New document in {space.name}</h2>
            <Form method="post">
              {errors && !errors.ok && <p className="form-error" role="alert">{Object.values(errors.fieldErrors).flat()[0] ?? errors.message}</p>}
              <div className="field">
                <label htmlFor="title">Title</label>
                <input id="title" name="title" type="text" required maxLength={200} />
              </div>
              <div className="field">
                <label htmlFor="parentId">{pages > 1 ? "Inside (a document on this page)" : "Inside"}</label>
                <select id="parentId" name="parentId" defaultValue="">
                  <option value="">(top level)</option>
                  {flatten(tree).map((d) => <option key={d.id} value={d.id}>{"\u00a0\u00a0".repeat(d.depth)}{d.title}</option>)}
                </select>
              </div>
              <button type="submit">Create</button>
            </Form>
          </section>
        )}
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
