/**
 * npm run import:stackexchange -- <folder> [--source <name>]
 *
 * Imports Posts.xml (+ Users.xml, PostLinks.xml, Comments.xml when present) from a Stack Exchange–format dump
 * into the database named by DATABASE_URL. Shows a progress bar on stderr and prints a summary.
 * A running Atrium builds its search indexes at start: restart it to search imported questions.
 */
import { createDb, tuneSqlite } from "../db.js";
import { EnvError, parseEnv } from "../env.js";
import { importStackExchange, type ImportProgress } from "./stackexchange.js";

function progressBar() {
  const tty = process.stderr.isTTY;
  const t0 = Date.now();
  let lastDecile = -1;
  return (p: ImportProgress) => {
    const share = p.bytesTotal ? p.bytesRead / p.bytesTotal : 1;
    const rate = Math.round(p.posts / Math.max((Date.now() - t0) / 1000, 0.001));
    const line = `${p.file} [${"#".repeat(Math.round(share * 30)).padEnd(30, "-")}] ${(share * 100).toFixed(0).padStart(3)}%  ${p.posts.toLocaleString("en")} posts  ${rate.toLocaleString("en")} posts/s`;
    if (tty) process.stderr.write(`\r${line}`);
    else if (Math.floor(share * 10) > lastDecile) {
      lastDecile = Math.floor(share * 10);
      process.stderr.write(`${line}\n`);
    }
  };
}

async function main() {
  const args = process.argv.slice(2);
  const folder = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--source");
  const sourceAt = args.indexOf("--source");
  const source = sourceAt >= 0 ? args[sourceAt + 1] : undefined;
  if (!folder) {
    console.error("Usage: npm run import:stackexchange -- <folder with Posts.xml> [--source <name>]");
    process.exit(2);
  }
  const env = parseEnv();
  const db = await createDb(env.DATABASE_URL);
  await tuneSqlite(db);
  try {
    const s = await importStackExchange({ db, env }, folder, { source, onProgress: progressBar() });
    if (process.stderr.isTTY) process.stderr.write("\n");
    const mb = (s.peakRssBytes / 1024 / 1024).toFixed(0);
    console.log(
      [
        `Imported from ${s.source} in ${s.seconds.toFixed(1)} s (${Math.round(s.postsPerSecond).toLocaleString("en")} posts/s, peak memory ${mb} MB):`,
        `  questions: ${s.questions.created} new, ${s.questions.existing} already imported`,
        `  answers:   ${s.answers.created} new, ${s.answers.existing} already imported, ${s.answers.orphaned} without their question`,
        `  accepted answers: ${s.accepted}`,
        `  duplicates linked: ${s.duplicates.linked}${s.duplicates.unresolved ? ` (${s.duplicates.unresolved} links to posts not in the dump)` : ""}`,
        `  comments:  ${s.comments.created} new, ${s.comments.existing} already imported, ${s.comments.orphaned} on posts not in the dump`,
        `  people: ${s.users.placeholders} placeholder profiles created (inactive, no password), ${s.users.existing} already mapped`,
        `  tags: ${s.tags.created} new in the skills vocabulary`,
        `  other posts skipped (wiki, etc.): ${s.skippedPosts}`,
        "Restart Atrium to include the imported questions in search and expert routing.",
      ].join("\n"),
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
