import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireAuth } from "~/utils/http.server";

/** People to @mention in a document (editors only). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const people = await load(() => context.domain.docs.mentionCandidates(auth.actor, params.id!, q));
  return Response.json({ people: people.map((p) => ({ id: p.id, name: p.name, title: p.title })) });
}
