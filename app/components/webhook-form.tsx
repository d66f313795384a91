import { Form, useNavigation } from "@remix-run/react";
import { WEBHOOK_EVENTS } from "~/schemas/platform";
import { FieldError } from "~/components/person";

export function webhookInput(form: FormData) {
  return {
    url: String(form.get("url") ?? ""),
    description: String(form.get("description") ?? ""),
    events: form.getAll("events").map(String),
    active: form.get("active") === "on",
  };
}

export function WebhookForm({
  values,
  errors,
  submitLabel,
  intent,
}: {
  values?: { url: string; description: string; events: string[]; active: boolean };
  errors: Record<string, string[] | undefined>;
  submitLabel: string;
  intent: string;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" className="card admin-form" noValidate>
      <input type="hidden" name="intent" value={intent} />
      <div className="field">
        <label htmlFor="wh-url">Payload URL</label>
        <input id="wh-url" name="url" type="url" defaultValue={values?.url} maxLength={2000} placeholder="https://example.com/atrium-events" aria-invalid={errors.url ? true : undefined} aria-describedby="wh-url-error" />
        <FieldError id="wh-url-error" errors={errors.url} />
      </div>
      <div className="field">
        <label htmlFor="wh-description">Description</label>
        <input id="wh-description" name="description" defaultValue={values?.description} maxLength={200} />
        <FieldError errors={errors.description} />
      </div>
      <fieldset className="field">
        <legend>Events</legend>
        {Object.entries(WEBHOOK_EVENTS).map(([name, label]) => (
          <label key={name} className="checkbox-row">
            <input type="checkbox" name="events" value={name} defaultChecked={values?.events.includes(name)} /> <code>{name}</code> — {label}
          </label>
        ))}
        <FieldError errors={errors.events} />
      </fieldset>
      <div className="field">
        <label className="checkbox-row">
          <input type="checkbox" name="active" defaultChecked={values?.active ?? true} /> Active
        </label>
      </div>
      <button type="submit" disabled={busy}>{submitLabel}</button>
    </Form>
  );
}
