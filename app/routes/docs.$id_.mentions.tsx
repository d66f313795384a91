import type { LoaderFunctionArgs } from "@remix-run/node";
import { authForFetcher, load } from "~/utils/http.server";

/**
 * `?q=`: people to @mention in a document (those who may comment). `?ids=a,b`: the names that
 * mentions of these people show now, for anyone who may read the document (its open editor asks
 * for mentions a collaborator just added).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await authForFetcher(request, context);
  if (auth instanceof Response) return auth;
  const url = new URL(request.url);
  const ids = url.searchParams.get("ids");
  if (ids !== null) {
    const names = await load(() => context.domain.docs.mentionNames(auth.actor, params.id!, ids.split(",").slice(0, 100)));
    return Response.json({ names });
  }
  const q = url.searchParams.get("q") ?? "";
  const people = await load(() => context.domain.docs.mentionCandidates(auth.actor, params.id!, q));
  return Response.json({ people: people.map((p) => ({ id: p.id, name: p.name, title: p.title })) });
}
