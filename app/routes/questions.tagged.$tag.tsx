import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useRouteError } from "@remix-run/react";
import { FieldError, fieldErrorsOf } from "~/components/person";
import { PersonLink, QuestionSummaryItem } from "~/components/questions";
import { ErrorMessage } from "~/root";
import qaStyles from "~/styles/questions.css";
import { load, requireAuth } from "~/utils/http.server";
import { runQaAction, str } from "~/utils/qa.server";
import { readForm } from "~/utils/body.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: qaStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.tag.name ?? "Tag"} · Questions · Atrium` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const tag = await load(() => context.domain.questions.getTag(auth.actor, params.tag!));
  // A synonym's page is its skill's page ("k8s" → kubernetes).
  if (tag.name !== params.tag) throw redirect(`/questions/tagged/${encodeURIComponent(tag.name)}`);
  const url = new URL(request.url);
  const list = await load(() =>
    context.domain.questions.listQuestions(auth.actor, { tag: tag.name, sort: url.searchParams.get("sort") ?? "newest", page: url.searchParams.get("page") ?? "1" }),
  );
  return { tag, list };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const intent = str(form.get("intent"));
  return runQaAction(async () => {
    if (intent === "follow") await context.domain.questions.followTag(auth.actor, params.tag!);
    else if (intent === "unfollow") await context.domain.questions.unfollowTag(auth.actor, params.tag!);
    else if (intent === "describe") await context.domain.questions.describeTag(auth.actor, params.tag!, { description: form.get("description") });
    return { ok: true as const };
  });
}

export default function TagPage() {
  const { tag, list } = useLoaderData<typeof loader>();
  const follow = useFetcher();
  const errs = fieldErrorsOf(useActionData<typeof action>());
  return (
    <div className="layout-2">
      <section>
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h1>
            <span className="tag" style={{ fontSize: "1.3rem" }}>{tag.name}</span>
          </h1>
          <Link to={`/questions/ask?tags=${encodeURIComponent(tag.name)}`} className="button">Ask about {tag.label}</Link>
        </div>
        {tag.description ? <p data-testid="tag-description">{tag.description}</p> : <p className="muted">No description yet.</p>}
        {tag.synonyms.length > 0 && <p className="muted">Also known as: {tag.synonyms.join(", ")}</p>}
        <div className="row">
          <follow.Form method="post">
            <input type="hidden" name="intent" value={tag.following ? "unfollow" : "follow"} />
            <button type="submit" className="secondary" data-testid="follow-tag">{tag.following ? "Following ✓" : "Follow this tag"}</button>
          </follow.Form>
          <span className="muted" data-testid="tag-followers">{tag.followers} follower{tag.followers === 1 ? "" : "s"} · {tag.questionCount} question{tag.questionCount === 1 ? "" : "s"}</span>
          <Link to={`/people?skill=${encodeURIComponent(tag.name)}`}>People with this skill</Link>
        </div>
        <h2>Questions</h2>
        <ol className="qa-list">
          {list.items.map((q) => (
            <QuestionSummaryItem key={q.id} q={q} />
          ))}
        </ol>
        {list.total === 0 && <p>No questions with this tag yet.</p>}
        {list.total > list.items.length && <p><Link to={`/questions?tag=${encodeURIComponent(tag.name)}&page=2`}>More questions…</Link></p>}
      </section>
      <aside style={{ display: "grid", gap: ".75rem", alignContent: "start" }}>
        <section className="card" aria-labelledby="top-h">
          <h2 id="top-h" style={{ marginTop: 0 }}>Top answerers</h2>
          {tag.topAnswerers.length === 0 ? (
            <p className="muted">No accepted or upvoted answers yet.</p>
          ) : (
            <ol className="list-plain" data-testid="top-answerers">
              {tag.topAnswerers.map((t) => (
                <li key={t.person.id}>
                  <PersonLink person={t.person} />
                  <div className="muted" style={{ fontSize: ".85rem" }}>
                    {t.accepted} accepted · {t.upvotes} upvote{t.upvotes === 1 ? "" : "s"}
                  </div>
                </li>
              ))}
            </ol>
          )}
        </section>
        {tag.canDescribe && (
          <section className="card">
            <Form method="post">
              <input type="hidden" name="intent" value="describe" />
              <div className="field">
                <label htmlFor="description">Description</label>
                <textarea id="description" name="description" maxLength={1000} defaultValue={tag.description} />
                <FieldError errors={errs?.fieldErrors.description} />
              </div>
              <button type="submit" className="secondary">Save description</button>
            </Form>
          </section>
        )}
      </aside>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
