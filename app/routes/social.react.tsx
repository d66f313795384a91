import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireAuth, runAction, safeRedirect } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";

/** Toggle a reaction. Fetchers get the new counts; a plain form goes back to the page it came from. */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  const fromFetcher = form.get("via") === "fetcher";
  return runAction(async () => {
    const result = await context.domain.reactions.toggleReaction(auth.actor, { targetType: form.get("targetType"), targetId: form.get("targetId"), key: form.get("key") });
    if (!fromFetcher) throw redirect(safeRedirect(context, form.get("redirectTo")));
    return { ok: true as const, ...result };
  });
}
