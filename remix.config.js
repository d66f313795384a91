/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // Lexical, Yjs and friends ship ESM only; bundling them keeps the server build self-contained.
  serverDependenciesToBundle: [/^lexical/, /^@lexical\//, /^yjs/, /^y-/, /^lib0/, /^lucide-react/],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
