/**
 * A real SMTP server in the process (smtp-server) that accepts every message on loopback. Used
 * by `npm start` when SMTP_URL is unset (messages saved as .eml files under MAIL_DIR) and by the
 * tests (which read the raw message back with mailparser).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { SMTPServer } from "smtp-server";

export interface SinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface MailSink {
  port: number;
  /** smtp://127.0.0.1:<port> — what SMTP_URL would be. */
  url: string;
  messages: SinkMessage[];
  close(): Promise<void>;
}

/** Messages saved within this window are announced in one line, so a burst of digests does not flood the console. */
const LOG_BATCH_MS = 2_000;

export async function startMailSink(opts: { dir?: string; log?: (line: string) => void } = {}): Promise<MailSink> {
  const messages: SinkMessage[] = [];
  let batch: { to: string; file: string }[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  const flush = () => {
    flushTimer = null;
    const [first] = batch;
    if (!first) return;
    opts.log?.(
      batch.length === 1
        ? `[mail] to ${first.to} → ${first.file}`
        : `[mail] ${batch.length} messages (to ${first.to} and ${batch.length - 1} more) → ${path.dirname(first.file)}/`,
    );
    batch = [];
  };
  const announce = (to: string, file: string) => {
    batch.push({ to, file });
    flushTimer ??= setTimeout(flush, LOG_BATCH_MS);
  };
  if (opts.dir) await mkdir(opts.dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    banner: "Atrium development mail sink",
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const msg: SinkMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        };
        messages.push(msg);
        if (messages.length > 500) messages.shift();
        try {
          if (opts.dir) {
            const file = path.join(opts.dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${msg.to[0]?.replace(/[^a-z0-9@._-]/gi, "_") ?? "unknown"}.eml`);
            await writeFile(file, msg.raw);
            announce(msg.to.join(", "), file);
          }
          done();
        } catch (err) {
          done(err as Error);
        }
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const addr = server.server.address();
      resolve(typeof addr === "object" && addr ? addr.port : 0);
    });
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => {
      if (flushTimer) clearTimeout(flushTimer);
      flush();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
