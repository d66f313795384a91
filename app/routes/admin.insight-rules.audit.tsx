import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { load, requireAuth } from "~/utils/http.server";
import { When } from "~/components/when";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const ruleId = new URL(request.url).searchParams.get("rule") ?? undefined;
  return { entries: await load(() => context.domain.routingRules.listRuleAudit(auth.actor, { ruleId, limit: 200 })), ruleId };
}

const pretty = (s: string | null) => {
  if (!s) return "—";
  try {
    return JSON.stringify(JSON.parse(s), null, 2);
  } catch {
    return s;
  }
};

export default function RuleAudit() {
  const { entries, ruleId } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="muted">Every change to routing rules and settings, with who made it and the rule before and after. {ruleId && <Link to="/admin/insight-rules/audit">Show all rules</Link>}</p>
      {entries.length === 0 && <p className="muted">No changes yet.</p>}
      <div className="table-scroll"><table data-testid="audit">
        <thead><tr><th>When</th><th>Who</th><th>What</th><th>Before</th><th>After</th></tr></thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td><When date={e.createdAt} format="datetime" /></td>
              <td>{e.actor?.name ?? "—"}</td>
              <td>{e.action}{e.ruleId && <> · <Link to={`/admin/insight-rules/audit?rule=${e.ruleId}`}>this rule</Link></>}</td>
              <td><pre style={{ whiteSpace: "pre-wrap", margin: 0, fontSize: ".8rem" }}>{pretty(e.before)}</pre></td>
              <td><pre style={{ whiteSpace: "pre-wrap", margin: 0, fontSize: ".8rem" }}>{pretty(e.after)}</pre></td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </>
  );
}
