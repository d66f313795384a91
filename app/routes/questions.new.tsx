import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

/** The address people guess for asking: it moves (permanently) to /questions/ask, query and all. */
export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return redirect(`/questions/ask${url.search}`, 301);
}
