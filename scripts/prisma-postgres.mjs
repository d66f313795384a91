#!/usr/bin/env node
/**
 * Derives the PostgreSQL Prisma schema from the one model, prisma/schema.prisma (decision 120).
 *
 *   node scripts/prisma-postgres.mjs           writes prisma/postgresql/schema.prisma
 *   node scripts/prisma-postgres.mjs --check   exits 1 when that file is not what the source gives
 *
 * Only the datasource provider and the generated client's folder change: the model itself is
 * written to be portable (no SQLite-only types), so both databases hold the same columns.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "prisma/schema.prisma");
const target = path.join(root, "prisma/postgresql/schema.prisma");

export function postgresSchema(text) {
  const swaps = [
    [/(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"'],
    [/(generator client \{[^}]*output\s*=\s*)"\.\.\/server\/generated\/prisma"/, '$1"../../server/generated/prisma-pg"'],
  ];
  let out = text;
  for (const [re, to] of swaps) {
    if (!re.test(out)) throw new Error(`prisma/schema.prisma no longer matches ${re}: update scripts/prisma-postgres.mjs`);
    out = out.replace(re, to);
  }
  const header =
    "// GENERATED from prisma/schema.prisma by scripts/prisma-postgres.mjs — do not edit; edit the source and\n" +
    "// run `npm run db:generate`. Same model, PostgreSQL provider, client in server/generated/prisma-pg.\n\n";
  return header + out;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const want = postgresSchema(readFileSync(source, "utf8"));
  if (process.argv.includes("--check")) {
    let have = "";
    try {
      have = readFileSync(target, "utf8");
    } catch {}
    if (have !== want) {
      console.error("prisma/postgresql/schema.prisma is out of date: run `node scripts/prisma-postgres.mjs`");
      process.exit(1);
    }
  } else {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, want);
  }
}
