import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAuth, runAction } from "~/utils/http.server";

/** The next page of the home feed ("Load more"): ?cursor=… */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const url = new URL(request.url);
  return runAction(() => context.domain.feed.getFeed(auth.actor, { cursor: url.searchParams.get("cursor") ?? undefined }));
}
