import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { emptyRule, RuleForm, ruleFromForm } from "~/components/insight-rule-form";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(() => context.domain.routingRules.listRules(auth.actor)); // authorizes
  return { teams: (await context.domain.org.listTeams()).map((t) => ({ id: t.id, name: t.name })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const input = ruleFromForm(form);
  if (form.get("intent") === "preview") {
    return runAction(async () => ({ ok: true as const, preview: await context.domain.routingRules.previewRule(auth.actor, input), values: input }), input);
  }
  return runAction(async () => {
    await context.domain.routingRules.createRule(auth.actor, input);
    throw redirect("/admin/insight-rules?saved=1");
  }, input);
}

export default function NewRule() {
  const { teams } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const sent = result && "values" in result ? (result.values as unknown as ReturnType<typeof ruleFromForm>) : null;
  const values = sent
    ? {
        ...emptyRule,
        ...sent,
        ...sent.conditions,
        teamIds: sent.teamIds,
      }
    : emptyRule;
  return (
    <div className="card">
      <h2 style={{ marginTop: 0 }}>New routing rule</h2>
      <RuleForm values={values} teams={teams} errors={result && "fieldErrors" in result ? result.fieldErrors : {}} message={result && "message" in result ? result.message : undefined} preview={result && "preview" in result ? result.preview : null} submitLabel="Create rule" busy={busy} />
    </div>
  );
}
