import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useRouteError } from "@remix-run/react";
import { authorize } from "../../server/policy.js";
import { ErrorMessage } from "~/root";
import { load, requireAuth } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Insight routing · Admin · Atrium" }];

/** Frame for the insight routing admin pages; each child loader authorizes on its own too. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(async () => authorize(auth.actor, "insight.manageRules", null));
  return null;
}

export default function InsightRulesLayout() {
  return (
    <section>
      <h1>Insight routing</h1>
      <nav aria-label="Insight routing" className="subnav">
        <NavLink to="/admin/insight-rules" end>Rules</NavLink>
        <NavLink to="/admin/insight-rules/accounts">Customer accounts</NavLink>
        <NavLink to="/admin/insight-rules/audit">Change log</NavLink>
        <NavLink to="/admin/api-tokens">Ingest tokens</NavLink>
      </nav>
      <Outlet />
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
