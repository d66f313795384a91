import type { LoaderFunctionArgs } from "@remix-run/node";
import { authForFetcher, load } from "~/utils/http.server";

/** Resource route: the palette's and the pickers' live results (names and titles the reader may open). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await authForFetcher(request, context);
  if (auth instanceof Response) return auth;
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return Response.json(await load(() => context.domain.search.suggest(auth.actor, params)));
}
