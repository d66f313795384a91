/**
 * Outgoing webhook delivery. Events from the bus become `WebhookDelivery` rows (one per
 * subscription) before any attempt, so a restart loses nothing; a poller sends due rows, signed,
 * and reschedules failures with exponential backoff until WEBHOOK_MAX_ATTEMPTS. A row is claimed
 * with a conditional update (lockedUntil), so several instances never send one delivery twice at once.
 */
import { WEBHOOK_EVENTS } from "../../app/schemas/platform.js";
import type { Ctx } from "../domain/context.js";
import { sign, SIGNATURE_HEADER } from "./webhook-signature.js";

const BATCH = 20;
const RESPONSE_KEEP = 2000;

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

  constructor(private readonly ctx: Ctx) {}

  start() {
    this.unsubscribe = this.ctx.bus.subscribeAll(async (event, payload) => {
      await this.enqueue(event, payload);
    });
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
    const hooks = await this.ctx.db.webhook.findMany({ where: { active: true }, select: { id: true, events: true } });
    const targets = hooks.filter((h) => (JSON.parse(h.events) as string[]).includes(event));
    if (!targets.length) return 0;
    const now = this.ctx.clock.now();
    await this.ctx.db.$transaction(
      targets.map((h) => {
        const id = crypto.randomUUID();
        const payload = JSON.stringify({ id, event, createdAt: now.toISOString(), data });
        return this.ctx.db.webhookDelivery.create({ data: { id, webhookId: h.id, event, payload, createdAt: now, nextAttemptAt: now } });
      }),
    );
    this.kick();
    return targets.length;
  }

  /** Starts a pass over due deliveries (or queues one more pass if one is running). */
  kick() {
    if (this.stopped) return;
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
    try {
      const res = await fetch(d.webhook.url, {
        method: "POST",
        redirect: "manual", // a redirect is a failure, not an invitation to post elsewhere
        signal: AbortSignal.timeout(this.ctx.env.WEBHOOK_TIMEOUT_MS),
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Atrium-Webhooks/1",
          "Atrium-Event": d.event,
          "Atrium-Delivery": d.id,
          [SIGNATURE_HEADER]: sign(d.webhook.secret, d.payload, Math.floor(startedAt.getTime() / 1000)),
        },
        body: d.payload,
      });
      statusCode = res.status;
      body = (await res.text().catch(() => "")).slice(0, RESPONSE_KEEP);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      error = err.name === "TimeoutError" ? `No answer within ${this.ctx.env.WEBHOOK_TIMEOUT_MS} ms` : `${err.cause?.code ?? err.name}: ${err.cause?.message ?? err.message}`;
    }
    const now = this.ctx.clock.now();
    const ok = !error;
    const giveUp = !ok && attempts >= this.ctx.env.WEBHOOK_MAX_ATTEMPTS;
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
