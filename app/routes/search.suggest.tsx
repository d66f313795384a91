import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireAuth } from "~/utils/http.server";

/** Resource route: the palette's live results (names and titles the reader may open). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return Response.json(await load(() => context.domain.search.suggest(auth.actor, params)));
}
