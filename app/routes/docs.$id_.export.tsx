import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireAuth } from "~/utils/http.server";

/** Markdown export: one file out. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const { fileName, markdown } = await load(() => context.domain.docs.exportMarkdown(auth.actor, params.id!));
  return new Response(markdown + "\n", {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
