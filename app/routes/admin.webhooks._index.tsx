import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActionMessages } from "~/components/admin-ui";
import { fieldErrorsOf } from "~/components/person";
import { WebhookForm, webhookInput } from "~/components/webhook-form";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Webhooks · Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  return { hooks: await load(() => context.domain.webhooks.listWebhooks(auth.actor)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const input = webhookInput(await readForm(request, context));
  return runAction(async () => {
    const h = await context.domain.webhooks.createWebhook(auth.actor, input);
    return redirect(`/admin/webhooks/${h.id}?created=1`);
  }, input);
}

export default function AdminWebhooks() {
  const { hooks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const err = fieldErrorsOf(result);
  return (
    <>
      <h1>Webhooks</h1>
      <p className="muted">
        Atrium POSTs a signed JSON payload to each URL when a subscribed event happens, retrying with exponential backoff
        when the receiver fails. Verify the <code>Atrium-Signature</code> header (<code>t=…,v1=HMAC-SHA256(secret, t + "." + body)</code>).
      </p>
      {hooks.length === 0 ? (
        <p data-testid="no-webhooks">No webhooks yet.</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="webhooks-table">
            <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Delivered</th><th scope="col">Pending</th><th scope="col">Failed</th></tr></thead>
            <tbody>
              {hooks.map((h) => (
                <tr key={h.id} data-testid="webhook-row">
                  <th scope="row"><Link to={`/admin/webhooks/${h.id}`}>{h.url}</Link>{h.description && <div className="muted small">{h.description}</div>}</th>
                  <td className="small">{h.events.join(", ")}</td>
                  <td>{h.active ? "Active" : "Disabled"}</td>
                  <td>{h.delivered}</td>
                  <td>{h.pending}</td>
                  <td>{h.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Add a webhook</h2>
      <ActionMessages result={result} />
      <WebhookForm intent="create" submitLabel="Add webhook" errors={err?.fieldErrors ?? {}} values={err?.values as never} />
    </>
  );
}
