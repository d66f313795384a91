/**
 * Ingest tokens used to live here; they are integration API tokens with the "send insights only"
 * access now (decision 056). Old bookmarks land on the one token page, which checks permissions.
 */
import { redirect } from "@remix-run/node";

export const loader = () => redirect("/admin/api-tokens", 301);
