// Prisma CLI configuration. Prisma 6's classic schema engine is a binary fetched from Prisma's
// servers, unreachable here; the JS engine with the better-sqlite3 adapter runs migrate offline.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// This configuration is SQLite's; a postgresql:// DATABASE_URL is served by prisma/postgresql/prisma.config.ts
// and server/cli/migrate.ts (decision 120), so here it falls back to the default file.
const fromEnv = process.env.DATABASE_URL;
const url = fromEnv && !/^postgres(ql)?:\/\//i.test(fromEnv) ? fromEnv : "file:./data/atrium.db";
process.env.DATABASE_URL = url;
// SQLite creates the file but not its folder: on a fresh clone data/ does not exist yet.
mkdirSync(path.dirname(url.replace(/^file:/, "").replace(/\?.*$/, "")), { recursive: true });

export default defineConfig({
  experimental: { adapter: true },
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  engine: "js",
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
