import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RuleForm, ruleFromForm, ruleToValues, emptyRule } from "~/components/insight-rule-form";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { When } from "~/components/when";
import { readForm } from "~/utils/body.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const rule = await load(() => context.domain.routingRules.getRule(auth.actor, params.id!));
  const audit = await context.domain.routingRules.listRuleAudit(auth.actor, { ruleId: rule.id, limit: 20 });
  return { rule, audit, teams: (await context.domain.org.listTeams()).map((t) => ({ id: t.id, name: t.name })) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const input = ruleFromForm(form);
  if (form.get("intent") === "preview") {
    return runAction(async () => ({ ok: true as const, preview: await context.domain.routingRules.previewRule(auth.actor, input), values: input }), input);
  }
  return runAction(async () => {
    await context.domain.routingRules.updateRule(auth.actor, params.id!, input);
    throw redirect("/admin/insight-rules?saved=1");
  }, input);
}

export default function EditRule() {
  const { rule, teams, audit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const sent = result && "values" in result ? (result.values as unknown as ReturnType<typeof ruleFromForm>) : null;
  const values = sent ? { ...emptyRule, ...sent, ...sent.conditions, teamIds: sent.teamIds } : ruleToValues(rule);
  return (
    <>
      <div className="card">
        <h2 style={{ marginTop: 0 }}>Edit rule “{rule.name}”</h2>
        <RuleForm values={values} teams={teams} errors={result && "fieldErrors" in result ? result.fieldErrors : {}} message={result && "message" in result ? result.message : undefined} preview={result && "preview" in result ? result.preview : null} submitLabel="Save rule" busy={busy} />
      </div>
      <h2>Changes to this rule</h2>
      <ul className="list-plain">
        {audit.map((a) => (
          <li key={a.id} className="muted"><When date={a.createdAt} format="datetime" />: {a.action} by {a.actor?.name ?? "someone"}</li>
        ))}
      </ul>
      <p><Link to={`/admin/insight-rules/audit?rule=${rule.id}`}>Full before/after log</Link></p>
    </>
  );
}
