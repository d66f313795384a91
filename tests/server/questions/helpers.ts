import type { Atrium } from "../../../server/atrium.js";
import type { Actor } from "../../../server/policy.js";

/** A rich body as the editor would post it. */
export const body = (text: string) => ({
  json: JSON.stringify({
    root: { type: "root", children: text.split("\n").map((line) => ({ type: "paragraph", children: line ? [{ type: "text", text: line }] : [] })) },
  }),
});

/** Everything a Q&A verb could write, to prove a refused call changed nothing. */
export async function qaSnapshot(atrium: Atrium) {
  const db = atrium.db;
  const [questions, answers, comments, qVotes, aVotes, revisions, follows, routes, tags, skills, notifications] = await Promise.all([
    db.question.findMany({ orderBy: { id: "asc" } }),
    db.answer.findMany({ orderBy: { id: "asc" } }),
    db.qaComment.findMany({ orderBy: { id: "asc" } }),
    db.questionVote.findMany({ orderBy: [{ userId: "asc" }, { questionId: "asc" }] }),
    db.answerVote.findMany({ orderBy: [{ userId: "asc" }, { answerId: "asc" }] }),
    db.postRevision.count(),
    db.questionFollow.count(),
    db.questionRoute.count(),
    db.questionTag.count(),
    db.skill.count(),
    db.notification.count(),
  ]);
  return { questions, answers, comments, qVotes, aVotes, revisions, follows, routes, tags, skills, notifications };
}

export async function ask(atrium: Atrium, actor: Actor, over: Record<string, unknown> = {}) {
  return atrium.domain.questions.askQuestion(actor, {
    title: "How do I configure SAML single sign-on?",
    body: body("Our IdP metadata is rejected."),
    tags: ["saml"],
    ...over,
  });
}

export async function giveSkills(atrium: Atrium, actor: Actor, name: string, skills: { name: string; level: "expert" | "mentor" | "learning" }[]) {
  await atrium.domain.people.updateProfile(actor, actor.id, { name, timeZone: "UTC", skills });
}
