/** A test app wired to a test identity provider (both real, both on loopback). */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createAtrium, type Atrium } from "../../server/atrium.js";
import { parseEnv } from "../../server/env.js";
import { freshDatabase, TMP_DIR } from "./db.js";
import { freePort, startTestIdp, type TestIdp } from "./oidc-provider.js";

export interface SsoTestApp {
  atrium: Atrium;
  idp: TestIdp;
  url: string;
  callback: string;
  close(): Promise<void>;
}

export async function startSsoTestApp(opts: { withPages?: boolean; env?: Record<string, string> } = {}): Promise<SsoTestApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const callback = `${url}/auth/oidc/callback`;
  const idp = await startTestIdp(callback);
  const db = freshDatabase();
  const env = parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    UPLOAD_DIR: path.join(TMP_DIR, `uploads-${randomBytes(4).toString("hex")}`),
    PRESENCE_GRACE_MS: "300",
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_REDIRECT_URI: callback,
    OIDC_PROVIDER_NAME: "Acme ID",
    ...opts.env,
  });
  const atrium = await createAtrium({ env, withPages: opts.withPages ?? true });
  await atrium.listen(port, "127.0.0.1");
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
