import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams, useSubmit } from "@remix-run/react";
import { SKILL_LEVEL_LABEL } from "~/schemas/people";
import { Avatar, LocalTime, Presence, Status } from "~/components/person";
import { loadQuery, requireAuth } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "People · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const [search, filters] = await Promise.all([loadQuery(() => context.domain.people.searchDirectory(auth.actor, params)), context.domain.people.directoryFilters()]);
  const page = search.value ?? { people: [], total: 0, page: 1, pageSize: 1 };
  return data({ page, problem: search.problem, filters }, { status: search.problem ? 422 : 200 });
}

export default function Directory() {
  const { page, problem, filters } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const pages = Math.ceil(page.total / page.pageSize);
  const pageLink = (n: number) => {
    const p = new URLSearchParams(params);
    p.set("page", String(n));
    return `?${p}`;
  };
  return (
    <>
      <h1>People</h1>
      <Form method="get" className="filters card" role="search" aria-label="Directory" onChange={(e) => submit(e.currentTarget, { replace: true })}>
        <div className="field">
          <label htmlFor="q">Name, skill, title…</label>
          <input id="q" name="q" type="search" defaultValue={params.get("q") ?? ""} maxLength={200} placeholder="e.g. kubernetes" />
        </div>
        <FilterSelect name="department" label="Department" current={params.get("department")} options={filters.departments.map((d) => ({ value: d.id, label: d.name }))} />
        <FilterSelect name="team" label="Team" current={params.get("team")} options={filters.teams.map((t) => ({ value: t.id, label: t.name }))} />
        <FilterSelect name="location" label="Location" current={params.get("location")} options={filters.locations.map((l) => ({ value: l, label: l }))} />
        <FilterSelect name="skill" label="Skill" current={params.get("skill")} options={filters.skills.map((s) => ({ value: s.name, label: s.label }))} />
        <button type="submit">Search</button>
      </Form>
      {problem && <p className="form-error" role="alert" data-testid="search-problem">{problem}</p>}
      <p className="muted" aria-live="polite" data-testid="result-count">
        {page.total === 1 ? "1 person" : `${page.total} people`}
      </p>
      <ol className="grid list-plain" data-testid="directory-results">
        {page.people.map((p) => (
          <li key={p.id} className="card person-card" data-testid="person-result" data-person-id={p.id}>
            <Avatar name={p.name} initials={p.initials} photoUrl={p.photoUrl} />
            <div>
              <h2><Link to={`/people/${p.id}`}>{p.name}</Link></h2>
              <div className="muted">{`${p.title}${p.department ? ` · ${p.department.name}` : ""}`}</div>
              <div className="row"><Presence userId={p.id} initial={p.presence} showLabel /> <LocalTime timeZone={p.timeZone} /></div>
              <Status userId={p.id} initial={p.status} />
              <div>
                {p.skills.slice(0, 5).map((s) => (
                  <span key={s.name} className={`skill skill-${s.level}`} title={SKILL_LEVEL_LABEL[s.level]}>
                    {s.label}<span className="sr-only">{` (${SKILL_LEVEL_LABEL[s.level]})`}</span>
                  </span>
                ))}
              </div>
            </div>
          </li>
        ))}
      </ol>
      {page.total === 0 && <p>No one matches. Try fewer words or another filter.</p>}
      {pages > 1 && (
        <nav aria-label="Pages" className="row">
          {page.page > 1 && <Link to={pageLink(page.page - 1)}>Previous</Link>}
          <span>Page {page.page} of {pages}</span>
          {page.page < pages && <Link to={pageLink(page.page + 1)}>Next</Link>}
        </nav>
      )}
    </>
  );
}

/** One filter of the directory: "Any", then the choices, showing the one in the address. */
function FilterSelect({ name, label, current, options }: { name: string; label: string; current: string | null; options: { value: string; label: string }[] }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={current ?? ""}>
        <option value="">Any</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );
}
