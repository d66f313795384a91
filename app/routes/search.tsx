import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Marked, TypeBadge } from "~/components/search-ui";
import { SEARCH_MAX_CHARS, SEARCH_TYPE_LABELS, SEARCH_TYPE_VALUES } from "~/schemas/search";
import { isDomainError, load, requireAuth } from "~/utils/http.server";
import { When } from "~/components/when";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.page?.query ? `“${data.page.query}” · Search · Atrium` : "Search · Atrium" }];

/** GET only: the URL is the query, so a search can be shared, bookmarked and run without JS. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const departments = (await context.domain.org.listDepartments()).map((d) => ({ id: d.id, name: d.name }));
  try {
    const page = await context.domain.search.search(auth.actor, params);
    return { page, departments, params, error: null };
  } catch (e) {
    if (isDomainError(e) && e.status === 422) {
      const message = Object.values(e.fieldErrors ?? {}).flat().filter(Boolean).join(" ") || e.message;
      return { page: null, departments, params, error: message };
    }
    return load(() => Promise.reject(e));
  }
}

export default function SearchPage() {
  const { page, departments, params, error } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "loading";
  const hrefWith = (over: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, page: undefined, ...over })) if (v) p.set(k, v);
    return `/search?${p}`;
  };
  const allCount = page ? Object.values(page.byType).reduce((a, b) => a + b, 0) : 0;
  // Past 1,000 readable matches the counts are lower bounds (decision 060): "1,000+".
  const more = page?.capped ? "+" : "";
  return (
    <>
      <h1>Search</h1>
      <Form method="get" action="/search" role="search" aria-label="Search everything" className="card search-form">
        <div className="field search-q">
          <label htmlFor="search-q">Search people, documents, questions and insights</label>
          <input id="search-q" name="q" type="search" defaultValue={page?.query ?? params.q ?? ""} autoFocus={!params.q} placeholder="e.g. saml, Priya, invoice wrong" />
        </div>
        {params.type && <input type="hidden" name="type" value={params.type} />}
        <div className="filters">
          <div className="field">
            <label htmlFor="search-department">Department</label>
            <select id="search-department" name="department" defaultValue={params.department ?? ""}>
              <option value="">Any</option>
              {departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="search-tag">Tag or skill</label>
            <input id="search-tag" name="tag" defaultValue={params.tag ?? ""} maxLength={60} placeholder="e.g. billing" />
          </div>
          <div className="field">
            <label htmlFor="search-from">From</label>
            <input id="search-from" name="from" type="date" defaultValue={params.from ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="search-to">To</label>
            <input id="search-to" name="to" type="date" defaultValue={params.to ?? ""} />
          </div>
          <button type="submit">Search</button>
        </div>
      </Form>

      {error && (
        <p className="error" role="alert" data-testid="search-error">
          {error}
        </p>
      )}

      {page && (
        <>
          {page.indexing && (
            <p className="muted" role="status" data-testid="search-indexing">
              Search is still being prepared after a restart ({page.indexing.done.toLocaleString("en")} of {page.indexing.total.toLocaleString("en")} items indexed): some results may be missing for a moment.
            </p>
          )}
          {page.truncated && (
            <p className="muted" role="status" data-testid="search-truncated">
              Your search was long: only its first {SEARCH_MAX_CHARS} characters (and first eight words) were used.
            </p>
          )}
          {page.blank ? (
            <p className="muted" data-testid="search-hint">
              {page.query ? "Type a word or a name — punctuation and words like “and” or “not” are not searched on their own." : "Type a name, a skill, a title or a few words. Tip: press Ctrl+K (⌘K on a Mac) anywhere to search."}
            </p>
          ) : (
            <>
              <nav aria-label="Result types">
                <ul className="qa-tabs search-tabs">
                  <li>
                    <Link to={hrefWith({ type: undefined })} aria-current={!params.type ? "page" : undefined} data-testid="tab-all">
                      All <span className="count">{allCount.toLocaleString("en")}{more}</span>
                    </Link>
                  </li>
                  {SEARCH_TYPE_VALUES.map((t) => (
                    <li key={t}>
                      <Link to={hrefWith({ type: t })} aria-current={params.type === t ? "page" : undefined} data-testid={`tab-${t}`}>
                        {SEARCH_TYPE_LABELS[t].many} <span className="count">{page.byType[t].toLocaleString("en")}{more}</span>
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
              {page.tags.length > 0 && (
                <p className="search-facets">
                  <span className="muted">Tags: </span>
                  {page.tags.map((t) => (
                    <Link key={t.name} className="tag" to={hrefWith({ tag: t.name })}>
                      {t.name} <span className="count">{t.count}</span>
                    </Link>
                  ))}
                </p>
              )}
              <p className="muted" role="status" data-testid="search-summary" aria-busy={busy}>
                {page.total === 0
                  ? `No results for “${page.query}”${params.type || params.department || params.tag || params.from || params.to ? " with these filters" : ""}.`
                  : `${page.total.toLocaleString("en")}${more} result${page.total === 1 && !more ? "" : "s"} for “${page.query}”${page.relaxed ? " (no result had every word: showing results with any of them)" : ""}.`}
              </p>
              {page.total === 0 && (
                <p className="muted" data-testid="search-empty">
                  Try fewer words, another spelling, or remove a filter. Private documents show only to those they are shared with.
                </p>
              )}
              <ol className="search-results" data-testid="search-results">
                {page.results.map((r) => (
                  <li key={`${r.type}:${r.id}`} className="card search-result" data-testid="search-result" data-type={r.type}>
                    <TypeBadge type={r.type} />
                    <h2>
                      <Link to={r.url}>
                        <Marked segments={r.title} />
                      </Link>
                    </h2>
                    {r.subtitle && <p className="muted search-subtitle">{r.subtitle}</p>}
                    {r.snippet.length > 0 && (
                      <p className="search-snippet" data-testid="search-snippet">
                        <Marked segments={r.snippet} />
                      </p>
                    )}
                    <p className="search-meta muted">
                      {r.tags.slice(0, 5).map((t) => (
                        <span key={t} className="tag">
                          {t}
                        </span>
                      ))}
                      <When date={r.date} />
                    </p>
                  </li>
                ))}
              </ol>
              {page.pages > 1 && (
                <nav aria-label="Pages" className="search-pages">
                  {page.page > 1 && <Link to={hrefWith({ page: String(page.page - 1) })}>← Previous</Link>}
                  <span className="muted">
                    Page {page.page} of {page.pages}
                  </span>
                  {page.page < page.pages && <Link to={hrefWith({ page: String(page.page + 1) })}>Next →</Link>}
                </nav>
              )}
            </>
          )}
        </>
      )}
    </>
  );
}

