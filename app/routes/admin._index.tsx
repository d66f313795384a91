import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { load, requireAuth } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Admin · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  // listUsers authorizes "admin.view": a member gets the 403 page.
  const users = await load(() => context.domain.accounts.listUsers(auth.actor));
  const [departments, teams, skills] = await Promise.all([
    context.domain.org.listDepartments(),
    context.domain.org.listTeams(),
    context.domain.skills.listVocabulary(),
  ]);
  return {
    users: { total: users.length, active: users.filter((u) => u.active).length, admins: users.filter((u) => u.active && u.role === "admin").length },
    departments: departments.length,
    teams: teams.length,
    skills: skills.length,
    synonyms: skills.reduce((n, s) => n + s.synonyms.length, 0),
  };
}

export default function AdminOverview() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Admin</h1>
      <ul className="grid admin-overview list-plain">
        <li className="card">
          <h2><Link to="/admin/users">Users</Link></h2>
          <p>{d.users.active} active ({d.users.admins} admins), {d.users.total - d.users.active} deactivated.</p>
          <p><Link to="/admin/users/new">Create a user</Link></p>
        </li>
        <li className="card">
          <h2><Link to="/admin/departments">Departments</Link></h2>
          <p>{d.departments} departments.</p>
        </li>
        <li className="card">
          <h2><Link to="/admin/teams">Teams</Link></h2>
          <p>{d.teams} teams.</p>
        </li>
        <li className="card">
          <h2><Link to="/admin/skills">Skills vocabulary</Link></h2>
          <p>{d.skills} skills, {d.synonyms} synonyms.</p>
        </li>
      </ul>
    </>
  );
}
