import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ActionMessages } from "~/components/admin-ui";
import { fieldErrorsOf } from "~/components/person";
import { RowAction } from "~/components/row-action";
import { WebhookForm, webhookInput } from "~/components/webhook-form";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { When } from "~/components/when";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Webhook · Admin · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  return load(() => context.domain.webhooks.getWebhook(auth.actor, params.id!));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const wh = context.domain.webhooks;
  const id = params.id!;
  switch (form.get("intent")) {
    case "update": {
      const input = webhookInput(form);
      return runAction(async () => {
        await wh.updateWebhook(auth.actor, id, input);
        return { ok: true as const, message: "Webhook saved." };
      }, input);
    }
    case "rotate":
      return runAction(async () => {
        await wh.rotateWebhookSecret(auth.actor, id);
        return { ok: true as const, message: "A new signing secret is in use. Update your receiver." };
      });
    case "delete":
      return runAction(async () => {
        await wh.deleteWebhook(auth.actor, id);
        return redirect("/admin/webhooks");
      });
    case "redeliver":
      return runAction(async () => {
        await wh.redeliver(auth.actor, String(form.get("deliveryId") ?? ""));
        return { ok: true as const, message: "Sent again as a new delivery." };
      });
    default:
      return { ok: false as const, message: "Unknown action.", fieldErrors: { form: ["Unknown action."] } };
  }
}

const when = (d: string | Date | null) => (d ? <When date={d} format="datetime" /> : "—");

export default function AdminWebhook() {
  const { webhook, deliveries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const err = fieldErrorsOf(result);
  const [params] = useSearchParams();
  return (
    <>
      <p><Link to="/admin/webhooks">← Webhooks</Link></p>
      <h1>Webhook to {webhook.url}</h1>
      <ActionMessages result={result} flash={params.get("created") ? "Webhook added. Events will be delivered from now on." : null} />
      <section className="card admin-form">
        <h2>Signing secret</h2>
        <p className="small">Your receiver checks each request with this secret.</p>
        <input readOnly value={webhook.secret} className="token-value" aria-label="Signing secret" data-testid="webhook-secret" />
        <RowAction intent="rotate" label="Rotate secret" className="row" buttonClassName="secondary small" />
      </section>
      <WebhookForm intent="update" submitLabel="Save webhook" errors={err?.fieldErrors ?? {}} values={(err?.values as never) ?? webhook} />

      <h2>Recent deliveries</h2>
      {deliveries.length === 0 ? (
        <p className="muted" data-testid="no-deliveries">Nothing delivered yet.</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="deliveries">
            <thead>
              <tr><th scope="col">Event</th><th scope="col">Created</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Last response</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                  <td><code>{d.event}</code></td>
                  <td className="small">{when(d.createdAt)}</td>
                  <td>
                    {d.status === "succeeded" ? <>Delivered {when(d.deliveredAt)}</> : d.status === "failed" ? "Failed (gave up)" : <>Pending, next try {when(d.nextAttemptAt)}</>}
                  </td>
                  <td>{d.attempts}</td>
                  <td className="small">
                    {d.lastStatusCode ?? ""} {d.lastError && <span className="status-inactive">{d.lastError}</span>}
                    {d.lastResponse && <details><summary>Body</summary><pre className="audit-details">{d.lastResponse}</pre></details>}
                  </td>
                  <td>
                    {d.status !== "pending" && (
                      <RowAction intent="redeliver" fields={{ deliveryId: d.id }} label="Send again" buttonClassName="secondary small" />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card admin-danger">
        <h2>Delete this webhook</h2>
        <RowAction intent="delete" label="Delete webhook" buttonClassName="danger" />
      </section>
    </>
  );
}
