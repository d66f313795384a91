import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireAuth } from "~/utils/http.server";

/** A document's image, only for people who may read the document. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const img = await load(() => context.domain.docs.readImage(auth.actor, params.id!, params.imageId!));
  return new Response(img.bytes, {
    headers: {
      "Content-Type": img.mime,
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
