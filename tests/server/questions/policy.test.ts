import { describe, expect, test } from "vitest";
import { can, type Actor } from "../../../server/policy.js";

const member = (id: string): Actor => ({ id, role: "member", departmentId: null, active: true });
const asker = member("asker");
const other = member("other");
const admin: Actor = { id: "admin", role: "admin", departmentId: null, active: true };
const inactive: Actor = { ...other, active: false };

const open = { authorId: "asker", deleted: false, closed: false };
const closed = { ...open, closed: true };
const deleted = { ...open, deleted: true };

describe("Q&A policy: each forbidden path is refused", () => {
  test.each([
    ["inactive people can do nothing", () => can(inactive, "question.ask", null)],
    ["a deleted question's content is hidden from other members", () => can(other, "question.view", deleted)],
    ["a member cannot edit someone else's question", () => can(other, "question.edit", open)],
    ["a deleted question cannot be edited", () => can(asker, "question.edit", deleted)],
    ["a member cannot delete someone else's question", () => can(other, "question.delete", open)],
    ["a closed question takes no answers", () => can(other, "question.answer", closed)],
    ["a deleted question takes no answers", () => can(other, "question.answer", deleted)],
    ["a deleted question takes no comments", () => can(other, "question.comment", deleted)],
    ["no vote on your own question", () => can(asker, "question.vote", open)],
    ["no vote on a deleted question", () => can(other, "question.vote", deleted)],
    ["a member cannot close someone else's question", () => can(other, "question.closeAsDuplicate", open)],
    ["a closed question cannot be closed again", () => can(admin, "question.closeAsDuplicate", closed)],
    ["an open question cannot be reopened", () => can(admin, "question.reopen", open)],
    ["only the asker asks a person", () => can(admin, "question.askPerson", open)],
    ["a member cannot edit someone else's answer", () => can(other, "answer.edit", { authorId: "x", deleted: false })],
    ["a member cannot delete someone else's answer", () => can(other, "answer.delete", { authorId: "x", deleted: false })],
    ["no vote on your own answer", () => can(other, "answer.vote", { authorId: "other", deleted: false })],
    ["only the asker accepts (not even an admin)", () => can(admin, "answer.accept", { questionAuthorId: "asker", questionDeleted: false, answerDeleted: false })],
    ["a deleted answer cannot be accepted", () => can(asker, "answer.accept", { questionAuthorId: "asker", questionDeleted: false, answerDeleted: true })],
    ["a member cannot delete someone else's comment", () => can(other, "comment.delete", { authorId: "x", deleted: false })],
    ["only admins describe tags", () => can(other, "tag.describe", null)],
    ["a deleted question cannot be followed", () => can(other, "question.follow", deleted)],
  ])("%s", (_label, check) => {
    expect(check()).toBe(false);
  });

  test.each([
    ["the author sees their deleted question", () => can(asker, "question.view", deleted)],
    ["an admin sees a deleted question", () => can(admin, "question.view", deleted)],
    ["an admin edits any question", () => can(admin, "question.edit", open)],
    ["the asker closes their own question as duplicate", () => can(asker, "question.closeAsDuplicate", open)],
    ["an admin closes as duplicate", () => can(admin, "question.closeAsDuplicate", open)],
    ["the asker reopens", () => can(asker, "question.reopen", closed)],
    ["another member votes", () => can(other, "question.vote", open)],
    ["the asker accepts", () => can(asker, "answer.accept", { questionAuthorId: "asker", questionDeleted: false, answerDeleted: false })],
  ])("allowed: %s", (_label, check) => {
    expect(check()).toBe(true);
  });
});
