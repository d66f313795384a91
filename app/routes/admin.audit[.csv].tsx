import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireAuth } from "~/utils/http.server";

/** GET /admin/audit.csv — the filtered audit log as CSV, streamed. The export is audited. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const { filename, lines } = await load(() => context.domain.audit.exportAuditCsv(auth.actor, params));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
