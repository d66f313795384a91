import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { postgresSchema } from "../../../scripts/prisma-postgres.mjs";

const ROOT = path.resolve(import.meta.dirname, "../../..");

test("the PostgreSQL schema is the source model with only the provider and client folder changed, and is up to date", () => {
  const source = readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8");
  const generated = readFileSync(path.join(ROOT, "prisma/postgresql/schema.prisma"), "utf8");
  // Committed file = what the script derives now (edit prisma/schema.prisma, then `npm run db:generate`).
  expect(generated).toBe((postgresSchema as (s: string) => string)(source));
  expect(generated).toMatch(/datasource db \{\s*provider = "postgresql"/);
  expect(generated).toContain('output       = "../../server/generated/prisma-pg"');
  // Every model of the source is there, field for field.
  const models = (t: string) => t.slice(t.search(/^model /m)).trim();
  expect(models(generated)).toBe(models(source));
});
