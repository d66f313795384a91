import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireAuth } from "~/utils/http.server";

/** GET /dashboard/export.csv?metric=…&scope=…&period=…&from=…&to=… — one dashboard table as CSV. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const { filename, body } = await load(() => context.domain.dashboard.exportDashboardCsv(auth.actor, params));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
