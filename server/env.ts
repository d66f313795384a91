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
  // ── Documents (issue 3) ──
  DOC_FILES_DIR: z.string().default("./data/doc-files"),
  DOC_LOG_SYNC: z.enum(["normal", "full"]).default("normal").describe("full = fsync every group commit (survives power loss)"),
  DOC_MAX_UPDATE_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(2_000_000),
  DOC_COMPACT_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(500),
  DOC_SETTLE_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
  DOC_REVISION_IDLE_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  DOC_REVISION_MAX_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  DOC_ROOM_IDLE_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
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
