import { isIP } from "node:net";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { isAllowListEntry } from "./platform/outbound-guard.js";

/** Environment is validated once at start; a bad value stops the process with a clear message. */
/** An empty variable (OIDC_ISSUER=) means "not set". */
const unsetIfEmpty = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number({ invalid_type_error: "must be a port number, e.g. 3000" }).int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .default("file:./data/atrium.db")
    .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\/[^/]+\/[^/?]+/i.test(v), "must be a SQLite URL such as file:./data/atrium.db or a PostgreSQL URL such as postgresql://user@host:5432/atrium"),
  UPLOAD_DIR: z.string().default("./data/uploads"),
  SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** A session unused for this long ends (sliding: every signed-in request counts as use). */
  SESSION_IDLE_MINUTES: z.coerce.number({ invalid_type_error: "must be a number of minutes, e.g. 480" }).int().min(5).max(525_600).default(480),
  COOKIE_SECURE: z
    .enum(["true", "false", "auto"])
    .default("auto")
    .describe("true behind HTTPS; auto = true when NODE_ENV=production"),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /** On SIGTERM, how long open connections get to send and be answered before they are closed. */
  SHUTDOWN_DRAIN_MS: z.coerce.number({ invalid_type_error: "must be a number of milliseconds, e.g. 10000" }).int().min(0).max(600_000).default(10_000),
  /**
   * On SIGTERM, how long a keep-alive connection with nothing in flight stays open before it is
   * closed: a client whose request is on its way over it meanwhile is still answered.
   */
  SHUTDOWN_QUIET_MS: z.coerce.number({ invalid_type_error: "must be a number of milliseconds, e.g. 500" }).int().min(0).max(60_000).default(500),
  /**
   * How long an idle keep-alive connection stays open. Longer than a balancer keeps its idle
   * connections to us, so it never sends a request on a connection we are just closing (a 502).
   */
  HTTP_KEEP_ALIVE_MS: z.coerce.number({ invalid_type_error: "must be a number of milliseconds, e.g. 75000" }).int().min(1_000).max(120_000).default(75_000),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** How often missed insight SLAs are looked for. Breaches are marked within this delay. */
  INSIGHT_SLA_SWEEP_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  // Q&A: how many colleagues a new question is routed to, and how fast answers age.
  QA_ROUTE_TOP_N: z.coerce.number({ invalid_type_error: "must be a whole number, e.g. 3" }).int().min(0).max(50).default(3),
  QA_EXPERTISE_HALF_LIFE_DAYS: z.coerce.number().min(1).max(3650).default(180),
  // --- platform ---
  PASSWORD_LOGIN: z.enum(["on", "off"]).default("on"),
  OIDC_ISSUER: unsetIfEmpty(z.string().url("must be the issuer URL, e.g. https://login.example.com")),
  OIDC_CLIENT_ID: unsetIfEmpty(z.string().min(1)),
  OIDC_CLIENT_SECRET: unsetIfEmpty(z.string().min(1)),
  OIDC_REDIRECT_URI: unsetIfEmpty(z.string().url("must be this app's callback URL, e.g. https://atrium.example.com/auth/oidc/callback")),
  OIDC_PROVIDER_NAME: z.string().min(1).max(60).default("your company"),
  OIDC_SCOPES: z.string().default("openid email profile"),
  OIDC_DEPARTMENT_CLAIM: z.string().default("department"),
  OIDC_TITLE_CLAIM: z.string().default("title"),
  /**
   * Proxy hops whose X-Forwarded-For / X-Forwarded-Proto are believed: comma-separated addresses,
   * CIDRs or the names loopback, linklocal, uniquelocal. Unset = trust none (the peer address is the
   * client, so rate limits cannot be dodged by sending the header).
   */
  TRUST_PROXY: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.every(isTrustProxyEntry), "must be a comma-separated list of addresses, CIDRs (10.0.0.0/8) or loopback, linklocal, uniquelocal"),
  API_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  API_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  /**
   * Webhook receivers on private networks: comma-separated host names, addresses or CIDRs that
   * webhooks may reach although they are loopback, private or link-local. Unset = public addresses only.
   */
  WEBHOOK_ALLOW_HOSTS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.every(isAllowListEntry), "must be a comma-separated list of host names, addresses or CIDRs, e.g. hooks.corp.example,10.20.0.0/16"),
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(25 * 1024 * 1024),
  IMPORT_STAGE_DIR: z.string().default(path.join(os.tmpdir(), "atrium-imports")).describe("where an uploaded CSV waits between preview and commit (an hour at most)"),
  BODY_MAX_BYTES: z.coerce.number().int().min(16 * 1024).max(1024 ** 3).default(4 * 1024 * 1024).describe("largest request body a page or form accepts (uploads have their own limits)"),
  // ── Documents ──
  DOC_FILES_DIR: z.string().default("./data/doc-files"),
  ALLOW_DAMAGED_DATABASE: z.enum(["0", "1"]).default("0").describe("1 = start even when the database's WAL or update log looks damaged"),
  DOC_LOG_SYNC: z.enum(["normal", "full"]).default("normal").describe("full = fsync every group commit (survives power loss)"),
  DOC_MAX_UPDATE_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(2_000_000),
  DOC_COMPACT_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(500),
  DOC_SETTLE_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
  DOC_REVISION_IDLE_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  DOC_REVISION_MAX_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  DOC_ROOM_IDLE_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  // ── feed: email digest ──
  /** smtp://user:pass@host:587 or smtps://…; unset in development = an in-process sink writing data/mail/*.eml. */
  SMTP_URL: unsetIfEmpty(z.string().regex(/^smtps?:\/\/[^\s]+$/, "must be an SMTP URL such as smtp://user:pass@mail.example.com:587")),
  MAIL_FROM: z.string().min(3).max(200).default("Atrium <atrium@localhost>"),
  /** Absolute address of this Atrium, for links in emails. */
  APP_URL: z.string().url("must be this app's public address, e.g. https://atrium.example.com").default("http://localhost:3000"),
  MAIL_DIR: z.string().default("./data/mail"),
  DIGEST_SWEEP_MS: z.coerce.number().int().min(10).max(86_400_000).default(60_000),
  /** Local hour (in each person's own time zone) at which their digest goes out; weekly ones on Mondays. */
  DIGEST_HOUR: z.coerce.number({ invalid_type_error: "must be an hour from 0 to 23, e.g. 7" }).int().min(0).max(23).default(7),
  // ── several instances ──
  /** redis://host:6379 — several Atrium instances sharing one database act as one through it. Unset = one process. */
  REDIS_URL: unsetIfEmpty(z.string().regex(/^rediss?:\/\/[^\s]*$/, "must be a Redis URL such as redis://127.0.0.1:6379")),
  /** Prefix of every Redis key and channel Atrium uses (several Atriums may share one Redis). */
  REDIS_PREFIX: z.string().regex(/^[\w:.-]{1,100}$/, "must be letters, digits and : . _ - only, e.g. atrium:").default("atrium:"),
  /** Stable name of this instance (its event-stream position survives a restart under it). Default: host name and port. */
  INSTANCE_ID: unsetIfEmpty(z.string().regex(/^[\w.:-]{1,100}$/, "must be letters, digits and : . _ - only, e.g. web-1")),
  /** How long `/readyz` waits for the database (and Redis) before answering 503. */
  READYZ_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
});

function isTrustProxyEntry(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [addr, bits, ...rest] = entry.split("/");
  if (rest.length || !addr) return false;
  const family = isIP(addr);
  if (!family) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

const OIDC_KEYS = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_REDIRECT_URI"] as const;

/** Rules across variables: single sign-on is all-or-nothing, and someone must be able to sign in. */
const CheckedEnvSchema = EnvSchema.superRefine((env, ctx) => {
  const set = OIDC_KEYS.filter((k) => env[k]);
  if (set.length && set.length < OIDC_KEYS.length) {
    for (const k of OIDC_KEYS.filter((k) => !env[k])) {
      ctx.addIssue({ code: "custom", path: [k], message: `is required when ${set.join(", ")} ${set.length === 1 ? "is" : "are"} set (single sign-on needs all four)` });
    }
  }
  if (env.PASSWORD_LOGIN === "off" && set.length < OIDC_KEYS.length) {
    ctx.addIssue({ code: "custom", path: ["PASSWORD_LOGIN"], message: "can only be off when single sign-on (OIDC_*) is configured, or nobody could sign in" });
  }
  if (env.NODE_ENV === "production" && env.OIDC_ISSUER?.startsWith("http:")) {
    ctx.addIssue({ code: "custom", path: ["OIDC_ISSUER"], message: "must use https in production" });
  }
});

export const ssoConfigured = (env: Env) => !!(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET && env.OIDC_REDIRECT_URI);

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = CheckedEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Atrium cannot start: invalid environment\n${lines.join("\n")}`);
  }
  return result.data;
}

export class EnvError extends Error {}
