import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useRouteError } from "@remix-run/react";
import { docsLinks } from "~/components/docs-ui";
import { ErrorMessage } from "~/root";
import { requireAuth, runAction } from "~/utils/http.server";
import { When } from "~/components/when";
import { readForm } from "~/utils/body.server";

export const links: LinksFunction = docsLinks;
export const meta: MetaFunction = () => [{ title: "Trash · Docs · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  return { items: await context.domain.docs.listTrash(auth.actor) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const id = String(form.get("docId") ?? "");
  return runAction(async () => {
    await context.domain.docs.restoreDocument(auth.actor, id);
    throw redirect(`/docs/${id}`);
  });
}

export default function Trash() {
  const { items } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumbs"><ol className="crumbs"><li><Link to="/docs">Docs</Link></li></ol></nav>
      <h1>Trash</h1>
      {items.length === 0 && <p className="muted">Nothing in the trash.</p>}
      <ul className="doc-list" data-testid="trash">
        {items.map((d) => (
          <li key={d.id} className="row" style={{ justifyContent: "space-between" }}>
            <span><strong>{d.title}</strong> <span className="muted small">· {d.space.name} · trashed <When date={d.deletedAt} /></span></span>
            <Form method="post">
              <input type="hidden" name="docId" value={d.id} />
              <button type="submit" className="secondary small">Restore</button>
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
