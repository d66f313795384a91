import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { DraftNotice } from "~/drafts/draft-notice";
import { useFormDraft } from "~/drafts/use-draft";
import { ErrorMessage } from "~/root";
import { CHANNELS, CHANNEL_LABEL } from "~/schemas/insights";
import { requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Post an insight · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAuth(request, context);
  const [filters, vocabulary] = await Promise.all([context.domain.insights.feedFilters(), context.domain.skills.listVocabulary()]);
  return { accounts: filters.accounts, vocabulary: vocabulary.map((s) => s.name) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = Object.fromEntries(await readForm(request, context));
  return runAction(async () => {
    const insight = await context.domain.insights.createInsight(auth.actor, form);
    throw redirect(`/insights/${insight.id}?posted=1`);
  }, form);
}

export default function NewInsight() {
  const { accounts, vocabulary } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && "fieldErrors" in result ? result.fieldErrors : {};
  const values = ((result && "values" in result ? result.values : null) ?? {}) as Record<string, string>;
  const err = (name: string) =>
    errors[name]?.map((m) => (
      <p key={m} className="field-error" id={`${name}-error`}>{m}</p>
    ));
  const described = (name: string) => (errors[name] ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {});
  // What is typed is kept as a draft until the insight is posted (decision 860).
  const kept = useFormDraft("insight", {
    text: values.text ?? "",
    channel: values.channel ?? "twitter",
    accountId: values.accountId ?? "",
    sourceUrl: values.sourceUrl ?? "",
    topics: values.topics ?? "",
    products: values.products ?? "",
  });
  return (
    <section className="card" style={{ maxWidth: "48rem" }}>
      <h1>Post a customer insight</h1>
      <p className="muted">Paste the customer's own words. Atrium scores the sentiment, routes it to the team that can act, and tells you what happens to it.</p>
      {result && "message" in result && <p className="form-error" role="alert">{result.message}</p>}
      <DraftNotice draft={kept.draft} onDiscard={kept.reset} />
      <Form method="post" noValidate ref={kept.ref} onChange={kept.onChange}>
        <div className="field">
          <label htmlFor="text">What the customer said (verbatim)</label>
          <textarea id="text" name="text" required maxLength={5000} defaultValue={values.text ?? ""} {...described("text")} />
          {err("text")}
        </div>
        <div className="row" style={{ alignItems: "flex-start" }}>
          <div className="field">
            <label htmlFor="channel">Channel</label>
            <select id="channel" name="channel" defaultValue={values.channel ?? "twitter"} {...described("channel")}>
              {CHANNELS.map((c) => <option key={c} value={c}>{CHANNEL_LABEL[c]}</option>)}
            </select>
            {err("channel")}
          </div>
          <div className="field">
            <label htmlFor="accountId">Customer account</label>
            <select id="accountId" name="accountId" defaultValue={values.accountId ?? ""} {...described("accountId")}>
              <option value="">(no account / consumer)</option>
              {accounts.map((a) => <option key={a.id} value={a.id}>{a.name} — {a.tier}{a.segment ? `, ${a.segment}` : ""}</option>)}
            </select>
            {err("accountId")}
          </div>
        </div>
        <div className="field">
          <label htmlFor="sourceUrl">Link to the original (optional)</label>
          <input id="sourceUrl" name="sourceUrl" type="url" placeholder="https://…" defaultValue={values.sourceUrl ?? ""} {...described("sourceUrl")} />
          {err("sourceUrl")}
        </div>
        <datalist id="vocabulary">{vocabulary.map((v) => <option key={v} value={v} />)}</datalist>
        <div className="row" style={{ alignItems: "flex-start" }}>
          <div className="field">
            <label htmlFor="topics">Topics (comma-separated)</label>
            <input id="topics" name="topics" type="text" list="vocabulary" placeholder="billing, delivery" defaultValue={values.topics ?? ""} {...described("topics")} />
            {err("topics")}
          </div>
          <div className="field">
            <label htmlFor="products">Products (comma-separated)</label>
            <input id="products" name="products" type="text" list="vocabulary" placeholder="mobile app" defaultValue={values.products ?? ""} {...described("products")} />
            {err("products")}
          </div>
        </div>
        <p className="muted">Tags share one vocabulary with people's skills, so “billing” here is the same “billing” a colleague lists on their profile.</p>
        <div className="row">
          <button type="submit" disabled={busy}>{busy ? "Posting…" : "Post insight"}</button>
          <Link to="/insights">Cancel</Link>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
