/**
 * When a person is renamed, deactivated or reactivated, documents that @mention them re-derive
 * their stored text (search, previews, the feed) with the name as it is now (decision 170). It
 * runs after the verb has answered, one person at a time: a profile save does not wait for every
 * document that mentions its owner. `drain` lets a graceful stop finish before the database closes.
 */
import type { Ctx } from "../domain/context.js";
import type { Domain } from "../domain/index.js";

export function attachMentionRelabels(ctx: Ctx, domain: Domain, logger: Pick<Console, "error"> = console): { drain(): Promise<void> } {
  const queued = new Set<string>();
  let running: Promise<void> | null = null;
  const run = async () => {
    while (queued.size) {
      const userId = queued.values().next().value!;
      queued.delete(userId);
      try {
        await domain.docs.relabelMentionsOf(userId);
      } catch (err) {
        logger.error(`[docs] relabelling mentions of ${userId} failed`, err);
      }
    }
    running = null;
  };
  const enqueue = (userId: string) => {
    queued.add(userId);
    running ??= run();
  };
  // Once: the stored text is shared; the instance where the change happened rewrites it.
  ctx.bus.subscribe("person.updated", (p) => enqueue(p.userId), { once: true });
  ctx.bus.subscribe("person.deactivated", (p) => enqueue(p.userId), { once: true });
  return {
    async drain() {
      while (running) await running;
    },
  };
}
