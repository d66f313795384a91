/**
 * Import from a Stack Exchange–format data dump: Posts.xml (required), Users.xml, PostLinks.xml
 * and Comments.xml (optional). Files are streamed (server/import/xml-rows.ts), a batch of rows at
 * a time, so a dump of hundreds of MB is never held in memory. Idempotent: every imported row
 * carries importSource + importId (unique), and rows already there are skipped; running it twice
 * changes nothing. Imported history does not notify or route anyone.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { COMMENT_MAX, TagNameSchema, TITLE_MAX } from "../../app/schemas/questions.js";
import { systemClock, type Ctx } from "../domain/context.js";
import { resolveSkills, skillLabel } from "../domain/skills.js";
import { bulkWriterFor, IMPORT_KEYS, importTransaction, type BulkBatch, type BulkWriter, type ImportedTable } from "./bulk-insert.js";
import { htmlToRichText } from "./html-to-rich-text.js";
import { readRows, type Row } from "./xml-rows.js";
import { numberPlaceholders } from "../db-reads.js";
import { siteOfSource } from "./sources.js";

export interface ImportOptions {
  /**
   * Distinguishes dumps (e.g. "stackexchange:security.stackexchange.com"). By default it is the
   * site's own address as the dump's posts link to themselves, never the folder's name.
   */
  source?: string;
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  file: string;
  bytesRead: number;
  bytesTotal: number;
  posts: number;
}

export interface ImportSummary {
  source: string;
  questions: { created: number; existing: number };
  answers: { created: number; existing: number; orphaned: number };
  accepted: number;
  /** unresolved: an end is not in the dump; alsoOf: further originals of an already linked duplicate. */
  duplicates: { linked: number; unresolved: number; alsoOf: number };
  comments: { created: number; existing: number; orphaned: number };
  users: { placeholders: number; existing: number };
  tags: { created: number };
  skippedPosts: number;
  seconds: number;
  postsPerSecond: number;
  peakRssBytes: number;
}


/**
 * Ids per `IN (...)` list: under SQLite's default limit of 999 bound parameters (with room for the
 * others in the same statement) and far under PostgreSQL's 65,535.
 */
export const ID_CHUNK = 500;

/** Runs `query` on slices of `ids` small enough for any database's parameter limit; concatenates. */
export async function inChunks<T>(ids: readonly string[], query: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) out.push(...(await query(ids.slice(i, i + ID_CHUNK))));
  return out;
}

/** "2008-07-31T21:42:52.667" is UTC in the dumps, without the Z. */
const seDate = (v: string | undefined): Date | null => {
  if (!v) return null;
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** "<saml><single-sign-on>" (older dumps) or "|saml|single-sign-on|" (newer). */
export function parseTags(v: string | undefined): string[] {
  if (!v) return [];
  const raw = v.includes("<") ? [...v.matchAll(/<([^>]+)>/g)].map((m) => m[1]!) : v.split("|");
  const out: string[] = [];
  for (const t of raw) {
    const r = TagNameSchema.safeParse(t);
    if (r.success && !out.includes(r.data)) out.push(r.data);
  }
  return out.slice(0, 5);
}

/** Streams the `row` elements of a dump file, awaiting `onBatch` every `size` rows (backpressure). */
export async function streamRows(
  file: string,
  size: number,
  onBatch: (rows: Row[]) => Promise<void>,
  onBytes?: (read: number, total: number, rowsSeen: number) => void,
  only?: ReadonlySet<string>,
): Promise<void> {
  let rows: Row[] = [];
  let seen = 0;
  await readRows(
    file,
    (row) => {
      rows.push(row);
      seen++;
    },
    async (read, total) => {
      while (rows.length >= size) {
        const batch = rows.slice(0, size);
        rows = rows.slice(size);
        await onBatch(batch);
      }
      onBytes?.(read, total, seen);
    },
    only,
  );
  if (rows.length) await onBatch(rows);
  onBytes?.(statSync(file).size, statSync(file).size, seen);
}

/** streamRows over rows already read from `file` (the same batches, progress as a share of the file). */
const batchesOf =
  (all: Row[]): typeof streamRows =>
  async (file, size, onBatch, onBytes) => {
    const total = statSync(file).size;
    for (let i = 0; i < all.length; i += size) {
      await onBatch(all.slice(i, i + size));
      onBytes?.(Math.round((total * Math.min(i + size, all.length)) / all.length), total, Math.min(i + size, all.length));
    }
    onBytes?.(total, total, all.length);
  };

const SITE_LINK = /https?:\/\/([a-z0-9.-]+)\/(?:questions|q)\/(\d+)\/([a-z0-9-]+)/gi;
const slugOf = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const canonicalHost = (host: string) => host.toLowerCase().replace(/^www\./, "").replace(/^meta\.([a-z0-9-]+)\.stackexchange\.com$/, "$1.meta.stackexchange.com");

/** Posts.xml rows kept from the site's detection for the import to use, up to this many characters of bodies. */
const KEPT_BODY_CHARS = 8 * 1024 * 1024;

/**
 * The dump's identity, so that two dumps of different sites never merge and a newer dump of the
 * same site lands on the same rows: the site's address, found in links from its posts to its own
 * questions (the link's id and title slug both match a question of this dump — links to other
 * sites do not). Without any such link, a fingerprint of the dump's first question stands in.
 */
export async function detectSource(folder: string, maxRows = 20_000): Promise<string> {
  return (await scanPosts(folder, maxRows)).source;
}

/**
 * The site (see detectSource) and, when detection read the whole of Posts.xml and its bodies are
 * small (a dump of a few thousand posts), every row read: the import then does not read the file
 * a second time. Larger dumps are streamed again, so memory stays bounded.
 */
async function scanPosts(folder: string, maxRows = 20_000): Promise<{ source: string; rows: Row[] | null }> {
  const titles = new Map<string, string>();
  const links: { host: string; id: string; slug: string }[] = [];
  let first: Row | null = null;
  let rows = 0;
  let kept: Row[] | null = [];
  let keptChars = 0;
  await readRows(path.join(folder, "Posts.xml"), (r) => {
    rows++;
    if (r.PostTypeId === "1" && r.Id) {
      first ??= r;
      titles.set(r.Id, slugOf(r.Title ?? ""));
    }
    // Every match holds "/q" or "/Q": most bodies have neither, and are not scanned.
    const body = r.Body ?? "";
    if (body.includes("/q") || body.includes("/Q")) for (const m of body.matchAll(SITE_LINK)) links.push({ host: canonicalHost(m[1]!), id: m[2]!, slug: m[3]!.toLowerCase() });
    if (kept) {
      keptChars += r.Body?.length ?? 0;
      if (keptChars > KEPT_BODY_CHARS) kept = null;
      else kept.push(r);
    }
    if (rows < maxRows) return true;
    kept = null; // stopped early (or exactly at the end): the rest, if any, is read by the import
    return false;
  });
  const votes = new Map<string, number>();
  for (const l of links) {
    const t = titles.get(l.id);
    if (t && l.slug.length >= 3 && (t.startsWith(l.slug) || l.slug.startsWith(t))) votes.set(l.host, (votes.get(l.host) ?? 0) + 1);
  }
  const best = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  if (best) return { source: `stackexchange:${best[0]}`, rows: kept };
  const f = first as Row | null;
  if (!f) throw new Error(`No questions in ${path.join(folder, "Posts.xml")}: pass --source to name the site`);
  return { source: `stackexchange:dump-${createHash("sha256").update(`${f.Id}|${f.CreationDate}|${f.Title}`).digest("hex").slice(0, 12)}`, rows: kept };
}

export { siteOfSource };

/** What the import reads of a user: the profile's text (AboutMe and the rest) is never decoded. */
const USER_ATTRIBUTES = new Set(["Id", "DisplayName", "Location"]);

export async function importStackExchange(
  ctx: Pick<Ctx, "db"> & Partial<Pick<Ctx, "clock">> & { env: { DATABASE_URL: string } },
  folder: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const writer = bulkWriterFor(ctx.env.DATABASE_URL);
  try {
    return await importWith(ctx, writer, folder, options);
  } finally {
    await writer.close();
  }
}

async function importWith(ctx: Pick<Ctx, "db"> & Partial<Pick<Ctx, "clock">>, writer: BulkWriter, folder: string, options: ImportOptions): Promise<ImportSummary> {
  const postsFile = path.join(folder, "Posts.xml");
  if (!existsSync(postsFile)) throw new Error(`No Posts.xml in ${folder}`);
  const scanned = options.source ? null : await scanPosts(folder);
  const source = options.source ?? scanned!.source;
  const size = options.batchSize ?? 1_000;
  /** Rows already imported from this dump, by the dump's ids: on the writer's connection when it has one. */
  const find = <C extends string>(table: ImportedTable, ids: readonly string[], columns: readonly C[]): Promise<Record<C, string | null>[]> => {
    if (writer.find) return writer.find(table, source, ids, columns) as Promise<Record<C, string | null>[]>;
    const k = IMPORT_KEYS[table];
    const model = ctx.db[(table[0]!.toLowerCase() + table.slice(1)) as "question"] as unknown as { findMany(args: object): Promise<Record<C, string | null>[]> };
    return inChunks([...ids], (slice) => model.findMany({ where: { [k.source]: source, [k.id]: { in: slice } }, select: Object.fromEntries(columns.map((c) => [c, true])) }));
  };
  const started = Date.now();
  // Rows the dump does not date (placeholders, a post or link without its date) are dated now.
  const clock = ctx.clock ?? systemClock;
  let peakRss = process.memoryUsage().rss;
  const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
  const s: ImportSummary = {
    source,
    questions: { created: 0, existing: 0 },
    answers: { created: 0, existing: 0, orphaned: 0 },
    accepted: 0,
    duplicates: { linked: 0, unresolved: 0, alsoOf: 0 },
    comments: { created: 0, existing: 0, orphaned: 0 },
    users: { placeholders: 0, existing: 0 },
    tags: { created: 0 },
    skippedPosts: 0,
    seconds: 0,
    postsPerSecond: 0,
    peakRssBytes: 0,
  };

  // ── Users.xml: names and places for the placeholder profiles (created only when a post needs one).
  const userInfo = new Map<string, { name: string; location: string }>();
  const usersFile = path.join(folder, "Users.xml");
  if (existsSync(usersFile)) {
    await streamRows(usersFile, 5_000, async (rows) => {
      for (const r of rows) if (r.Id) userInfo.set(r.Id, { name: (r.DisplayName ?? "").slice(0, 100), location: (r.Location ?? "").slice(0, 100) });
      sample();
    }, undefined, USER_ATTRIBUTES);
  }

  // ── People: external user → Atrium profile (placeholders are inactive and have no password).
  const people = new Map<string, string>();
  // Posts by deleted accounts carry only OwnerDisplayName: one placeholder per name.
  const anonNames = new Map<string, string>();
  const externalKey = (r: Row) => {
    if (r.OwnerUserId) return r.OwnerUserId;
    const name = (r.OwnerDisplayName ?? "").trim();
    const key = `name:${name.toLowerCase() || "unknown"}`;
    if (name && !anonNames.has(key)) anonNames.set(key, name);
    return key;
  };
  async function ensurePeople(keys: string[]) {
    const missing = [...new Set(keys)].filter((k) => !people.has(k));
    if (!missing.length) return;
    const found = await find("ImportedIdentity", missing, ["externalId", "userId"]);
    for (const f of found) people.set(f.externalId!, f.userId!);
    s.users.existing += found.length;
    const create = missing.filter((k) => !people.has(k));
    if (!create.length) return;
    const slug = source.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    const now = clock.now();
    const users = create.map((k) => {
      const info = k.startsWith("name:") ? null : userInfo.get(k);
      const name = info?.name || anonNames.get(k) || `Imported user ${k.replace(/^name:/, "")}`;
      return {
        id: randomUUID(),
        email: `${slug}-${k.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}-${randomUUID().slice(0, 8)}@import.invalid`,
        name: name.slice(0, 100),
        location: info?.location ?? "",
        active: false,
        passwordHash: null,
        bio: `Imported from ${siteOfSource(source)}.`,
        createdAt: now,
        updatedAt: now,
      };
    });
    await writer.write([
      { table: "User", rows: users },
      { table: "ImportedIdentity", rows: create.map((k, i) => ({ source, externalId: k, userId: users[i]!.id })) },
    ]);
    create.forEach((k, i) => people.set(k, users[i]!.id));
    s.users.placeholders += create.length;
  }

  // ── Tags through the shared vocabulary (synonyms resolve to skills).
  const tagIds = new Map<string, string>();
  async function ensureTags(names: string[]) {
    const missing = [...new Set(names)].filter((n) => !tagIds.has(n));
    if (!missing.length) return;
    if (writer.resolveTags) {
      const r = await writer.resolveTags(missing, skillLabel);
      for (const [n, id] of r.ids) tagIds.set(n, id);
      s.tags.created += r.created;
      return;
    }
    const before = await ctx.db.skill.count();
    const map = await resolveSkills(ctx.db, missing);
    for (const [n, id] of map) tagIds.set(n, id);
    s.tags.created += (await ctx.db.skill.count()) - before;
  }

  // ── Posts.xml
  const questionIds = new Map<string, string>(); // SE question id → Atrium id
  const answerIds = new Map<string, { id: string; questionId: string }>(); // SE answer id → Atrium ids
  const wantedAccepted = new Map<string, string>(); // SE question id → SE accepted answer id
  const acceptedDone = new Set<string>();
  let posts = 0;
  // Rows the site's detection kept are not read again.
  await (scanned?.rows ? batchesOf(scanned.rows) : streamRows)(
    postsFile,
    size,
    async (rows) => {
      posts += rows.length;
      const qs = rows.filter((r) => r.PostTypeId === "1" && r.Id);
      const as = rows.filter((r) => r.PostTypeId === "2" && r.Id && r.ParentId);
      s.skippedPosts += rows.length - qs.length - as.length;
      await ensurePeople([...qs, ...as].map(externalKey));

      // Questions
      const existingQ = await find("Question", qs.map((r) => r.Id!), ["id", "importId", "acceptedAnswerId"]);
      for (const e of existingQ) {
        questionIds.set(e.importId!, e.id!);
        if (e.acceptedAnswerId) acceptedDone.add(e.importId!);
      }
      s.questions.existing += existingQ.length;
      const newQ = qs.filter((r) => !questionIds.has(r.Id!));
      const tagNames = newQ.map((r) => parseTags(r.Tags));
      await ensureTags(tagNames.flat());
      const qData = newQ.map((r, i) => {
        const body = htmlToRichText(r.Body ?? "");
        const created = seDate(r.CreationDate) ?? clock.now();
        const score = Number.parseInt(r.Score ?? "0", 10) || 0;
        const title = (r.Title ?? "").replace(/\s+/g, " ").trim().slice(0, TITLE_MAX) || "(untitled)";
        return {
          row: r,
          q: {
            id: randomUUID(),
            authorId: people.get(externalKey(r))!,
            title,
            bodyJson: JSON.stringify(body.doc),
            bodyText: body.text,
            score,
            baseScore: score,
            createdAt: created,
            lastActivityAt: seDate(r.LastActivityDate) ?? created,
            editedAt: seDate(r.LastEditDate),
            closedAt: seDate(r.ClosedDate),
            importSource: source,
            importId: r.Id!,
          },
          tagNames: tagNames[i]!,
          tags: [...new Set(tagNames[i]!.map((t) => tagIds.get(t)!))],
        };
      });
      for (const r of qs) if (r.AcceptedAnswerId) wantedAccepted.set(r.Id!, r.AcceptedAnswerId);

      // Answers
      const existingA = new Set<string>();
      {
        for (const a of await find("Answer", as.map((r) => r.Id!), ["id", "questionId", "importId"])) {
          existingA.add(a.importId!);
          answerIds.set(a.importId!, { id: a.id!, questionId: a.questionId! });
        }
      }
      s.answers.existing += existingA.size;
      // Parents created in this same batch count too.
      for (const d of qData) questionIds.set(d.row.Id!, d.q.id);
      const newA = as.filter((r) => !existingA.has(r.Id!));
      const aData: { id: string; questionId: string; authorId: string; bodyJson: string; bodyText: string; score: number; baseScore: number; createdAt: Date; editedAt: Date | null; acceptedAt: Date | null; importSource: string; importId: string }[] = [];
      const accepts: { questionId: string; answerId: string }[] = [];
      for (const r of newA) {
        const parent = questionIds.get(r.ParentId!);
        if (!parent) {
          s.answers.orphaned++;
          continue;
        }
        const body = htmlToRichText(r.Body ?? "");
        const created = seDate(r.CreationDate) ?? clock.now();
        const score = Number.parseInt(r.Score ?? "0", 10) || 0;
        const isAccepted = wantedAccepted.get(r.ParentId!) === r.Id && !acceptedDone.has(r.ParentId!);
        const id = randomUUID();
        aData.push({
          id,
          questionId: parent,
          authorId: people.get(externalKey(r))!,
          bodyJson: JSON.stringify(body.doc),
          bodyText: body.text,
          score,
          baseScore: score,
          createdAt: created,
          editedAt: seDate(r.LastEditDate),
          // The dumps do not record when an answer was accepted; its creation stands in.
          acceptedAt: isAccepted ? created : null,
          importSource: source,
          importId: r.Id!,
        });
        answerIds.set(r.Id!, { id, questionId: parent });
        if (isAccepted) {
          accepts.push({ questionId: parent, answerId: id });
          acceptedDone.add(r.ParentId!);
        }
      }

      const ops: BulkBatch[] = [];
      if (qData.length) {
        ops.push({ table: "Question", rows: qData.map((d) => d.q) });
        ops.push({ table: "QuestionTag", rows: qData.flatMap((d) => d.tags.map((skillId) => ({ questionId: d.q.id, skillId }))) });
        ops.push({
          table: "PostRevision",
          rows: qData.map((d) => ({
              id: randomUUID(),
              questionId: d.q.id,
              number: 1,
              authorId: d.q.authorId,
              title: d.q.title,
              tags: JSON.stringify(d.tagNames),
              bodyJson: d.q.bodyJson,
              bodyText: d.q.bodyText,
              summary: `Imported from ${siteOfSource(source)}`,
              createdAt: d.q.createdAt,
            })),
        });
      }
      if (aData.length) {
        ops.push({ table: "Answer", rows: aData });
        ops.push({
          table: "PostRevision",
          rows: aData.map((a) => ({ id: randomUUID(), answerId: a.id, number: 1, authorId: a.authorId, bodyJson: a.bodyJson, bodyText: a.bodyText, summary: `Imported from ${siteOfSource(source)}`, createdAt: a.createdAt })),
        });
        // Answer counts and accepted answers are set in one statement each at the end.
      }
      if (ops.length) await writer.write(ops);
      s.questions.created += qData.length;
      s.answers.created += aData.length;
      s.accepted += accepts.length;
      sample();
    },
    (read, total, seen) => options.onProgress?.({ file: "Posts.xml", bytesRead: read, bytesTotal: total, posts: seen }),
  );

  // ── PostLinks.xml: LinkTypeId 3 = PostId duplicates RelatedPostId. A question closed as a
  // duplicate of several keeps one: the earliest link (then the lowest id), the same on every run.
  const linksFile = path.join(folder, "PostLinks.xml");
  if (existsSync(linksFile)) {
    const chosen = new Map<string, { original: string; at: Date | null; rank: string }>();
    let dupLinks = 0;
    await streamRows(linksFile, 5_000, async (rows) => {
      for (const r of rows) {
        if (r.LinkTypeId !== "3" || !r.PostId || !r.RelatedPostId || r.PostId === r.RelatedPostId) continue;
        const at = seDate(r.CreationDate);
        const rank = `${at?.toISOString() ?? "9999"}|${r.RelatedPostId.padStart(12, "0")}`;
        const prev = chosen.get(r.PostId);
        dupLinks++;
        if (!prev || rank < prev.rank) chosen.set(r.PostId, { original: r.RelatedPostId, at, rank });
      }
    });
    s.duplicates.alsoOf = dupLinks - chosen.size;
    const ids = [...new Set([...chosen].flatMap(([dup, c]) => [dup, c.original]))].filter((id) => !questionIds.has(id));
    for (const q of await find("Question", ids, ["id", "importId"])) {
      questionIds.set(q.importId!, q.id!);
    }
    const targets = [...chosen]
      .map(([dup, c]) => ({ dup: questionIds.get(dup), original: questionIds.get(c.original), at: c.at }))
      .filter((t) => {
        const ok = !!t.dup && !!t.original;
        if (!ok) s.duplicates.unresolved++;
        return ok;
      });
    if (writer.runEach) {
      // The same rule in one statement per link: skipped when already linked there, a closing time kept.
      s.duplicates.linked += await writer.runEach(
        `UPDATE "Question" SET "duplicateOfId" = ?, "closedAt" = COALESCE("closedAt", ?) WHERE "id" = ? AND ("duplicateOfId" IS NULL OR "duplicateOfId" <> ?)`,
        targets.map((t) => [t.original!, t.at ?? clock.now(), t.dup!, t.original!]),
      );
    } else {
      const current = new Map(
        (await inChunks(targets.map((t) => t.dup!), (slice) => ctx.db.question.findMany({ where: { id: { in: slice } }, select: { id: true, duplicateOfId: true, closedAt: true } }))).map(
          (q) => [q.id, q],
        ),
      );
      const changed = targets.filter((t) => current.get(t.dup!)?.duplicateOfId !== t.original);
      for (let i = 0; i < changed.length; i += 500)
        await importTransaction(ctx.db, async (tx) => {
          for (const t of changed.slice(i, i + 500))
            await tx.question.update({ where: { id: t.dup! }, data: { duplicateOfId: t.original!, closedAt: current.get(t.dup!)?.closedAt ?? t.at ?? clock.now() } });
        });
      s.duplicates.linked += changed.length;
    }
  }

  // ── Comments.xml: on a question or on an answer; plain text, cut to the comment limit.
  const commentsFile = path.join(folder, "Comments.xml");
  if (existsSync(commentsFile)) {
    await streamRows(commentsFile, size, async (rows) => {
      const valid = rows.filter((r) => r.Id && r.PostId && r.Text);
      const existing = new Set((await find("QaComment", valid.map((r) => r.Id!), ["importId"])).map((c) => c.importId!));
      s.comments.existing += existing.size;
      const placed = valid.filter((r) => {
        if (existing.has(r.Id!)) return false;
        if (questionIds.has(r.PostId!) || answerIds.has(r.PostId!)) return true;
        s.comments.orphaned++;
        return false;
      });
      const key = (r: Row) => (r.UserId ? r.UserId : `name:${(r.UserDisplayName ?? "").trim().toLowerCase() || "unknown"}`);
      for (const r of placed) if (!r.UserId && r.UserDisplayName && !anonNames.has(key(r))) anonNames.set(key(r), r.UserDisplayName.trim());
      await ensurePeople(placed.map(key));
      const data = [];
      for (const r of placed) {
        const onQuestion = questionIds.get(r.PostId!);
        const onAnswer = onQuestion ? undefined : answerIds.get(r.PostId!);
        data.push({
          id: randomUUID(),
          questionId: onQuestion ?? onAnswer!.questionId,
          answerId: onAnswer?.id ?? null,
          authorId: people.get(key(r))!,
          body: r.Text!.replace(/\s+/g, " ").trim().slice(0, COMMENT_MAX),
          createdAt: seDate(r.CreationDate) ?? clock.now(),
          importSource: source,
          importId: r.Id!,
        });
      }
      if (data.length) await writer.write([{ table: "QaComment", rows: data }]);
      s.comments.created += data.length;
      sample();
    });
  }

  // Counters and acceptance from what is now stored (one statement each, correct on re-runs too).
  // Only rows whose value changes are written: a question rewritten with the same values still
  // costs its whole row (body included) and, for acceptance, its dashboard fact's trigger.
  const liveAnswers = `(SELECT COUNT(*) FROM "Answer" a WHERE a."questionId" = "Question"."id" AND a."deletedAt" IS NULL)`;
  const answerCount = `UPDATE "Question" SET "answerCount" = ${liveAnswers} WHERE "importSource" = ? AND "answerCount" <> ${liveAnswers}`;
  const acceptedAnswer = `FROM "Answer" a WHERE a."questionId" = "Question"."id" AND a."acceptedAt" IS NOT NULL AND a."deletedAt" IS NULL`;
  const accepted = `UPDATE "Question" SET "acceptedAnswerId" = (SELECT a."id" ${acceptedAnswer} LIMIT 1) WHERE "importSource" = ? AND "acceptedAnswerId" IS NULL AND EXISTS (SELECT 1 ${acceptedAnswer})`;
  if (writer.runEach) {
    await writer.runEach(answerCount, [[source]]);
    await writer.runEach(accepted, [[source]]);
  } else {
    await ctx.db.$executeRawUnsafe(numberPlaceholders(answerCount), source);
    await ctx.db.$executeRawUnsafe(numberPlaceholders(accepted), source);
  }

  s.seconds = (Date.now() - started) / 1000;
  s.postsPerSecond = posts / Math.max(s.seconds, 0.001);
  s.peakRssBytes = sample();
  return s;
}
