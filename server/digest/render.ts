/**
 * The digest email (decision 067): a plain-text and an HTML part built from the same content.
 * Every piece of user text is escaped in the HTML; every link is absolute (APP_URL).
 */
import { dateTimeFormat } from "../../app/utils/dates.js";

export interface DigestContent {
  unanswered: { id: string; title: string; tags: string[]; askedBy: string; createdAt: string }[];
  insights: { id: string; text: string; account: string | null; team: string; status: string; createdAt: string }[];
  mentions: { docId: string; title: string; by: string | null; at: string }[];
}

export const digestSize = (c: DigestContent) => c.unanswered.length + c.insights.length + c.mentions.length;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

/**
 * A moment as the reader's clock shows it ("Mon 23 Nov, 08:30 CET"): the digest is read in a mail
 * program, not on a page that re-renders in the browser's zone, so it is written in the time zone
 * on the person's profile. An unknown zone is UTC, named as such; an empty or unreadable time is left out.
 */
export function mailTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  if (!iso || Number.isNaN(at.getTime())) return "";
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = dateTimeFormat("en-GB", timeZone, "mail");
  } catch {
    fmt = dateTimeFormat("en-GB", "UTC", "mail");
  }
  return fmt.format(at);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

export function renderDigest(
  person: { name: string; timeZone: string },
  c: DigestContent,
  opts: { appUrl: string; frequency: "daily" | "weekly"; preview?: boolean },
): { subject: string; text: string; html: string; preferencesUrl: string } {
  const abs = (p: string) => new URL(p, opts.appUrl).toString();
  const preferencesUrl = abs("/account#digest");
  const parts = [
    c.unanswered.length && plural(c.unanswered.length, "unanswered question"),
    c.insights.length && plural(c.insights.length, "open insight"),
    c.mentions.length && plural(c.mentions.length, "mention"),
  ].filter(Boolean);
  const subject = `${opts.preview ? "[Preview] " : ""}Your ${opts.frequency} Atrium digest: ${parts.join(", ") || "nothing new"}`;
  const first = person.name.split(" ")[0] ?? person.name;
  const when = (label: string, iso: string) => {
    const t = mailTime(iso, person.timeZone);
    return t ? `${label}${t}` : "";
  };
  const meta = (...bits: string[]) => bits.filter(Boolean).join(" · ");

  const sections: { heading: string; items: { text: string; url: string; meta: string }[] }[] = [
    {
      heading: "Unanswered questions in your tags",
      items: c.unanswered.map((q) => ({ text: q.title, url: abs(`/questions/${q.id}`), meta: meta(q.askedBy, q.tags.join(", "), when("asked ", q.createdAt)) })),
    },
    {
      heading: "Insights for your teams, still open",
      items: c.insights.map((i) => ({ text: `${i.account ? `${i.account}: ` : ""}“${cut(i.text, 140)}”`, url: abs(`/insights/${i.id}`), meta: meta(i.team, i.status.replace("_", " "), when("received ", i.createdAt)) })),
    },
    {
      heading: "Where you were mentioned",
      items: c.mentions.map((m) => ({ text: m.title, url: abs(`/docs/${m.docId}`), meta: meta(m.by ? `by ${m.by}` : "", when("", m.at)) })),
    },
  ].filter((s) => s.items.length);

  const text = [
    `Hello ${first},`,
    "",
    `Here is what is waiting for you in Atrium.`,
    ...sections.flatMap((s) => ["", `${s.heading}:`, ...s.items.map((i) => `- ${i.text}${i.meta ? ` (${i.meta})` : ""}\n  ${i.url}`)]),
    "",
    "--",
    `You get this ${opts.frequency}. Change or stop it: ${preferencesUrl}`,
  ].join("\n");

  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1d2330">
<p>Hello ${escapeHtml(first)},</p>
<p>Here is what is waiting for you in Atrium.</p>
${sections
  .map(
    (s) =>
      `<h2 style="font-size:1.05rem">${escapeHtml(s.heading)}</h2>\n<ul>\n${s.items
        .map((i) => `<li><a href="${escapeHtml(i.url)}">${escapeHtml(i.text)}</a>${i.meta ? ` <span style="color:#5b6475">${escapeHtml(i.meta)}</span>` : ""}</li>`)
        .join("\n")}\n</ul>`,
  )
  .join("\n")}
<hr><p style="color:#5b6475;font-size:.9rem">You get this ${opts.frequency}. <a href="${escapeHtml(preferencesUrl)}">Change or stop your digest</a>.</p>
</body></html>`;
  return { subject, text, html, preferencesUrl };
}
