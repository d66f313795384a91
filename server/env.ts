import { z } from "zod";

/** Environment is validated once at start; a bad value stops the process with a clear message. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number({ invalid_type_error: "must be a port number, e.g. 3000" }).int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .default("file:./data/atrium.db")
    .refine((v) => v.startsWith("file:"), "must be a SQLite URL such as file:./data/atrium.db"),
  UPLOAD_DIR: z.string().default("./data/uploads"),
  SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  COOKIE_SECURE: z
    .enum(["true", "false", "auto"])
    .default("auto")
    .describe("true behind HTTPS; auto = true when NODE_ENV=production"),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** How often missed insight SLAs are looked for (issue 5). Breaches are marked within this delay. */
  INSIGHT_SLA_SWEEP_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  // Q&A (issue 4): how many colleagues a new question is routed to, and how fast answers age.
  QA_ROUTE_TOP_N: z.coerce.number({ invalid_type_error: "must be a whole number, e.g. 3" }).int().min(0).max(50).default(3),
  QA_EXPERTISE_HALF_LIFE_DAYS: z.coerce.number().min(1).max(3650).default(180),
});

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Atrium cannot start: invalid environment\n${lines.join("\n")}`);
  }
  return result.data;
}

export class EnvError extends Error {}
