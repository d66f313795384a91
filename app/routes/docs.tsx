import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAuth } from "~/utils/http.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAuth(request, context);
  return null;
}

/** Honest placeholder: this capability has its own issue and is not built yet. */
export default function NotYetBuilt() {
  return (
    <section className="card">
      <h1>Docs</h1>
      <p data-testid="not-built">Docs are not available yet in this version of Atrium. People, profiles, presence and notifications are.</p>
    </section>
  );
}
