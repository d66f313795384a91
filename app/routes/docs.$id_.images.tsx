import type { ActionFunctionArgs } from "@remix-run/node";
import { isDomainError, requireAuth } from "~/utils/http.server";
import { MAX_IMAGE_BYTES } from "~/schemas/docs";

/** Image upload for the editor: multipart `image`; answers JSON { url } or { error }. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  // Refuse before buffering anything large.
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_IMAGE_BYTES + 64 * 1024) return Response.json({ error: `Images are at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB.` }, { status: 413 });
  try {
    const form = await request.formData();
    const file = form.get("image");
    if (!(file instanceof File)) return Response.json({ error: "Choose an image." }, { status: 422 });
    const bytes = new Uint8Array(await file.arrayBuffer());
    const img = await context.domain.docs.uploadImage(auth.actor, params.id!, { bytes, name: file.name });
    return Response.json({ url: img.url });
  } catch (e) {
    if (isDomainError(e)) {
      const msg = Object.values(e.fieldErrors ?? {}).flat()[0] ?? e.message;
      return Response.json({ error: msg }, { status: e.status });
    }
    throw e;
  }
}
