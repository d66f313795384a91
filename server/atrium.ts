/**
 * The composition root: exactly one of each service (database, event bus, search index,
 * presence, Socket.io), wired to Express + Remix on one http.Server. `server/index.ts` runs it
 * from the environment; tests start it in-process with their own database and port.
 */
import { createServer, type Server as HttpServer } from "node:http";
import path from "node:path";
import { readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { createDb, createWrites, providerOf, tuneSqlite, type Db } from "./db.js";
import { createReads } from "./db-reads.js";
import { systemClock, type Clock, type Ctx } from "./domain/context.js";
import { createDomain, type Domain } from "./domain/index.js";
import { buildPeopleIndex } from "./domain/people.js";
import type { Env } from "./env.js";
import type { Presence } from "./realtime/presence.js";
import { createScale, type Scale, type ScaleOptions } from "./infra/scale.js";
import { attachRealtime, type AtriumIo } from "./realtime/socket-server.js";
import { PeopleIndex } from "./search/people-index.js";
import { AnswererIndex } from "./search/answerer-index.js";
import { ExpertiseIndex } from "./search/expertise-index.js";
import { QuestionsIndex } from "./search/questions-index.js";
import { startQaIndexes } from "./domain/qa-indexes.js";
import { followIndexesElsewhere } from "./infra/index-follow.js";
import { attachQuestionsRealtime } from "./realtime/questions.js";
import { attachEntityWatch } from "./realtime/entities.js";
import { securityMiddleware } from "./http/security.js";
import { DYNAMIC_COMPRESSION, precompressed } from "./http/compression.js";
import { hostCheck } from "./http/host-check.js";
import { remixHandler } from "./http/remix-handler.js";
import type { BodyAllowance } from "./http/request-body.js";
import { HttpDrain } from "./http/drain.js";
import { shutdownSteps } from "./http/shutdown-steps.js";
import { attachMentionRelabels } from "./collab/mention-relabels.js";
import { liveness, Readiness, readinessHandler, type ReadinessCheck } from "./http/health.js";
import { redisPing } from "./infra/redis-ping.js";
import { checkDatabaseAtStart } from "./infra/database-check.js";
import { SlaScheduler } from "./insights/sla-scheduler.js";
import { PeriodicSweep } from "./jobs/periodic-sweep.js";
import { withRequestMeta } from "./request-meta.js";
import { readSessionToken } from "./http/cookies.js";
import { bearerToken } from "./http/bearer.js";
import { apiRouter } from "./http/api/router.js";
import { WebhookDispatcher } from "./platform/webhook-dispatcher.js";
import { CollabService } from "./collab/service.js";
import { openDocLog, sqliteFileFromUrl } from "./collab/update-log.js";
import { attachDocs } from "./realtime/docs-socket.js";
// ── feed ──
import { attachSocialLayer } from "./feed/wiring.js";
import { DigestSweeper } from "./digest/sweeper.js";
import { settlePasswordResets } from "./domain/passwords.js";
import { mailerOnFirstUse } from "./mail/lazy-mailer.js";
import type { MailSink } from "./mail/sink.js";
// ── search ──
import { UnifiedIndex } from "./search/unified-index.js";
import { startUnifiedSearch } from "./search/unified-sync.js";

export interface AtriumLoadContext {
  [key: string]: unknown;
  domain: Domain;
  env: Env;
  clientIp: string;
  userAgent: string;
  /** Per-request Content-Security-Policy nonce for inline scripts (server/http/security.ts). */
  cspNonce: string;
  /** The injected clock's now (ms), so pages render relative dates against the same time as the domain. */
  now: () => number;
  /** How much of this request's body may be read (app/utils/body.server.ts raises it for uploads). */
  body: BodyAllowance;
}

export interface Atrium {
  ctx: Ctx;
  domain: Domain;
  db: Db;
  io: AtriumIo;
  http: HttpServer;
  presence: Presence;
  /** Bus, presence, limits and leadership: in-process, or shared through Redis (server/infra/scale.ts). */
  scale: Scale;
  /** Marks missed insight SLAs and escalates them. */
  insightSla: SlaScheduler;
  webhooks: WebhookDispatcher;
  /** Sends due email digests. */
  digests: DigestSweeper;
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export interface AtriumOptions {
  env: Env;
  clock?: Clock;
  /** Serve Remix pages (needs `remix build`); unit/integration tests can skip it. */
  withPages?: boolean;
  buildPath?: string;
  /** Instance name and timings when running as several instances (REDIS_URL). */
  scale?: ScaleOptions;
}

export async function createAtrium({ env, clock = systemClock, withPages = true, buildPath, scale: scaleOptions }: AtriumOptions): Promise<Atrium> {
  // Before anything opens the file: SQLite would silently drop a damaged write-ahead log.
  if (providerOf(env.DATABASE_URL) === "sqlite") checkDatabaseAtStart(sqliteFileFromUrl(env.DATABASE_URL), { allowDamaged: env.ALLOW_DAMAGED_DATABASE === "1", now: clock.now() });
  const db = await createDb(env.DATABASE_URL, () => clock.now());
  await tuneSqlite(db);
  const scale = await createScale(env, scaleOptions);
  const bus = scale.bus;
  let io: AtriumIo | null = null;
  // ── Documents: Yjs content is logged through its own connection (decision 040). ──
  const collab = new CollabService(await openDocLog(env.DATABASE_URL, env.DOC_LOG_SYNC, scale.mode === "redis"), {
    maxUpdateBytes: env.DOC_MAX_UPDATE_BYTES,
    maxAwarenessBytes: 64 * 1024,
    compactEvery: env.DOC_COMPACT_EVERY,
    settleMs: env.DOC_SETTLE_MS,
    revisionIdleMs: env.DOC_REVISION_IDLE_MS,
    revisionMaxMs: env.DOC_REVISION_MAX_MS,
    roomIdleMs: env.DOC_ROOM_IDLE_MS,
    now: () => clock.now(),
  });
  // Each instance works out (merged) presence itself and tells its own sockets and handlers.
  scale.relayDocs(collab);
  const presence = scale.presence(env.PRESENCE_GRACE_MS, (userId, state) => {
    io?.local.emit("presence.changed", { userId, state });
    void bus.publishLocal("person.presence", { userId, state });
  });
  const reads = await createReads(env.DATABASE_URL);
  const writes = (await createWrites(db, env.DATABASE_URL)) ?? undefined;
  const ctx: Ctx = {
    db,
    reads,
    writes,
    bus,
    env,
    clock,
    peopleIndex: new PeopleIndex(),
    presence,
    loginLimiter: scale.limiters("login", env.LOGIN_MAX_ATTEMPTS, env.LOGIN_WINDOW_SECONDS * 1000),
    limiters: scale.limiters,
    questionsIndex: new QuestionsIndex(),
    expertise: new ExpertiseIndex(env.QA_EXPERTISE_HALF_LIFE_DAYS),
    answerers: new AnswererIndex(),
    collab,
    searchIndex: new UnifiedIndex(() => clock.now().getTime()),
  };
  const domain = createDomain(ctx);
  await buildPeopleIndex(ctx);
  await startQaIndexes(ctx);
  const following = followIndexesElsewhere(ctx);
  const webhooks = new WebhookDispatcher(ctx);
  webhooks.leadership = scale.leadership;
  scale.onLeadership(() => webhooks.kick()); // deliveries the previous leader left
  ctx.bus.subscribe("webhook.redelivery", () => webhooks.kick());
  webhooks.start();
  // ── Documents ──
  collab.hooks = {
    contentSettled: (docId, s) => domain.docs.recordSettledContent(docId, s),
    revisionDue: async (docId, r) => void (await domain.docs.recordRevision(docId, r)),
  };
  await domain.docs.ensureSpaces();
  await startUnifiedSearch(ctx);
  bus.subscribe("org.changed", (p) => (p.kind === "department" ? domain.docs.ensureSpaces() : undefined), { once: true });
  // A rename reaches the stored text of documents that @mention the person (search, previews).
  const mentionRelabels = attachMentionRelabels(ctx, domain);
  // ── sweep unreferenced document images every 6 hours (decision 046) ──
  const imageSweep = new PeriodicSweep({ name: "docs images", intervalMs: 6 * 3600_000, runAtStart: false, run: () => domain.docs.cleanupImages(), onError: null });
  imageSweep.leadership = scale.leadership;
  imageSweep.start();

  const app = express();
  app.disable("x-powered-by");
  // X-Forwarded-* only from the hops TRUST_PROXY names; by default req.ip is the TCP peer.
  app.set("trust proxy", env.TRUST_PROXY.length ? env.TRUST_PROXY : false);
  app.use(hostCheck());
  // Pages and API answers are compressed per request: cheap settings (decision 590).
  app.use(compression(DYNAMIC_COMPRESSION));
  app.use(securityMiddleware(env));
  // Address and browser of this request, for audit records written by any verb it calls.
  app.use((req, _res, next) => withRequestMeta({ ip: req.ip ?? "", userAgent: req.get("user-agent") ?? "" }, next));
  // A read of a real table: SQLite answers `SELECT 1` without opening the file at all.
  const readinessChecks: ReadinessCheck[] = [{ name: "database", run: () => db.$queryRawUnsafe(`SELECT 1 FROM "User" LIMIT 1`) }];
  const redisUrl = env.REDIS_URL;
  if (redisUrl) readinessChecks.push({ name: "redis", run: () => redisPing(redisUrl, env.READYZ_TIMEOUT_MS) });
  const readiness = new Readiness(readinessChecks, env.READYZ_TIMEOUT_MS);
  app.get("/healthz", liveness);
  app.get("/readyz", readinessHandler(readiness));
  app.use("/api/v1", apiRouter(domain, env, () => clock.now().getTime(), scale.limiters));
  app.use(
    "/uploads",
    // Profile photos are for colleagues: a signed-in browser (or an API token) only.
    async (req, res, next) => {
      try {
        const signedIn = await domain.accounts.authenticate(readSessionToken(req.get("cookie")));
        if (signedIn) return next();
        const bearer = bearerToken(req.get("authorization"));
        if (bearer && (await domain.apiTokens.authenticateToken(bearer).then(() => true, () => false))) return next();
        res.setHeader("Cache-Control", "no-store");
        res.status(401).type("text/plain").send("Sign in to see profile photos.");
      } catch (e) {
        next(e);
      }
    },
    express.static(path.resolve(env.UPLOAD_DIR), {
      maxAge: "7d",
      setHeaders: (res) => {
        res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        // Only the browser that was allowed to fetch it may keep it; no shared cache.
        res.setHeader("Cache-Control", "private, max-age=604800");
      },
    }),
  );

  if (withPages) {
    const buildFile = path.resolve(buildPath ?? "build/index.js");
    const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild;
    // Built assets: brotli at quality 11 written by the build (decision 590), else the file itself.
    app.use("/build", precompressed(path.resolve("public/build"), (res) => res.setHeader("Cache-Control", "public, max-age=31536000, immutable")));
    app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y" }));
    // The other entries of public/ (the icon): only a request under one of them reaches the disk, so a
    // page view costs no file-system lookups.
    const publicDir = path.resolve("public");
    const publicFiles = new Set(readdirSync(publicDir).filter((f) => f !== "build"));
    const servePublic = express.static(publicDir, { maxAge: "1h", index: false });
    app.use((req, res, next) => (publicFiles.has(req.path.split("/")[1] ?? "") ? servePublic(req, res, next) : next()));
    app.all(
      "*",
      remixHandler({
        build,
        // Remix's development mode sends an unexpected error's message and stack to the browser;
        // the build is a production build whatever NODE_ENV says, so only tests use another mode.
        mode: env.NODE_ENV === "test" ? "test" : "production",
        bodyLimit: env.BODY_MAX_BYTES,
        getLoadContext: (req, res, body): AtriumLoadContext => ({
          domain,
          env,
          clientIp: req.ip ?? "",
          userAgent: req.get("user-agent") ?? "",
          cspNonce: String(res.locals.cspNonce ?? ""),
          now: () => clock.now().getTime(),
          body,
        }),
      }),
    );
  }

  // Without pages there is no Remix splat for the API's other paths: answer them in JSON here.
  if (!withPages) app.use("/api", (_req, res) => void res.status(404).json({ error: { code: "not_found", message: "No such API endpoint." } }));

  const http = createServer(app);
  // Node's 5 s default is shorter than a balancer's idle reuse: it would close a connection just
  // as the balancer sends the next request on it. The headers limit must stay above it.
  http.keepAliveTimeout = env.HTTP_KEEP_ALIVE_MS;
  http.headersTimeout = Math.max(http.headersTimeout, env.HTTP_KEEP_ALIVE_MS + 1_000);
  io = attachRealtime(http, ctx, domain, presence);
  scale.attachIo(io);
  // After Socket.io, which wraps the request listeners it finds: the drain's comes first for all.
  const httpDrain = new HttpDrain(http);
  const insightSla = new SlaScheduler(ctx, env.INSIGHT_SLA_SWEEP_MS);
  insightSla.leadership = scale.leadership;
  insightSla.start();
  attachQuestionsRealtime(io, ctx);
  attachEntityWatch(io, ctx);
  attachDocs(io, ctx, domain);
  // ── feed: home feed, reactions, email digest (decisions 065–067) ──
  const social = attachSocialLayer(ctx, domain, io);
  // The transport opens with the first message (server/mail/lazy-mailer.ts).
  let mailer: ReturnType<typeof mailerOnFirstUse> | undefined;
  if (!env.SMTP_URL && env.NODE_ENV === "development") {
    let sink: MailSink | null = null;
    const dir = path.resolve(env.MAIL_DIR);
    mailer = mailerOnFirstUse(
      async () => {
        const { startMailSink } = await import("./mail/sink.js");
        sink = await startMailSink({ dir, log: (line) => console.log(line) });
        return (await import("./mail/mailer.js")).smtpMailer(sink.url, env.MAIL_FROM);
      },
      async () => void (await sink?.close()),
    );
    console.log(
      `[mail] SMTP_URL is not set: scheduled digests are off. Mail someone asks for (password links, digest previews) is saved under ${dir}. Set SMTP_URL=smtp://user:pass@host:587 to send mail and digests.`,
    );
  }
  if (!env.SMTP_URL && env.NODE_ENV === "production") {
    console.log("[mail] SMTP_URL is not set: no mail is sent (no digests, no set-password links). Set SMTP_URL=smtp://user:pass@host:587 to turn mail on.");
  }
  const smtpUrl = env.SMTP_URL;
  if (smtpUrl) mailer = mailerOnFirstUse(async () => (await import("./mail/mailer.js")).smtpMailer(smtpUrl, env.MAIL_FROM));
  if (mailer) ctx.mailer = mailer;
  const digests = new DigestSweeper(ctx, env.DIGEST_SWEEP_MS);
  digests.leadership = scale.leadership;
  // Digests are mail nobody asked for at that moment: only with a real mail server (decision 058).
  if (ctx.mailer && env.SMTP_URL) digests.start();

  // Every subscriber is attached: read the shared event stream, take part in leadership and presence.
  await scale.start();

  let closing: Promise<void> | null = null;
  return {
    ctx,
    domain,
    db,
    io,
    http,
    presence,
    scale,
    insightSla,
    webhooks,
    digests,
    listen(port = env.PORT, host = env.HOST) {
      return new Promise((resolve, reject) => {
        http.once("error", reject);
        http.listen(port, host, () => {
          const addr = http.address();
          resolve(typeof addr === "object" && addr ? addr.port : port);
        });
      });
    },
    /**
     * Graceful: stop accepting, answer what arrives on open connections (`Connection: close`),
     * tell Socket.io clients to reconnect, stop the background work, then close the database.
     */
    close() {
      return (closing ??= (async () => {
        const steps = shutdownSteps();
        const step = steps.step;
        try {
          readiness.draining = true;
          const httpDrained = httpDrain.drain({ quietMs: env.SHUTDOWN_QUIET_MS, timeoutMs: env.SHUTDOWN_DRAIN_MS });
          // Closing the engine's transports (not a Socket.io "disconnect" packet) makes clients
          // reconnect on their own, to whichever instance is serving. io.close() would also close
          // idle HTTP connections at once (through http.Server.close()).
          io!.engine.close();
          presence.stop();
          await step("handing over the sweeps' leadership", () => scale.quiesce()); // another instance leads the sweeps from now on
          await step("the image sweep", () => imageSweep.stop());
          ctx.searchIndex.cancelBuild();
          ctx.questionsIndex.cancelBuild();
          await step("the insight SLA sweep", () => insightSla.stop());
          await step("webhook deliveries", () => webhooks.stop());
          await step("the digest sweep", () => digests.stop());
          // Relabelling re-derives documents' text, which records feed activity: drain it first.
          await step("relabelling mentions", () => mentionRelabels.drain());
          await step("feed activity", () => social.drain());
          await step("password-reset mail", () => settlePasswordResets()); // forgot-password mail still being sent
          await step("the mail transport", () => mailer?.closeAll());
          await step("requests in flight", () => httpDrained);
          await step("following", () => following.stop());
          await step("search index upkeep", () => ctx.searchIndex.settle()); // queued re-indexing reads the database
          // Pending updates are committed and logs compacted before the database closes.
          await step("the last document edits", () => collab.close());
          // Settling the last edits can record activity whose live fan-out reads the database.
          await step("feed activity of the last edits", () => social.drain());
          await step("the read connection", () => reads.close());
          await step("the last prepared writes", () => writes?.close());
          await step("closing Redis", () => scale.close());
          await step("closing the database", () => db.$disconnect());
        } finally {
          steps.done();
        }
      })());
    },
  };
}
