import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AUDIT_ACTIONS } from "~/schemas/audit";
import { FieldError } from "~/components/person";
import { isDomainError, load, requireAuth } from "~/utils/http.server";
import { When } from "~/components/when";

export const meta: MetaFunction = () => [{ title: "Audit log · Admin · Atrium" }];

const FILTERS = ["actor", "action", "from", "to"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const params = new URL(request.url).searchParams;
  const input = Object.fromEntries([...FILTERS, "cursor"].map((k) => [k, params.get(k) ?? ""]));
  try {
    const page = await context.domain.audit.listAuditEvents(auth.actor, input);
    return { ...page, input, fieldErrors: {} as Record<string, string[] | undefined> };
  } catch (e) {
    // A bad filter (a malformed date) shows next to the field; a member still gets the 403 page.
    if (isDomainError(e) && e.status === 422) return { events: [], nextCursor: null, input, fieldErrors: e.fieldErrors ?? {} };
    return load(() => Promise.reject(e));
  }
}



export default function AdminAudit() {
  const { events, nextCursor, input, fieldErrors } = useLoaderData<typeof loader>();
  const filters = new URLSearchParams(Object.entries(input).filter(([k, v]) => k !== "cursor" && v) as [string, string][]);
  const filtered = [...filters.keys()].length > 0;
  return (
    <>
      <div className="row admin-heading">
        <h1>Audit log</h1>
        <a className="button secondary" href={`/admin/audit.csv${filters.size ? `?${filters}` : ""}`} data-testid="audit-export" download>
          Export CSV{filtered ? " (filtered)" : ""}
        </a>
      </div>
      <p className="muted">
        Who did what, when and from where: sign-ins, role and permission changes, deactivations, tokens, webhooks, imports
        and exports. Entries cannot be edited or deleted. Exporting is itself recorded.
      </p>
      <Form method="get" className="filters" role="search" aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <input id="audit-actor" name="actor" type="search" defaultValue={input.actor} maxLength={200} placeholder="Name, email or id" />
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue={input.action}>
            <option value="">Any action</option>
            {Object.entries(AUDIT_ACTIONS).map(([value, label]) => (
              <option key={value} value={value}>{label} ({value})</option>
            ))}
          </select>
          <FieldError errors={fieldErrors.action} />
        </div>
        <div className="field">
          <label htmlFor="audit-from">From (UTC)</label>
          <input id="audit-from" name="from" type="date" defaultValue={input.from} aria-invalid={fieldErrors.from ? true : undefined} />
          <FieldError errors={fieldErrors.from} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To (UTC, included)</label>
          <input id="audit-to" name="to" type="date" defaultValue={input.to} aria-invalid={fieldErrors.to ? true : undefined} />
          <FieldError errors={fieldErrors.to} />
        </div>
        <button type="submit" className="secondary">Filter</button>
        {filtered && <Link to="/admin/audit">Clear filters</Link>}
      </Form>

      {events.length === 0 ? (
        <p data-testid="audit-empty">No audit events match.</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="audit-table">
            <caption className="sr-only">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">What</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <td className="small"><When date={e.createdAt} format="datetime" /></td>
                  <td>{e.actorLabel || <span className="muted">anonymous</span>}</td>
                  <td><code className="small">{e.action}</code></td>
                  <td>
                    {e.summary}
                    {Object.keys(e.details).length > 0 && (
                      <details className="small">
                        <summary>Details</summary>
                        <pre className="audit-details">{JSON.stringify(e.details, null, 2)}</pre>
                      </details>
                    )}
                  </td>
                  <td className="small">
                    {e.ip || "—"}
                    {e.userAgent && <div className="muted" title={e.userAgent}>{e.userAgent.slice(0, 40)}{e.userAgent.length > 40 ? "…" : ""}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && (
        <p>
          <Link to={`/admin/audit?${new URLSearchParams([...filters, ["cursor", nextCursor]])}`} data-testid="audit-older">Older entries →</Link>
        </p>
      )}
    </>
  );
}
