/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a loopback port, for SSO tests.
 * Its development login/consent pages accept any login name: the account's claims come from
 * `accounts`, which a test fills in.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  department?: string;
  title?: string;
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  /** While set, the userinfo endpoint answers 503 (a provider whose profile service is down). */
  failUserinfo: boolean;
  /** While set, the userinfo endpoint closes the connection without an answer. */
  dropUserinfo: boolean;
  /** While set, the userinfo endpoint answers 200 with this JSON instead of the account's claims. */
  userinfoBody: Record<string, unknown> | null;
  /** While set, the userinfo endpoint answers 401 with a `WWW-Authenticate` challenge (a token it no longer accepts). */
  userinfoChallenge: boolean;
  /** While set, the token endpoint closes the connection without an answer. */
  dropToken: boolean;
  /** While set, the discovery document answers 503 (a provider that is down). */
  failDiscovery: boolean;
  /** How many times the discovery document was asked for. */
  discoveryRequests: number;
  close(): Promise<void>;
}

/**
 * `redirectUri` may be a function: it is read when the provider answers its first request, so the
 * app can be listening (on a port the OS chose) before its callback URL is known.
 */
export async function startTestIdp(redirectUri: string | ((issuer: string) => string), opts: { claimsInIdToken?: boolean } = {}): Promise<TestIdp> {
  const accounts = new Map<string, TestAccount>();
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "atrium-test";
  const clientSecret = "atrium-test-secret-which-is-long-enough";
  const makeProvider = () => new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [typeof redirectUri === "string" ? redirectUri : redirectUri(issuer)],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "given_name", "family_name", "department", "title"] },
    pkce: { required: () => true },
    // Off: the ID token carries the scopes' claims too (email included), not only the userinfo answer.
    conformIdTokenClaims: !opts.claimsInIdToken,
    cookies: { keys: ["oidc-test-cookie-key"] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const a = accounts.get(id);
      if (!a) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...a }) };
    },
  });
  let handler: ReturnType<Provider["callback"]> | null = null;
  server.on("request", (req, res) => {
    if (idp.failUserinfo && req.url?.startsWith("/me")) {
      res.writeHead(503, { "Content-Type": "text/plain" }).end("profile service down");
      return;
    }
    if (idp.dropUserinfo && req.url?.startsWith("/me")) {
      req.socket.destroy();
      return;
    }
    if (idp.userinfoChallenge && req.url?.startsWith("/me")) {
      res.writeHead(401, { "WWW-Authenticate": 'Bearer error="invalid_token", error_description="the token was revoked"' }).end();
      return;
    }
    if (idp.dropToken && req.url?.startsWith("/token")) {
      req.socket.destroy();
      return;
    }
    if (idp.userinfoBody && req.url?.startsWith("/me")) {
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(idp.userinfoBody));
      return;
    }
    if (req.url?.startsWith("/.well-known/openid-configuration")) {
      idp.discoveryRequests++;
      if (idp.failDiscovery) {
        res.writeHead(503, { "Content-Type": "text/plain" }).end("provider down");
        return;
      }
    }
    if (!handler) {
      const provider = makeProvider();
      provider.on("server_error", (_ctx, err) => console.error("[test idp]", err));
      handler = provider.callback();
    }
    return handler(req, res);
  });
  const idp: TestIdp = {
    issuer,
    clientId,
    clientSecret,
    accounts,
    failUserinfo: false,
    dropUserinfo: false,
    userinfoBody: null,
    userinfoChallenge: false,
    dropToken: false,
    failDiscovery: false,
    discoveryRequests: 0,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
  return idp;
}

/** A tiny cookie jar + manual redirects, so a test can walk the whole flow with fetch. */
export class Browserless {
  private jar = new Map<string, Map<string, string>>(); // host → name → value

  cookieHeader(url: string) {
    const c = this.jar.get(new URL(url).host);
    return c ? [...c].map(([k, v]) => `${k}=${v}`).join("; ") : "";
  }

  cookie(url: string, name: string) {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  setCookie(url: string, name: string, value: string) {
    const host = new URL(url).host;
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, value);
  }

  private store(url: string, res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value === "") this.jar.get(new URL(url).host)?.delete(name);
      else this.setCookie(url, name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set("cookie", cookie);
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(url, res);
    return res;
  }

  /** Follows redirects until one leaves for `stopAt` (not followed) or a page answers. */
  async follow(url: string, stopAt?: string): Promise<{ url: string; res: Response }> {
    let current = url;
    for (let i = 0; i < 20; i++) {
      const res = await this.request(current);
      const loc = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || !loc) return { url: current, res };
      current = new URL(loc, current).href;
      if (stopAt && current.startsWith(stopAt)) return { url: current, res };
    }
    throw new Error("too many redirects");
  }
}

/**
 * Signs in at the test provider as `login`: walks authorize → login form → consent → back, and
 * returns the callback URL the provider sends the browser to (not yet visited).
 */
export async function loginAtIdp(b: Browserless, authorizeUrl: string, login: string, callbackPrefix: string): Promise<string> {
  let { url, res } = await b.follow(authorizeUrl, callbackPrefix);
  for (let step = 0; step < 4 && !url.startsWith(callbackPrefix); step++) {
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected page at ${url} (${res.status}): ${html.slice(0, 300)}`);
    const body = new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt });
    const posted = await b.request(new URL(action, url).href, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    const next = new URL(posted.headers.get("location")!, url).href;
    ({ url, res } = next.startsWith(callbackPrefix) ? { url: next, res: posted } : await b.follow(next, callbackPrefix));
  }
  return url;
}

