import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAuth, load, SIGNED_OUT_FOR_FETCHER } from "~/utils/http.server";

/** Resource route: the palette's and the pickers' live results (names and titles the reader may open). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await getAuth(request, context);
  if (!auth) return SIGNED_OUT_FOR_FETCHER();
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return Response.json(await load(() => context.domain.search.suggest(auth.actor, params)));
}
