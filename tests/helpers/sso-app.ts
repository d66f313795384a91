/** A test app wired to a test identity provider (both real, both on loopback). */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createAtrium, type Atrium } from "../../server/atrium.js";
import type { Clock } from "../../server/domain/context.js";
import { parseEnv } from "../../server/env.js";
import { freshDatabase, TMP_DIR } from "./db.js";
import { startTestIdp, type TestIdp } from "./oidc-provider.js";

export interface SsoTestApp {
  atrium: Atrium;
  idp: TestIdp;
  url: string;
  callback: string;
  close(): Promise<void>;
}

export async function startSsoTestApp(opts: { withPages?: boolean; env?: Record<string, string>; clock?: Clock; claimsInIdToken?: boolean } = {}): Promise<SsoTestApp> {
  // The app listens on a port the OS chooses (never a port found free and bound later); the
  // provider reads the callback URL at its first request, and the app reads its OIDC settings per
  // request, so both learn the port once it is bound and before anything is asked of them.
  let callback = "";
  const idp = await startTestIdp(() => callback, { claimsInIdToken: opts.claimsInIdToken });
  const db = freshDatabase();
  const env = parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    UPLOAD_DIR: path.join(TMP_DIR, `uploads-${randomBytes(4).toString("hex")}`),
    PRESENCE_GRACE_MS: "300",
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_REDIRECT_URI: "http://127.0.0.1/auth/oidc/callback", // replaced below, once the port is bound
    OIDC_PROVIDER_NAME: "Acme ID",
    ...opts.env,
  });
  const atrium = await createAtrium({ env, withPages: opts.withPages ?? true, clock: opts.clock });
  const port = await atrium.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  callback = `${url}/auth/oidc/callback`;
  if (!opts.env || !("OIDC_REDIRECT_URI" in opts.env)) env.OIDC_REDIRECT_URI = callback;
  return {
    atrium,
    idp,
    url,
    callback,
    async close() {
      await atrium.close();
      await idp.close();
      db.dispose();
    },
  };
}
