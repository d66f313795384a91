import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireAuth, runAction, safeRedirect } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

/** Follow or unfollow a person, space, tag or question. Fetchers get JSON; a plain form goes back where it came from. */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const fromFetcher = form.get("via") === "fetcher";
  return runAction(async () => {
    const result = await context.domain.follows.setFollow(auth.actor, { kind: form.get("kind"), id: form.get("id"), follow: form.get("follow") });
    if (!fromFetcher) throw redirect(safeRedirect(context, form.get("redirectTo")));
    return { ok: true as const, ...result };
  });
}
