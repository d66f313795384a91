/** Outgoing webhooks: admins subscribe URLs to events; deliveries are sent by server/platform/webhook-dispatcher.ts. */
import { WebhookSchema } from "../../app/schemas/platform.js";
import { recordAudit } from "../platform/audit-record.js";
import { newWebhookSecret } from "../platform/webhook-signature.js";
import type { Actor } from "../policy.js";
import { authorize } from "../policy.js";
import { parse, type Ctx } from "./context.js";
import { NotFoundError, ValidationError } from "./errors.js";
import { OutboundRefusedError, parseAllowList, resolveAllowed } from "../platform/outbound-guard.js";

/**
 * Refuses, with a message for the form, a URL whose host is (or resolves to) a loopback, private,
 * link-local or reserved address not opened by WEBHOOK_ALLOW_HOSTS. Deliveries check again at
 * connect time, so a name that changes address later is still caught.
 */
async function assertReachableTarget(ctx: Ctx, url: string) {
  const target = new URL(url);
  if (target.username || target.password) throw new ValidationError({ url: ["Leave user names and passwords out of the address; receivers verify the signature instead."] });
  try {
    await resolveAllowed(target.hostname, parseAllowList(ctx.env.WEBHOOK_ALLOW_HOSTS));
  } catch (e) {
    if (e instanceof OutboundRefusedError) throw new ValidationError({ url: [e.message] });
    throw new ValidationError({ url: [`${target.hostname} could not be resolved. Check the address.`] });
  }
}

const present = (w: { id: string; url: string; description: string; secret: string; events: string; active: boolean; createdAt: Date; updatedAt: Date }) => ({
  ...w,
  events: JSON.parse(w.events) as string[],
});

export async function listWebhooks(ctx: Ctx, actor: Actor) {
  authorize(actor, "webhook.manage", null);
  const hooks = await ctx.db.webhook.findMany({ orderBy: { createdAt: "asc" } });
  const stats = await ctx.db.webhookDelivery.groupBy({ by: ["webhookId", "status"], _count: { _all: true } });
  return hooks.map((h) => {
    const count = (status: string) => stats.find((s) => s.webhookId === h.id && s.status === status)?._count._all ?? 0;
    return { ...present(h), secret: undefined, delivered: count("succeeded"), pending: count("pending"), failed: count("failed") };
  });
}

export async function getWebhook(ctx: Ctx, actor: Actor, id: string) {
  authorize(actor, "webhook.manage", null);
  const h = await ctx.db.webhook.findUnique({ where: { id } });
  if (!h) throw new NotFoundError("That webhook");
  const deliveries = await ctx.db.webhookDelivery.findMany({
    where: { webhookId: id },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, event: true, status: true, attempts: true, createdAt: true, lastAttemptAt: true, nextAttemptAt: true, lastStatusCode: true, lastResponse: true, lastError: true, deliveredAt: true },
  });
  return { webhook: present(h), deliveries };
}

export async function createWebhook(ctx: Ctx, actor: Actor, input: unknown) {
  authorize(actor, "webhook.manage", null);
  const data = parse(WebhookSchema, input);
  await assertReachableTarget(ctx, data.url);
  const h = await ctx.db.webhook.create({
    data: { url: data.url, description: data.description, events: JSON.stringify(data.events), active: data.active, secret: newWebhookSecret(), createdById: actor.id, createdAt: ctx.clock.now() },
  });
  await recordAudit(ctx, { actorId: actor.id, action: "webhook.created", target: { type: "webhook", id: h.id }, summary: `Subscribed ${data.url} to ${data.events.join(", ")}`, details: { url: data.url, events: data.events } });
  return present(h);
}

export async function updateWebhook(ctx: Ctx, actor: Actor, id: string, input: unknown) {
  authorize(actor, "webhook.manage", null);
  const data = parse(WebhookSchema, input);
  const before = await ctx.db.webhook.findUnique({ where: { id } });
  if (!before) throw new NotFoundError("That webhook");
  await assertReachableTarget(ctx, data.url);
  await ctx.db.webhook.update({ where: { id }, data: { url: data.url, description: data.description, events: JSON.stringify(data.events), active: data.active } });
  await recordAudit(ctx, {
    actorId: actor.id,
    action: "webhook.updated",
    target: { type: "webhook", id },
    summary: `Updated the webhook to ${data.url}${data.active ? "" : " (disabled)"}`,
    details: { from: { url: before.url, events: JSON.parse(before.events), active: before.active }, to: { url: data.url, events: data.events, active: data.active } },
  });
}

export async function rotateWebhookSecret(ctx: Ctx, actor: Actor, id: string) {
  authorize(actor, "webhook.manage", null);
  const h = await ctx.db.webhook.findUnique({ where: { id }, select: { url: true } });
  if (!h) throw new NotFoundError("That webhook");
  const secret = newWebhookSecret();
  await ctx.db.webhook.update({ where: { id }, data: { secret } });
  await recordAudit(ctx, { actorId: actor.id, action: "webhook.updated", target: { type: "webhook", id }, summary: `Rotated the signing secret of ${h.url}` });
  return secret;
}

export async function deleteWebhook(ctx: Ctx, actor: Actor, id: string) {
  authorize(actor, "webhook.manage", null);
  const h = await ctx.db.webhook.findUnique({ where: { id }, select: { url: true } });
  if (!h) throw new NotFoundError("That webhook");
  await ctx.db.webhook.delete({ where: { id } });
  await recordAudit(ctx, { actorId: actor.id, action: "webhook.deleted", target: { type: "webhook", id }, summary: `Deleted the webhook to ${h.url}` });
}

/** Sends a past delivery again, as a new delivery with the same payload. */
export async function redeliver(ctx: Ctx, actor: Actor, deliveryId: string) {
  authorize(actor, "webhook.manage", null);
  const d = await ctx.db.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { webhookId: true, event: true, payload: true } });
  if (!d) throw new NotFoundError("That delivery");
  const now = ctx.clock.now();
  const copy = await ctx.db.webhookDelivery.create({ data: { webhookId: d.webhookId, event: d.event, payload: d.payload, createdAt: now, nextAttemptAt: now } });
  await ctx.bus.publish("webhook.redelivery", { deliveryId: copy.id });
  return copy.id;
}
