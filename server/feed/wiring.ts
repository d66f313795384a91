/**
 * The social layer's event-bus subscribers: domain events → activity rows (after the
 * change committed), activity rows → "feed.item" to the connected people whose feed it belongs
 * to (each one checked by the same query and policy as the page), reactions → open pages.
 */
import type { Domain } from "../domain/index.js";
import type { Ctx } from "../domain/context.js";
import { userRoom, type AtriumIo } from "../realtime/socket-server.js";

/** Activity rows are written once, by the instance where the change happened. */
const ONCE = { once: true };

export function attachSocialLayer(ctx: Ctx, domain: Domain, io: AtriumIo): { drain(): Promise<void> } {
  const feed = domain.feed;
  ctx.bus.subscribe("question.asked", (p) => feed.recordQuestionAsked(p).then(() => undefined), ONCE);
  ctx.bus.subscribe("question.answered", (p) => feed.recordAnswerPosted(p).then(() => undefined), ONCE);
  ctx.bus.subscribe("question.accepted", (p) => feed.recordAnswerAccepted(p).then(() => undefined), ONCE);
  ctx.bus.subscribe("question.routed", (p) => feed.recordQuestionRouted(p).then(() => undefined), ONCE);
  ctx.bus.subscribe("doc.created", (p) => feed.recordDocCreated(p).then(() => undefined), ONCE);
  ctx.bus.subscribe("doc.edited", (p) => feed.recordDocEdited(p).then(() => undefined), ONCE);
  ctx.bus.subscribe("doc.mentioned", (p) => feed.recordDocMentioned(p).then(() => undefined), ONCE);
  ctx.bus.subscribe("insight.routed", (p) => feed.recordInsightRouted(p).then(() => undefined), ONCE);

  // The fan-out runs after the verb has answered: asking a question does not wait for a department's
  // worth of feed checks. Items are fanned out one at a time with a turn of the event loop between
  // them: the database calls underneath are synchronous, so a burst (20 people's edits settling at
  // once) would otherwise hold the loop for a few hundred milliseconds and stall live editing.
  // `drain` lets a graceful stop finish them before the database closes.
  const queue: string[] = [];
  let running: Promise<void> | null = null;
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const fanOut = async (activityId: string) => {
    // Every instance hears "feed.recorded" and tells its own sockets.
    const rooms = io.of("/").adapter.rooms;
    // Not connected: the next page load shows it.
    const online = (await feed.feedCandidates(activityId)).filter((userId) => rooms.has(userRoom(userId)));
    for (const [userId, item] of await feed.feedItemsFor(online, activityId)) io.local.to(userRoom(userId)).emit("feed.item", { item });
  };
  const work = async () => {
    while (queue.length) {
      await nextTurn();
      const activityId = queue.shift()!;
      await fanOut(activityId).catch((err) => console.error("[feed] live fan-out failed", err));
    }
    running = null;
  };
  ctx.bus.subscribe("feed.recorded", ({ activityId }) => {
    queue.push(activityId);
    running ??= work();
  });
  // Questions and insights are readable by every employee, so counts (and names) go to everyone
  // signed in: the question page, the insight page and the feed all update from one event.
  ctx.bus.subscribe("reaction.changed", (p) => void io.local.emit("reaction.changed", p));
  return {
    async drain() {
      while (running) await running;
    },
  };
}
