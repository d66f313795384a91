import { Form, Link } from "@remix-run/react";
import { CHANNELS, CHANNEL_LABEL, CUSTOMER_TOPICS, PRIORITIES, TIERS, formatDuration } from "~/schemas/insights";

/** FormData → the shape RuleSchema parses (the same schema the domain verb applies). */
export function ruleFromForm(form: FormData) {
  const s = (k: string) => String(form.get(k) ?? "");
  return {
    name: s("name"),
    enabled: form.get("enabled") === "on",
    teamIds: form.getAll("teamIds").map(String),
    priority: s("priority") || "normal",
    ackWithin: s("ackWithin"),
    resolveWithin: s("resolveWithin"),
    conditions: {
      topics: s("topics"),
      products: s("products"),
      channels: form.getAll("channels").map(String),
      tiers: form.getAll("tiers").map(String),
      sentimentAtMost: s("sentimentAtMost"),
      sentimentAtLeast: s("sentimentAtLeast"),
      keywords: s("keywords"),
      customerTopics: form.getAll("customerTopics").map(String),
    },
  };
}

export interface RuleFormValues {
  name: string;
  enabled: boolean;
  teamIds: string[];
  priority: string;
  ackWithin: string;
  resolveWithin: string;
  topics: string;
  products: string;
  channels: string[];
  tiers: string[];
  sentimentAtMost: string;
  sentimentAtLeast: string;
  keywords: string;
  customerTopics: string[];
}

export const emptyRule: RuleFormValues = {
  name: "",
  enabled: true,
  teamIds: [],
  priority: "normal",
  ackWithin: "1h",
  resolveWithin: "1d",
  topics: "",
  products: "",
  channels: [],
  tiers: [],
  sentimentAtMost: "",
  sentimentAtLeast: "",
  keywords: "",
  customerTopics: [],
};

export function ruleToValues(r: {
  name: string;
  enabled: boolean;
  priority: string;
  ackWithinMinutes: number;
  resolveWithinMinutes: number;
  teams: { id: string }[];
  conditions: { topics: string[]; products: string[]; channels: string[]; tiers: string[]; sentimentAtMost: number | null; sentimentAtLeast: number | null; keywords: string[]; customerTopics?: string[] };
}): RuleFormValues {
  const c = r.conditions;
  return {
    name: r.name,
    enabled: r.enabled,
    teamIds: r.teams.map((t) => t.id),
    priority: r.priority,
    ackWithin: formatDuration(r.ackWithinMinutes).replace(/ /g, ""),
    resolveWithin: formatDuration(r.resolveWithinMinutes).replace(/ /g, ""),
    topics: c.topics.join(", "),
    products: c.products.join(", "),
    channels: c.channels,
    tiers: c.tiers,
    sentimentAtMost: c.sentimentAtMost === null ? "" : String(c.sentimentAtMost),
    sentimentAtLeast: c.sentimentAtLeast === null ? "" : String(c.sentimentAtLeast),
    keywords: c.keywords.join(", "),
    customerTopics: c.customerTopics ?? [],
  };
}

export function RuleForm({
  values,
  teams,
  errors,
  message,
  submitLabel,
  busy,
  preview = null,
}: {
  preview?: { days: number; total: number; caught: number; examples: { id: string; text: string }[] } | null;
  values: RuleFormValues;
  teams: { id: string; name: string }[];
  errors: Record<string, string[] | undefined>;
  message?: string;
  submitLabel: string;
  busy: boolean;
}) {
  const err = (k: string) => errors[k]?.map((m) => <p key={m} className="field-error">{m}</p>);
  return (
    <Form method="post" noValidate>
      {message && <p className="form-error" role="alert">{message}</p>}
      <div className="field">
        <label htmlFor="name">Rule name</label>
        <input id="name" name="name" type="text" required maxLength={120} defaultValue={values.name} placeholder="Billing complaints" />
        {err("name")}
      </div>
      <label className="row"><input type="checkbox" name="enabled" defaultChecked={values.enabled} /> Enabled</label>

      <fieldset>
        <legend>When an insight…</legend>
        <p className="muted">Every condition you fill in must hold; within a list, any entry will do. Leave everything empty to match all insights.</p>
        <div className="row" style={{ alignItems: "flex-start" }}>
          <div className="field">
            <label htmlFor="topics">has one of these topic tags</label>
            <input id="topics" name="topics" type="text" defaultValue={values.topics} placeholder="billing, invoices" />
            {err("conditions.topics")}
          </div>
          <div className="field">
            <label htmlFor="products">is about one of these products</label>
            <input id="products" name="products" type="text" defaultValue={values.products} placeholder="mobile app" />
            {err("conditions.products")}
          </div>
        </div>
        <fieldset className="field" data-testid="customer-topic-picker">
          <legend><strong>is about one of these customer topics</strong> <span className="muted">(recognised in the customer's words)</span></legend>
          <div className="checks">
            {CUSTOMER_TOPICS.map((t) => (
              <label key={t.key}><input type="checkbox" name="customerTopics" value={t.key} defaultChecked={values.customerTopics.includes(t.key)} /> {t.label}</label>
            ))}
          </div>
          {err("conditions.customerTopics")}
        </fieldset>
        <div className="field">
          <span className="label"><strong>came through one of these channels</strong></span>
          <div className="checks">
            {CHANNELS.map((c) => (
              <label key={c}><input type="checkbox" name="channels" value={c} defaultChecked={values.channels.includes(c)} /> {CHANNEL_LABEL[c]}</label>
            ))}
          </div>
          {err("conditions.channels")}
        </div>
        <div className="field">
          <span className="label"><strong>comes from an account of tier</strong></span>
          <div className="checks">
            {TIERS.map((t) => (
              <label key={t}><input type="checkbox" name="tiers" value={t} defaultChecked={values.tiers.includes(t)} /> {t}</label>
            ))}
          </div>
          {err("conditions.tiers")}
        </div>
        <div className="row" style={{ alignItems: "flex-start" }}>
          <div className="field">
            <label htmlFor="sentimentAtMost">has sentiment at most (−1…1)</label>
            <input id="sentimentAtMost" name="sentimentAtMost" type="number" step="0.05" min="-1" max="1" defaultValue={values.sentimentAtMost} placeholder="-0.3 = clearly negative" />
            {err("conditions.sentimentAtMost")}
          </div>
          <div className="field">
            <label htmlFor="sentimentAtLeast">has sentiment at least (−1…1)</label>
            <input id="sentimentAtLeast" name="sentimentAtLeast" type="number" step="0.05" min="-1" max="1" defaultValue={values.sentimentAtLeast} placeholder="0.3 = clearly positive" />
            {err("conditions.sentimentAtLeast")}
          </div>
        </div>
        <div className="field">
          <label htmlFor="keywords">mentions one of these words or phrases</label>
          <input id="keywords" name="keywords" type="text" defaultValue={values.keywords} placeholder="refund, charged twice" />
          {err("conditions.keywords")}
        </div>
      </fieldset>

      <fieldset>
        <legend>…send it to</legend>
        <div className="checks">
          {teams.map((t) => (
            <label key={t.id}><input type="checkbox" name="teamIds" value={t.id} defaultChecked={values.teamIds.includes(t.id)} /> {t.name}</label>
          ))}
        </div>
        {teams.length === 0 && <p className="muted">No teams yet: create them under Admin → Teams.</p>}
        {err("teamIds")}
        <div className="row" style={{ alignItems: "flex-start", marginTop: ".75rem" }}>
          <div className="field">
            <label htmlFor="priority">with priority</label>
            <select id="priority" name="priority" defaultValue={values.priority}>
              {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ackWithin">to acknowledge within</label>
            <input id="ackWithin" name="ackWithin" type="text" required defaultValue={values.ackWithin} placeholder="30m, 4h, 1d" />
            {err("ackWithin")}
          </div>
          <div className="field">
            <label htmlFor="resolveWithin">and resolve within</label>
            <input id="resolveWithin" name="resolveWithin" type="text" required defaultValue={values.resolveWithin} placeholder="1d, 3d" />
            {err("resolveWithin")}
          </div>
        </div>
      </fieldset>
      <section aria-labelledby="preview-h" className="card" style={{ margin: ".75rem 0" }}>
        <h3 id="preview-h" style={{ marginTop: 0 }}>What would it have caught?</h3>
        <p className="muted">Replays the conditions above on the insights of the last 30 days, with the sentiment each was routed with. Nothing is saved.</p>
        <button type="submit" name="intent" value="preview" className="secondary" disabled={busy} formNoValidate>Preview on the last 30 days</button>
        {preview && (
          <div data-testid="rule-preview" role="status">
            <p>
              <strong data-testid="rule-preview-count" data-caught={preview.caught} data-total={preview.total}>
                Would have caught {preview.caught} of {preview.total} insight{preview.total === 1 ? "" : "s"} in the last {preview.days} days.
              </strong>
            </p>
            {preview.examples.length > 0 && (
              <ul className="list-plain">
                {preview.examples.map((x) => <li key={x.id}><Link to={`/insights/${x.id}`}>{x.text}</Link></li>)}
              </ul>
            )}
          </div>
        )}
      </section>
      <div className="row">
        <button type="submit" name="intent" value="save" disabled={busy}>{submitLabel}</button>
        <Link to="/admin/insight-rules">Cancel</Link>
      </div>
    </Form>
  );
}
