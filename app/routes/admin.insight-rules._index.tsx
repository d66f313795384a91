import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { RowAction } from "~/components/row-action";
import { CHANNELS, CHANNEL_LABEL, TIERS, customerTopicLabel, formatDuration } from "~/schemas/insights";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const [rules, settings, teams] = await Promise.all([
    load(() => context.domain.routingRules.listRules(auth.actor)),
    load(() => context.domain.routingRules.getSettings(auth.actor)),
    context.domain.org.listTeams(),
  ]);
  return { rules, settings, teams: teams.map((t) => ({ id: t.id, name: t.name })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = Object.fromEntries(await readForm(request, context));
  const rr = context.domain.routingRules;
  return runAction(async () => {
    switch (form.intent) {
      case "settings":
        await rr.updateSettings(auth.actor, form);
        return { ok: true as const, done: "Routing settings saved." };
      case "move":
        await rr.moveRule(auth.actor, String(form.id), form.direction === "up" ? "up" : "down");
        return { ok: true as const, done: null };
      case "delete":
        await rr.deleteRule(auth.actor, String(form.id));
        return { ok: true as const, done: "Rule deleted." };
      case "test":
        return { ok: true as const, done: null, test: await rr.testRules(auth.actor, form), example: form };
      default:
        throw new Response("Unknown action", { status: 400 });
    }
  }, form);
}

function conditionsText(c: { customerTopics?: string[]; topics: string[]; products: string[]; channels: string[]; tiers: string[]; sentimentAtMost: number | null; sentimentAtLeast: number | null; keywords: string[] }) {
  const parts: string[] = [];
  if (c.customerTopics?.length) parts.push(`is about ${c.customerTopics.map(customerTopicLabel).join(" or ")}`);
  if (c.topics.length) parts.push(`topic is ${c.topics.join(" or ")}`);
  if (c.products.length) parts.push(`product is ${c.products.join(" or ")}`);
  if (c.channels.length) parts.push(`channel is ${c.channels.map((x) => CHANNEL_LABEL[x as keyof typeof CHANNEL_LABEL] ?? x).join(" or ")}`);
  if (c.tiers.length) parts.push(`account tier is ${c.tiers.join(" or ")}`);
  if (c.sentimentAtMost !== null) parts.push(`sentiment ≤ ${c.sentimentAtMost}`);
  if (c.sentimentAtLeast !== null) parts.push(`sentiment ≥ ${c.sentimentAtLeast}`);
  if (c.keywords.length) parts.push(`mentions “${c.keywords.join("” or “")}”`);
  return parts.length ? parts.join(" and ") : "every insight";
}

export default function RulesIndex() {
  const { rules, settings, teams } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const test = result && "test" in result ? result.test : null;
  const example = (result && "example" in result ? result.example : {}) as Record<string, string>;
  const errors = result && "fieldErrors" in result ? result.fieldErrors : {};
  const matching = new Set(test?.matchingRuleIds ?? []);
  const routing = new Set(test?.routingRuleIds ?? []);
  return (
    <>
      {params.get("saved") && <p className="flash" role="status">Rule saved.</p>}
      {result && "done" in result && result.done && <p className="flash" role="status">{result.done}</p>}
      {result && "message" in result && <p className="form-error" role="alert">{result.message}</p>}

      <section className="card" aria-labelledby="how">
        <h2 id="how" style={{ marginTop: 0 }}>How routing works</h2>
        <p data-testid="match-mode-statement">
          Rules are checked from top to bottom.{" "}
          {settings.matchMode === "first" ? (
            <strong>The first matching rule routes the insight; the rules below it are not used.</strong>
          ) : (
            <strong>Every matching rule routes the insight: it goes to all their teams, with the highest priority and the shortest SLA among them.</strong>
          )}{" "}
          An insight that matches no rule goes to <strong>{settings.triageTeam?.name ?? "the triage team"}</strong> (acknowledge within {formatDuration(settings.triageAckMinutes)}, resolve within {formatDuration(settings.triageResolveMinutes)}).
        </p>
        <Form method="post" className="filters">
          <input type="hidden" name="intent" value="settings" />
          <div className="field">
            <label htmlFor="matchMode">When several rules match</label>
            <select id="matchMode" name="matchMode" defaultValue={settings.matchMode}>
              <option value="first">First match routes</option>
              <option value="every">Every match routes</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="triageTeamId">Triage team</label>
            <select id="triageTeamId" name="triageTeamId" defaultValue={settings.triageTeamId}>
              {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
            </select>
            {errors.triageTeamId?.map((m) => <p key={m} className="field-error">{m}</p>)}
          </div>
          <div className="field">
            <label htmlFor="triageAckWithin">Triage: acknowledge within</label>
            <input id="triageAckWithin" name="triageAckWithin" type="text" defaultValue={formatDuration(settings.triageAckMinutes).replace(/ /g, "")} size={8} />
            {errors.triageAckWithin?.map((m) => <p key={m} className="field-error">{m}</p>)}
          </div>
          <div className="field">
            <label htmlFor="triageResolveWithin">resolve within</label>
            <input id="triageResolveWithin" name="triageResolveWithin" type="text" defaultValue={formatDuration(settings.triageResolveMinutes).replace(/ /g, "")} size={8} />
            {errors.triageResolveWithin?.map((m) => <p key={m} className="field-error">{m}</p>)}
          </div>
          <button type="submit" className="secondary" disabled={busy}>Save settings</button>
        </Form>
      </section>

      <div className="row" style={{ justifyContent: "space-between", marginTop: "1rem" }}>
        <h2>Rules</h2>
        <Link to="/admin/insight-rules/new" className="button">New rule</Link>
      </div>
      {rules.length === 0 ? (
        <p className="muted">No rules yet: every insight goes to triage.</p>
      ) : (
        <div className="table-scroll"><table className="rule-list" data-testid="rules">
          <thead>
            <tr><th>#</th><th>Rule</th><th>When</th><th>Send to</th><th>Priority / SLA</th><th><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {rules.map((r, k) => (
              <tr key={r.id} data-testid="rule" data-id={r.id} data-matching={matching.has(r.id) ? "true" : undefined} style={matching.has(r.id) ? { background: routing.has(r.id) ? "#e3f1e8" : "#fff6e0" } : undefined}>
                <td>{k + 1}</td>
                <td>
                  <Link to={`/admin/insight-rules/${r.id}`}>{r.name}</Link>
                  {!r.enabled && <span className="pill"> disabled</span>}
                  {test && matching.has(r.id) && <div className="pill">{routing.has(r.id) ? "matches — routes" : "matches (not used: first match wins)"}</div>}
                </td>
                <td>{conditionsText(r.conditions)}</td>
                <td>{r.teams.map((t) => t.name).join(", ")}</td>
                <td>{r.priority} · ack {formatDuration(r.ackWithinMinutes)} · resolve {formatDuration(r.resolveWithinMinutes)}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="move" />
                    <input type="hidden" name="id" value={r.id} />
                    <button type="submit" name="direction" value="up" className="link-button" disabled={k === 0 || busy} aria-label={`Move ${r.name} up`}>↑</button>{" "}
                    <button type="submit" name="direction" value="down" className="link-button" disabled={k === rules.length - 1 || busy} aria-label={`Move ${r.name} down`}>↓</button>
                  </Form>{" "}
                  <RowAction intent="delete" fields={{ id: r.id }} label="Delete" buttonClassName="link-button" confirm={`Delete the rule “${r.name}”?`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}

      <section className="card" aria-labelledby="test-h" style={{ marginTop: "1rem" }}>
        <h2 id="test-h" style={{ marginTop: 0 }}>Test the rules</h2>
        <p className="muted">Describe an example insight; nothing is stored. Matching rules are highlighted above.</p>
        <Form method="post">
          <input type="hidden" name="intent" value="test" />
          <div className="field">
            <label htmlFor="test-text">Customer's words</label>
            <textarea id="test-text" name="text" defaultValue={example.text ?? ""} placeholder="Your invoices are wrong again!" />
          </div>
          <div className="filters">
            <div className="field">
              <label htmlFor="test-channel">Channel</label>
              <select id="test-channel" name="channel" defaultValue={example.channel ?? "twitter"}>
                {CHANNELS.map((c) => <option key={c} value={c}>{CHANNEL_LABEL[c]}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="test-tier">Account tier</label>
              <select id="test-tier" name="tier" defaultValue={example.tier ?? ""}>
                <option value="">(none)</option>
                {TIERS.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="test-topics">Topics</label>
              <input id="test-topics" name="topics" type="text" defaultValue={example.topics ?? ""} placeholder="billing" />
            </div>
            <div className="field">
              <label htmlFor="test-products">Products</label>
              <input id="test-products" name="products" type="text" defaultValue={example.products ?? ""} />
            </div>
            <button type="submit" disabled={busy}>Test</button>
          </div>
        </Form>
        {test && (
          <div data-testid="test-result" aria-live="polite">
            <p>
              Sentiment: <strong>{test.sentiment.label}</strong> ({test.sentiment.score.toFixed(2)}).{" "}
              About: <span data-testid="test-customer-topics">{test.customerTopics.length ? test.customerTopics.map((t) => `${t.label} (${t.phrases.map((p) => `“${p}”`).join(", ")})`).join("; ") : "no customer topic recognised"}</span>.{" "}
              {test.matchingRuleIds.length === 0
                ? "No rule matches."
                : `Matching rules: ${rules.filter((r) => matching.has(r.id)).map((r) => r.name).join(", ")}.`}
            </p>
            <p>
              It would go to <strong data-testid="test-teams">{test.teams.map((t) => t.name).join(", ")}</strong>
              {test.triage ? " (triage)" : ""} with priority {test.priority}, acknowledge within {formatDuration(test.ackWithinMinutes)}, resolve within {formatDuration(test.resolveWithinMinutes)}.
            </p>
          </div>
        )}
      </section>
    </>
  );
}
