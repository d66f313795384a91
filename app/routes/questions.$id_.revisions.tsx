import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteError } from "@remix-run/react";
import { PersonLink, Time } from "~/components/questions";
import { RichTextView } from "~/components/rich-text";
import { ErrorMessage } from "~/root";
import qaStyles from "~/styles/questions.css";
import { load, requireAuth } from "~/utils/http.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: qaStyles }];
export const meta: MetaFunction = () => [{ title: "Revision history · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const answerId = new URL(request.url).searchParams.get("answer");
  return load(() => context.domain.questions.listRevisions(auth.actor, params.id!, answerId));
}

export default function Revisions() {
  const { question, answer, revisions } = useLoaderData<typeof loader>();
  return (
    <section style={{ maxWidth: "52rem" }}>
      <h1>Revision history</h1>
      <p>
        {answer ? <>Answer by {answer.author} to </> : null}
        <Link to={`/questions/${question.id}`}>{question.title}</Link> · {revisions.length} revision{revisions.length === 1 ? "" : "s"}
      </p>
      <ol className="list-plain" data-testid="revisions">
        {revisions.map((r, i) => {
          const prev = revisions[i + 1];
          return (
            <li key={r.id} className="card qa-revision" data-testid="revision">
              <h2 style={{ marginTop: 0, fontSize: "1.05rem" }}>
                Revision {r.number} · {r.summary || "Edited"}
              </h2>
              <div className="qa-meta row"><PersonLink person={r.author} /> <Time iso={r.createdAt} /></div>
              {r.title !== null && (
                <p>
                  <strong>Title:</strong> {r.title}
                  {prev && prev.title !== r.title && <span className="muted"> (was “{prev.title}”)</span>}
                </p>
              )}
              {r.tags.length > 0 && (
                <p>
                  <strong>Tags:</strong> {r.tags.join(", ")}
                  {prev && prev.tags.join(",") !== r.tags.join(",") && <span className="muted"> (was {prev.tags.join(", ") || "none"})</span>}
                </p>
              )}
              {prev && prev.bodyText === r.bodyText ? <p className="muted">Body unchanged.</p> : <RichTextView doc={r.body} />}
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
