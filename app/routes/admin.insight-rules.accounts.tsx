import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { authorize } from "../../server/policy.js";
import { TIERS } from "~/schemas/insights";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(async () => authorize(auth.actor, "insight.manageAccounts", null));
  return { accounts: await context.domain.insights.listAccounts() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = Object.fromEntries(await readForm(request, context));
  return runAction(async () => {
    if (form.intent === "update") await context.domain.insights.updateAccount(auth.actor, String(form.id), form);
    else await context.domain.insights.createAccount(auth.actor, form);
    return { ok: true as const, id: form.intent === "update" ? String(form.id) : null };
  }, form);
}

export default function Accounts() {
  const { accounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors = result && "fieldErrors" in result ? result.fieldErrors : {};
  const sentValues = (result && "values" in result ? result.values : null) as Record<string, string> | null;
  const createFailed = sentValues && sentValues.intent !== "update";
  return (
    <>
      <p className="muted">Customer accounts give insights a name, a segment and a tier; rules can route by tier. The ingest API refers to accounts by name.</p>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Add an account</h2>
        {createFailed && result && "message" in result && <p className="form-error" role="alert">{result.message}</p>}
        <Form method="post" className="filters">
          <input type="hidden" name="intent" value="create" />
          <div className="field">
            <label htmlFor="acc-name">Name</label>
            <input id="acc-name" name="name" type="text" required maxLength={120} defaultValue={createFailed ? sentValues.name : ""} />
            {createFailed && errors.name?.map((m) => <p key={m} className="field-error">{m}</p>)}
          </div>
          <div className="field">
            <label htmlFor="acc-segment">Segment</label>
            <input id="acc-segment" name="segment" type="text" maxLength={60} placeholder="Enterprise" defaultValue={createFailed ? sentValues.segment : ""} />
          </div>
          <div className="field">
            <label htmlFor="acc-tier">Tier</label>
            <select id="acc-tier" name="tier" defaultValue={createFailed ? sentValues.tier : "standard"}>
              {TIERS.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </div>
          <button type="submit" disabled={busy}>Add account</button>
        </Form>
      </section>
      <div className="table-scroll" style={{ marginTop: "1rem" }}><table data-testid="accounts">
        <thead><tr><th>Name</th><th>Segment</th><th>Tier</th><th>Insights</th><th><span className="sr-only">Save</span></th></tr></thead>
        <tbody>
          {accounts.map((a) => {
            const failed = sentValues?.intent === "update" && sentValues.id === a.id;
            return (
              <tr key={a.id}>
                <td>
                  <Form method="post" id={`acc-${a.id}`}>
                    <input type="hidden" name="intent" value="update" />
                    <input type="hidden" name="id" value={a.id} />
                  </Form>
                  <label className="sr-only" htmlFor={`n-${a.id}`}>Name</label>
                  <input id={`n-${a.id}`} form={`acc-${a.id}`} name="name" type="text" defaultValue={a.name} maxLength={120} />
                  {failed && errors.name?.map((m) => <p key={m} className="field-error">{m}</p>)}
                </td>
                <td><label className="sr-only" htmlFor={`s-${a.id}`}>Segment</label><input id={`s-${a.id}`} form={`acc-${a.id}`} name="segment" type="text" defaultValue={a.segment} maxLength={60} /></td>
                <td>
                  <label className="sr-only" htmlFor={`t-${a.id}`}>Tier</label>
                  <select id={`t-${a.id}`} form={`acc-${a.id}`} name="tier" defaultValue={a.tier}>
                    {TIERS.map((t) => <option key={t} value={t}>{t}</option>)}
                  </select>
                </td>
                <td><Link to={`/insights?account=${a.id}`}>{a.insights}</Link></td>
                <td><button type="submit" form={`acc-${a.id}`} className="secondary" disabled={busy}>Save</button></td>
              </tr>
            );
          })}
        </tbody>
      </table></div>
    </>
  );
}
