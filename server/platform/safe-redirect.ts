/** Only same-site paths are allowed as post-sign-in destinations. */
export function safeRedirectPath(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\") || to.length > 500) return fallback;
  return to;
}
