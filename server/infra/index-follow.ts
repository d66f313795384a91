/**
 * The in-memory indexes that verbs update in place on the instance where the change happens (the
 * people directory, similar questions, demonstrated expertise, answerer profiles) follow the event
 * stream on the other instances: each re-reads what changed from the shared database (decision
 * 125). The unified search index already follows the bus on every instance (unified-sync.ts).
 * In one process none of this runs (`elsewhere` handlers never fire).
 */
import type { Ctx } from "../domain/context.js";
import { buildPeopleIndex, reindexPerson } from "../domain/people.js";
import { buildAnswererIndex, buildExpertiseIndex, reindexQuestion } from "../domain/qa-indexes.js";

const ELSEWHERE = { elsewhere: true };

/** Runs `fn` once `ms` after the last call (a burst of changes is one rebuild). */
function debounced(ms: number, fn: () => Promise<unknown>) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  return {
    call() {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        running = running.then(fn).catch((err) => console.error("[indexes] rebuilding after a change elsewhere failed", err));
      }, ms);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export function followIndexesElsewhere(ctx: Ctx): { stop(): Promise<void> } {
  const { bus } = ctx;
  const people = debounced(200, () => buildPeopleIndex(ctx));
  // Expertise and answerer profiles are sums over all answers: rebuilt after a burst.
  const qa = debounced(300, async () => {
    await buildExpertiseIndex(ctx);
    await buildAnswererIndex(ctx);
  });
  const person = (p: { userId: string }) => reindexPerson(ctx, p.userId);
  bus.subscribe("person.updated", person, ELSEWHERE);
  bus.subscribe("person.deactivated", person, ELSEWHERE);
  bus.subscribe("directory.imported", () => people.call(), ELSEWHERE);
  bus.subscribe("org.changed", () => people.call(), ELSEWHERE);

  const question = (p: { questionId: string }) => reindexQuestion(ctx, p.questionId);
  bus.subscribe("question.asked", question, ELSEWHERE);
  bus.subscribe("question.updated", (p) => {
    qa.call();
    return question(p);
  }, ELSEWHERE);
  for (const e of ["question.answered", "question.voted", "question.accepted"] as const) {
    bus.subscribe(e, (p: { questionId: string }) => {
      qa.call();
      return question(p);
    }, ELSEWHERE);
  }
  return {
    async stop() {
      await people.stop();
      await qa.stop();
    },
  };
}
