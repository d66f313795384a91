/**
 * Outgoing webhook delivery. Events from the bus become `WebhookDelivery` rows (one per
 * subscription) before any attempt, so a restart loses nothing; a poller sends due rows, signed,
 * and reschedules failures with exponential backoff until WEBHOOK_MAX_ATTEMPTS. A row is claimed
 * with a conditional update (lockedUntil), so several instances never send one delivery twice at once.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { WEBHOOK_EVENTS } from "../../app/schemas/platform.js";
import type { Ctx } from "../domain/context.js";
import { guardedLookup, OutboundRefusedError, parseAllowList, resolveAllowed, systemResolver, type OutboundAllowList, type Resolver } from "./outbound-guard.js";
import { sign, SIGNATURE_HEADER } from "./webhook-signature.js";
import { alwaysLeader, type Leadership } from "../infra/leader.js";

const BATCH = 20;
/** How much of a receiver's answer is read, and how much (sanitised) is kept in the delivery log. */
const RESPONSE_READ = 4096;
const RESPONSE_KEEP = 200;

/**
 * What the delivery log shows of a receiver's answer: a short, single-line, printable excerpt.
 * The log is an admin page, not a proxy: a receiver (or whatever a URL reached) cannot use it to
 * show whole documents.
 */
export function sanitiseResponseBody(body: string): string {
  const line = body
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return line.length > RESPONSE_KEEP ? `${line.slice(0, RESPONSE_KEEP - 1)}…` : line;
}

interface PostResult {
  status: number;
  body: string;
}

/**
 * POSTs through node:http(s) with the connect-time address check (outbound-guard.ts). Redirects are
 * never followed (a 3xx is just a failed status), and only the first few KB of the answer are read.
 */
function postGuarded(url: string, headers: Record<string, string>, body: string, opts: { timeoutMs: number; allow: OutboundAllowList; resolve: Resolver }): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = target.protocol === "https:" ? httpsRequest : target.protocol === "http:" ? httpRequest : null;
    if (!request) return reject(new OutboundRefusedError(`Only http and https addresses are allowed.`));
    const host = target.hostname.replace(/^\[|\]$/g, "");
    // An address literal is connected to without a lookup, so it is checked here.
    const literalCheck = isIP(host) ? resolveAllowed(host, opts.allow, opts.resolve) : Promise.resolve();
    literalCheck.then(() => {
      const req = request(
        target,
        {
          method: "POST",
          headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
          lookup: guardedLookup(opts.allow, opts.resolve) as never,
          signal: AbortSignal.timeout(opts.timeoutMs),
          agent: false,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (c: Buffer) => {
            if (size >= RESPONSE_READ) return;
            chunks.push(c);
            size += c.length;
            if (size >= RESPONSE_READ) res.destroy();
          });
          const done = () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, RESPONSE_READ).toString("utf8") });
          res.on("end", done);
          res.on("close", done);
          res.on("error", done);
        },
      );
      req.on("error", reject);
      req.end(body);
    }, reject);
  });
}

export function backoffMs(base: number, attempt: number): number {
  // attempt 1 failed → base, 2 → 2×base, 3 → 4×base … capped at a day.
  return Math.min(base * 2 ** (attempt - 1), 86_400_000);
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  private readonly allow: OutboundAllowList;
  /** Name resolution used at connect time; tests replace it to simulate DNS rebinding. */
  resolver: Resolver = systemResolver;
  /** With several instances only the leader sends deliveries; the others only record them. */
  leadership: Leadership = alwaysLeader;

  constructor(private readonly ctx: Ctx) {
    this.allow = parseAllowList(ctx.env.WEBHOOK_ALLOW_HOSTS);
  }

  start() {
    this.unsubscribe = this.ctx.bus.subscribeAll(
      async (event, payload) => {
        await this.enqueue(event, payload);
      },
      { once: true },
    );
    this.timer = setInterval(() => this.kick(), this.ctx.env.WEBHOOK_POLL_MS);
    this.timer.unref();
    this.kick(); // deliveries left pending by a previous run
  }

  async stop() {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Records one delivery per active subscription to this event. */
  async enqueue(event: string, data: unknown): Promise<number> {
    if (!(event in WEBHOOK_EVENTS)) return 0;
    // Every event of the list asks this: prepared SQL where the context has a read connection.
    const hooks = this.ctx.reads
      ? await this.ctx.reads.all<{ id: string; events: string }>(`SELECT "id", "events" FROM "Webhook" WHERE "active" = TRUE`)
      : await this.ctx.db.webhook.findMany({ where: { active: true }, select: { id: true, events: true } });
    const targets = hooks.filter((h) => (JSON.parse(h.events) as string[]).includes(event));
    if (!targets.length) return 0;
    const now = this.ctx.clock.now();
    const ids: string[] = [];
    await this.ctx.db.$transaction(
      targets.map((h) => {
        const id = crypto.randomUUID();
        ids.push(id);
        const payload = JSON.stringify({ id, event, createdAt: now.toISOString(), data });
        return this.ctx.db.webhookDelivery.create({ data: { id, webhookId: h.id, event, payload, createdAt: now, nextAttemptAt: now } });
      }),
    );
    // Another instance may be the one sending: tell it (every instance hears "webhook.redelivery").
    if (this.leadership.isLeader()) this.kick();
    else void this.ctx.bus.publish("webhook.redelivery", { deliveryId: ids[0]! });
    return targets.length;
  }

  /** Starts a pass over due deliveries (or queues one more pass if one is running). Only the leader sends. */
  kick() {
    if (this.stopped || !this.leadership.isLeader()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.pass()) === BATCH && !this.stopped);
        } while (this.again && !this.stopped);
      } catch (err) {
        console.error("[webhooks] delivery pass failed", err);
      } finally {
        this.running = null;
      }
    })();
  }

  /** Waits until nothing is being sent (tests). */
  async idle() {
    while (this.running) await this.running;
  }

  private async pass(): Promise<number> {
    const now = this.ctx.clock.now();
    const due = await this.ctx.db.webhookDelivery.findMany({
      where: { status: "pending", nextAttemptAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      orderBy: { nextAttemptAt: "asc" },
      take: BATCH,
      select: { id: true },
    });
    const lockUntil = new Date(now.getTime() + this.ctx.env.WEBHOOK_TIMEOUT_MS + 30_000);
    await Promise.all(
      due.map(async ({ id }) => {
        const claimed = await this.ctx.db.webhookDelivery.updateMany({
          where: { id, status: "pending", OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
          data: { lockedUntil: lockUntil },
        });
        if (claimed.count === 1) await this.attempt(id);
      }),
    );
    return due.length;
  }

  private async attempt(id: string) {
    const d = await this.ctx.db.webhookDelivery.findUnique({
      where: { id },
      select: { id: true, event: true, payload: true, attempts: true, webhook: { select: { url: true, secret: true, active: true } } },
    });
    if (!d) return;
    if (!d.webhook.active) {
      await this.ctx.db.webhookDelivery.updateMany({ where: { id }, data: { status: "failed", lockedUntil: null, lastError: "The webhook was disabled." } });
      return;
    }
    const startedAt = this.ctx.clock.now();
    const attempts = d.attempts + 1;
    let statusCode: number | null = null;
    let body = "";
    let error = "";
    let refused = false;
    try {
      // A redirect is a failure, not an invitation to post elsewhere: it is never followed.
      const res = await postGuarded(
        d.webhook.url,
        {
          "Content-Type": "application/json",
          "User-Agent": "Atrium-Webhooks/1",
          "Atrium-Event": d.event,
          "Atrium-Delivery": d.id,
          [SIGNATURE_HEADER]: sign(d.webhook.secret, d.payload, Math.floor(startedAt.getTime() / 1000)),
        },
        d.payload,
        { timeoutMs: this.ctx.env.WEBHOOK_TIMEOUT_MS, allow: this.allow, resolve: this.resolver },
      );
      statusCode = res.status;
      body = sanitiseResponseBody(res.body);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      const err = e as Error & { code?: string; cause?: { code?: string; message?: string } };
      const refusal = err instanceof OutboundRefusedError ? err : err.cause instanceof OutboundRefusedError ? err.cause : null;
      if (refusal) {
        refused = true;
        error = `Refused: ${refusal.message}`;
      } else if (err.name === "TimeoutError" || err.name === "AbortError") error = `No answer within ${this.ctx.env.WEBHOOK_TIMEOUT_MS} ms`;
      else error = `${err.code ?? err.cause?.code ?? err.name}: ${err.cause?.message ?? err.message}`;
    }
    const now = this.ctx.clock.now();
    const ok = !error;
    // A refused address is refused again on retry: give up at once.
    const giveUp = !ok && (refused || attempts >= this.ctx.env.WEBHOOK_MAX_ATTEMPTS);
    // updateMany: the webhook (and its deliveries) may have been deleted while this attempt ran.
    await this.ctx.db.webhookDelivery.updateMany({
      where: { id },
      data: {
        attempts,
        lastAttemptAt: now,
        lastStatusCode: statusCode,
        lastResponse: body,
        lastError: error.slice(0, 500),
        lockedUntil: null,
        status: ok ? "succeeded" : giveUp ? "failed" : "pending",
        deliveredAt: ok ? now : null,
        nextAttemptAt: ok || giveUp ? now : new Date(now.getTime() + backoffMs(this.ctx.env.WEBHOOK_RETRY_BASE_MS, attempts)),
      },
    });
    if (!ok && !giveUp) {
      // Make sure the retry happens even if the poll interval is longer than the backoff.
      setTimeout(() => this.kick(), backoffMs(this.ctx.env.WEBHOOK_RETRY_BASE_MS, attempts) + 5).unref();
    }
  }
}
