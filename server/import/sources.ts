/** "stackexchange:ai.stackexchange.com" → "ai.stackexchange.com": the site a placeholder came from. */
export const siteOfSource = (source: string) => source.replace(/^stackexchange:/, "");
