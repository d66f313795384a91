import { createContext, useContext } from "react";

/**
 * The per-request Content-Security-Policy nonce (server/http/security.ts makes it, getLoadContext
 * passes it, entry.server provides it). Browsers hide nonce values from the DOM, so on the client
 * this is "" — the attribute is only needed in the server-rendered HTML.
 */
export const NonceContext = createContext("");
export const useNonce = () => useContext(NonceContext);
