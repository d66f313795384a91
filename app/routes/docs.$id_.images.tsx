import type { ActionFunctionArgs } from "@remix-run/node";
import { authForFetcher, isDomainError } from "~/utils/http.server";
import { readForm } from "~/utils/body.server";
import { MAX_IMAGE_BYTES } from "~/schemas/docs";

const json = (body: unknown, status: number) => Response.json(body, { status, headers: status === 413 ? { Connection: "close" } : {} });

/**
 * Image upload for the editor: multipart `image`; answers JSON { url } or { error }. Who may edit
 * the document is checked before the body is read, and no more than one image's worth is read.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await authForFetcher(request, context);
  if (auth instanceof Response) return auth;
  try {
    await context.domain.docs.assertCanUploadImage(auth.actor, params.id!);
    const tooLargeMessage = `Images are at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`;
    const form = await readForm(request, context, { maxFileBytes: MAX_IMAGE_BYTES, tooLargeMessage });
    const file = form.get("image");
    if (!(file instanceof File)) return json({ error: "Choose an image." }, 422);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const img = await context.domain.docs.uploadImage(auth.actor, params.id!, { bytes, name: file.name });
    return Response.json({ url: img.url });
  } catch (e) {
    if (e instanceof Response) return json({ error: await e.text() }, e.status);
    if (isDomainError(e)) {
      const msg = Object.values(e.fieldErrors ?? {}).flat()[0] ?? e.message;
      return json({ error: msg }, e.status);
    }
    throw e;
  }
}
