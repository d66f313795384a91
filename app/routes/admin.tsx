import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useRouteError } from "@remix-run/react";
import { authorize } from "../../server/policy.js";
import { ErrorMessage } from "~/root";
import { load, requireAuth } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Admin · Atrium" }];

/**
 * The admin area's frame. Each child loader authorizes on its own as well (loaders run in
 * parallel, so a parent's check alone would not stop a child's data from being computed).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(async () => authorize(auth.actor, "admin.view", null));
  return null;
}

export default function AdminLayout() {
  return (
    <div className="admin">
      <nav aria-label="Admin" className="admin-nav">
        <ul>
          <li><NavLink to="/admin" end>Overview</NavLink></li>
          <li><NavLink to="/admin/users">Users</NavLink></li>
          <li><NavLink to="/admin/departments">Departments</NavLink></li>
          <li><NavLink to="/admin/teams">Teams</NavLink></li>
          <li><NavLink to="/admin/skills">Skills</NavLink></li>
          <li><NavLink to="/admin/insight-rules">Insight routing</NavLink></li>
          <li><NavLink to="/admin/import">Import</NavLink></li>
          <li><NavLink to="/admin/imported-people">Imported people</NavLink></li>
          <li><NavLink to="/admin/api-tokens">API tokens</NavLink></li>
          <li><NavLink to="/admin/webhooks">Webhooks</NavLink></li>
          <li><NavLink to="/admin/sso">Single sign-on</NavLink></li>
          <li><NavLink to="/admin/audit">Audit log</NavLink></li>
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
