/**
 * Directory import from the command line:
 *
 *   npm run import:people -- people.csv [--dry-run] [--deactivate-missing] [--as admin@example.com] [--max-mb 1024]
 *
 * Reads the file as a stream, prints a progress bar on stderr, then the per-row errors (nothing is
 * written when there are any) or what changed. Acts as, and is audited under, an admin account:
 * --as, or the longest-standing active admin.
 */
import { stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { parseArgs } from "node:util";
import { createAtrium } from "../atrium.js";
import { EnvError, parseEnv } from "../env.js";
import type { ImportReport } from "../domain/directory-import.js";
import { withRequestMeta } from "../request-meta.js";
import type { Actor, Role } from "../policy.js";

const USAGE = "Usage: npm run import:people -- <file.csv> [--dry-run] [--deactivate-missing] [--as admin@example.com] [--max-mb N]";

export function progressBar(label: string, done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  const count = total > 0 && label !== "reading" ? `${done.toLocaleString("en-GB")}/${total.toLocaleString("en-GB")}` : `${(done / 1024 / 1024).toFixed(1)} MB`;
  return `${label.padEnd(9)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${count}`;
}

function printReport(r: ImportReport, out: (s: string) => void) {
  for (const e of r.fileErrors) out(`✗ ${e}`);
  if (r.rowErrors.length) {
    out(`✗ ${r.errorCount} row${r.errorCount === 1 ? "" : "s"} with errors:`);
    for (const e of r.rowErrors.slice(0, 200)) out(`  line ${e.line}${e.email ? ` (${e.email})` : ""}: ${e.messages.join(" ")}`);
    if (r.rowErrors.length > 200) out(`  … and ${r.rowErrors.length - 200} more`);
  }
  const t = r.totals;
  out(`${t.rows.toLocaleString("en-GB")} rows: ${t.create} to create, ${t.update} to update, ${t.unchanged} unchanged, ${t.skipped} skipped (deactivated), ${t.deactivate} to deactivate`);
  if (r.newDepartments.length) out(`New departments: ${r.newDepartments.join(", ")}`);
  if (r.newTeams.length) out(`New teams: ${r.newTeams.slice(0, 50).join(", ")}${r.newTeams.length > 50 ? ", …" : ""}`);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "dry-run": { type: "boolean", default: false },
      "deactivate-missing": { type: "boolean", default: false },
      as: { type: "string" },
      "max-mb": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const file = positionals[0];
  const size = (await stat(file).catch(() => null))?.size;
  if (size === undefined) {
    console.error(`Cannot read ${file}.`);
    process.exit(2);
  }
  const env = parseEnv({ ATRIUM_DEMO_BANNER: "0", ...process.env });
  const maxBytes = values["max-mb"] ? Number(values["max-mb"]) * 1024 * 1024 : Math.max(env.IMPORT_MAX_BYTES, 1024 * 1024 * 1024);
  const atrium = await createAtrium({ env, withPages: false });
  const tty = process.stderr.isTTY;
  let lastDraw = 0;
  const draw = (line: string, force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
  try {
    const admin = await atrium.db.user.findFirst({
      where: { role: "admin", active: true, ...(values.as ? { email: values.as.toLowerCase() } : {}) },
      orderBy: { createdAt: "asc" },
      select: { id: true, role: true, departmentId: true, email: true },
    });
    if (!admin) throw new Error(values.as ? `${values.as} is not an active admin.` : "There is no active admin to import as; pass --as.");
    const actor: Actor = { id: admin.id, role: admin.role as Role, departmentId: admin.departmentId, active: true };
    console.error(`Importing ${file} (${(size / 1024 / 1024).toFixed(1)} MB) as ${admin.email}${values["dry-run"] ? " — dry run" : ""}`);
    const started = Date.now();
    const opts = {
      deactivateMissing: values["deactivate-missing"],
      maxBytes,
      totalBytes: size,
      onProgress: (p: { phase: string; done: number; total: number }) => draw(progressBar(p.phase, p.done, p.phase === "reading" ? size : p.total), p.done === p.total),
    };
    const out = (s: string) => console.log(s);
    await withRequestMeta({ ip: "cli", userAgent: `atrium import:people (${process.env.USER ?? "unknown user"})` }, async () => {
      if (values["dry-run"]) {
        const report = await atrium.domain.directoryImport.previewImport(actor, createReadStream(file), opts);
        if (tty) process.stderr.write("\n");
        printReport(report, out);
        process.exitCode = report.ok ? 0 : 1;
        return;
      }
      try {
        const { report, result } = await atrium.domain.directoryImport.commitImport(actor, createReadStream(file), opts);
        if (tty) process.stderr.write("\n");
        printReport(report, out);
        out(`✓ Imported in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.deactivated} deactivated.`);
      } catch (e) {
        if (tty) process.stderr.write("\n");
        const report = (e as { report?: ImportReport }).report;
        if (report) printReport(report, out);
        else out(`✗ ${(e as Error).message}`);
        out("Nothing was imported.");
        process.exitCode = 1;
      }
    });
  } finally {
    await atrium.close();
  }
}

main().catch((err) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
