// Prisma CLI configuration for the PostgreSQL client (decision 120). Used by `npm run db:generate`
// (scripts/prisma-postgres.mjs derives schema.prisma here from prisma/schema.prisma) and by
// `prisma migrate diff` when writing a PostgreSQL migration. Migrations are applied by
// scripts/migrate.mjs (decision 121), not by `prisma migrate deploy`.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// The CLI validates the datasource URL against the provider even when it never connects.
if (!/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "")) process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/atrium";

const url = process.env.DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPg({ connectionString: url }),
  schema: "schema.prisma",
  migrations: { path: "migrations" },
});
