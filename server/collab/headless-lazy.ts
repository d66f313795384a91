/**
 * The headless editor (Lexical, its code, table and Markdown packages: some 20 MB in memory) is
 * loaded by the first verb that reads or writes a document's content, not with the server.
 */
let loading: Promise<typeof import("./headless.js")> | null = null;
export const headless = () => (loading ??= import("./headless.js"));
