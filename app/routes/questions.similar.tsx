import type { LoaderFunctionArgs } from "@remix-run/node";
import { authForFetcher, load } from "~/utils/http.server";

/** Resource route: similar questions for what is being typed (the ask form fetches it, debounced). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await authForFetcher(request, context);
  if (auth instanceof Response) return auth;
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const similar = await load(() => context.domain.questions.similarQuestions(auth.actor, params));
  // search cold start: fewer suggestions while the index fills after a restart.
  const indexing = context.domain.questions.similarIndexing(auth.actor);
  return { similar, indexing };
}
