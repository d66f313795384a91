import { describe, expect, test } from "vitest";
import { AnswererIndex, type AnswerEvent } from "../../../server/search/answerer-index.js";

const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000);
const answer = (authorId: string, n: number, questionText: string, over: Partial<AnswerEvent> = {}): AnswerEvent => ({
  authorId,
  at: day(n),
  questionText,
  answerText: "",
  tags: [],
  accepted: false,
  responseMs: 3_600_000,
  ...over,
});

describe("answerer profiles (routing by history)", () => {
  test("the person who answered questions worded like this one comes first, even when its tag is new to everyone", () => {
    const i = new AnswererIndex();
    for (let k = 0; k < 6; k++) i.add(answer("busy", k, `Printer driver install on laptop ${k}`, { tags: ["printers"] }));
    i.add(answer("kerb", 3, "Kerberos ticket renewal fails after password change", { tags: ["kerberos"] }));
    i.add(answer("kerb", 4, "Kerberos keytab rotation and ticket lifetimes", { tags: ["kerberos"] }));
    const ranked = i.rank({ text: "Ticket renewal with Kerberos on Linux hosts", tags: ["brand-new-tag"], at: day(10), limit: 3 });
    expect(ranked.map((p) => p.userId)).toEqual(["kerb"]);
    expect(ranked[0]!.text).toBe(1);
  });

  test("activity alone or a single shared word reaches no one; a shared tag does", () => {
    const i = new AnswererIndex();
    i.add(answer("a", 1, "Payroll export to the bank", { tags: ["payroll"] }));
    expect(i.rank({ text: "Export of the office floor plan", tags: [], at: day(2), limit: 3 })).toEqual([]);
    expect(i.rank({ text: "Office floor plan", tags: ["payroll"], at: day(2), limit: 3 }).map((p) => p.userId)).toEqual(["a"]);
  });

  test("a limit of 0 ranks no one, and the next ranking still finds its people", () => {
    const i = new AnswererIndex();
    i.add(answer("a", 1, "Payroll export to the bank", { tags: ["payroll"] }));
    expect(i.rank({ text: "Payroll export", tags: ["payroll"], at: day(2), limit: 0 })).toEqual([]);
    expect(i.rank({ text: "Payroll export", tags: ["payroll"], at: day(2), limit: 3 }).map((p) => p.userId)).toEqual(["a"]);
  });

  test("between equal matches, the more recent and quicker answerer ranks higher; the asker is left out", () => {
    const i = new AnswererIndex();
    i.add(answer("old", 1, "VPN split tunnel routes", { responseMs: 5 * 86_400_000 }));
    i.add(answer("recent", 200, "VPN split tunnel routes", { responseMs: 600_000 }));
    const q = { text: "VPN split tunnel drops routes", tags: [], at: day(210), limit: 5 };
    expect(i.rank(q).map((p) => p.userId)).toEqual(["recent", "old"]);
    expect(i.rank({ ...q, exclude: new Set(["recent"]) }).map((p) => p.userId)).toEqual(["old"]);
  });

  test("the answers-overall weight lets a long record outrank one recent answer; unweighted, recency wins", () => {
    const veteran = Array.from({ length: 12 }, (_, k) => answer("veteran", k, "Backup tape rotation schedule", { responseMs: 3 * 86_400_000 }));
    const fresh = answer("fresh", 380, "Backup tape rotation schedule");
    const q = { text: "Backup tape rotation", tags: [], at: day(400), limit: 5 };
    const rank = (weights: ConstructorParameters<typeof AnswererIndex>[0]) => {
      const i = new AnswererIndex(weights);
      for (const e of [...veteran, fresh]) i.add(e);
      return i.rank(q).map((p) => p.userId);
    };
    expect(rank({})).toEqual(["fresh", "veteran"]);
    expect(rank({ answers: 0.5 })).toEqual(["veteran", "fresh"]);
    // Removing the long record takes its weight with it.
    const i = new AnswererIndex({ answers: 0.5 });
    for (const e of [...veteran, fresh]) i.add(e);
    for (const e of veteran.slice(1)) i.remove(e);
    expect(i.rank(q).map((p) => p.userId)).toEqual(["fresh", "veteran"]);
  });

  test("a short list holds the same people in the same order as the full ranking; equal scores go by id", () => {
    const i = new AnswererIndex();
    for (let k = 0; k < 120; k++) {
      i.add(answer(`p${String(119 - k).padStart(3, "0")}`, (k * 13) % 37, `Disk quota alert on volume ${k % 5} ${k % 2 ? "nightly" : ""}`, { responseMs: (k % 3) * 86_400_000 }));
    }
    const q = { text: "Disk quota alert on the nightly volume", tags: [], at: day(40) };
    const all = i.rank({ ...q, limit: 1_000 });
    expect(all).toHaveLength(120);
    for (let k = 1; k < all.length; k++) expect(all[k - 1]!.score).toBeGreaterThanOrEqual(all[k]!.score);
    for (const limit of [1, 3, 5, 10, 64, 65]) expect(i.rank({ ...q, limit })).toEqual(all.slice(0, limit));

    const twins = new AnswererIndex();
    for (const id of ["zed", "abe", "kim"]) twins.add(answer(id, 1, "Quota alert on the mail volume"));
    const mail = { text: "Mail volume quota alert", tags: [], at: day(2) };
    expect(twins.rank({ ...mail, limit: 1 }).map((p) => p.userId)).toEqual(["abe"]);
    expect(twins.rank({ ...mail, limit: 2 }).map((p) => p.userId)).toEqual(["abe", "kim"]);
    expect(twins.rank({ ...mail, limit: 100 }).map((p) => p.userId)).toEqual(["abe", "kim", "zed"]);
  });

  test("each visits exactly the people rank lists, with the same scores, unordered; a question without a match visits nobody", () => {
    const i = new AnswererIndex();
    for (let k = 0; k < 40; k++) i.add(answer(`p${k}`, k, `Printer toner ${k % 3 ? "jam" : "cartridge"} on floor ${k % 4}`, { tags: k % 5 ? [] : ["printers"] }));
    i.add(answer("tagonly", 3, "Nothing alike here", { tags: ["printers"] }));
    const q = { text: "Printer toner jam on floor two", tags: ["printers"], at: day(50), exclude: new Set(["p7"]) };
    const ranked = i.rank({ ...q, limit: 1_000 });
    const visited: { userId: string; score: number; text: number; tagAnswers: number }[] = [];
    i.each(q, (userId, score, text, tagAnswers) => visited.push({ userId, score, text, tagAnswers }));
    expect(visited.length).toBeGreaterThan(30);
    expect(visited.map((v) => v.userId)).toContain("tagonly");
    expect(visited.map((v) => v.userId)).not.toContain("p7");
    expect([...visited].sort((a, b) => b.score - a.score || (a.userId < b.userId ? -1 : 1))).toEqual(ranked);
    const none: string[] = [];
    i.each({ text: "Completely unrelated words", tags: [], at: day(50) }, (userId) => none.push(userId));
    expect(none).toEqual([]);
    // The scratch is clean afterwards: the same question visits the same people again.
    const again: string[] = [];
    i.each(q, (userId) => again.push(userId));
    expect(again.sort()).toEqual(visited.map((v) => v.userId).sort());
  });

  test("the same matching words weigh less in a long profile about other things, until those answers are gone", () => {
    const i = new AnswererIndex();
    const shared = answer("focused", 1, "Kerberos keytab rotation");
    i.add(shared);
    i.add({ ...shared, authorId: "broad" });
    const other = Array.from({ length: 6 }, (_, k) => answer("broad", 2 + k, `Printer toner order for floor ${k} and the badge reader at reception ${k}`));
    for (const e of other) i.add(e);
    const q = { text: "Kerberos keytab rotation", tags: [], at: day(10), limit: 5 };
    const text = () => Object.fromEntries(i.rank(q).map((p) => [p.userId, p.text]));
    expect(text().focused).toBe(1);
    expect(text().broad).toBeLessThan(0.8);
    for (const e of other) i.remove(e);
    expect(text()).toEqual({ focused: 1, broad: 1 });
  });

  test("knows only what was added: a profile grows with each answer", () => {
    const i = new AnswererIndex();
    const q = { text: "Terraform state lock stuck", tags: [], at: day(50), limit: 5 };
    expect(i.rank(q)).toEqual([]);
    i.add(answer("tf", 40, "Terraform state lock after a crash"));
    expect(i.rank(q).map((p) => p.userId)).toEqual(["tf"]);
    expect(i.size).toBe(1);
    i.clear();
    expect(i.rank(q)).toEqual([]);
  });

  test("an edit's old words and a deleted answer stop shaping a profile at once; removing everything leaves nobody", () => {
    const i = new AnswererIndex();
    const kerb = answer("ana", 1, "Login trouble", { answerText: "Renew the kerberos keytab and check ticket lifetimes", tags: ["auth"] });
    i.add(kerb);
    i.add(answer("ben", 2, "Printer queue stuck", { answerText: "Restart the spooler service", tags: ["printers"] }));
    const kerberosQ = { text: "Kerberos keytab ticket expired", tags: [], at: day(5), limit: 3 };
    expect(i.rank(kerberosQ).map((p) => p.userId)).toEqual(["ana"]);
    // Edited: the answer now talks about something else.
    i.remove(kerb);
    i.add({ ...kerb, answerText: "Clear the browser cookies for the portal" });
    expect(i.rank(kerberosQ)).toEqual([]);
    expect(i.rank({ ...kerberosQ, text: "Portal browser cookies problem" }).map((p) => p.userId)).toEqual(["ana"]);
    // Deleted: the author's only answer, so no profile is left (not even by the tag).
    i.remove({ ...kerb, answerText: "Clear the browser cookies for the portal" });
    expect(i.rank({ text: "Portal browser cookies problem", tags: ["auth"], at: day(5), limit: 3 })).toEqual([]);
    expect(i.size).toBe(1);
    i.remove(answer("ben", 2, "Printer queue stuck", { answerText: "Restart the spooler service", tags: ["printers"] }));
    expect(i.size).toBe(0);
    expect(i.rank({ text: "Printer spooler queue", tags: ["printers"], at: day(5), limit: 3 })).toEqual([]);
  });
});
