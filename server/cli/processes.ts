/**
 * Child processes for running several instances on one machine: free ports, waiting for a line of
 * output, and a private Redis (tests restart it without touching the machine's shared one).
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A port nothing listens on right now (the OS picks it; a program that cannot bind port 0 itself gets it). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  process: ChildProcess;
  name: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `re` in its output (past or future); rejects if it exits first. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export function startChild(name: string, command: string, args: string[], opts: SpawnOptions & { echo?: (line: string) => void } = {}): Child {
  const { echo, ...spawnOpts } = opts;
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...spawnOpts });
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    const text = d.toString();
    out += text;
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    if (echo) for (const line of text.split("\n").filter(Boolean)) echo(`[${name}] ${line}`);
    for (const l of listeners) l();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (err) => {
      out += `\n${err.message}`;
      resolve({ code: -1, signal: null });
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    process: child,
    name,
    output: () => out,
    exited,
    alive,
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (!m) return;
          done();
          resolve(m);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name}: no ${re} within ${timeoutMs} ms. Output:\n${out.slice(-4000)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(({ code, signal }) => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`${name} exited (${code ?? signal}) before printing ${re}. Output:\n${out.slice(-4000)}`));
        });
        check();
      });
    },
    async stop(signal = "SIGTERM", graceMs = 15_000) {
      if (!alive()) return void (await exited);
      child.kill(signal);
      const timer = setTimeout(() => alive() && child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A Redis of one's own on a free port, without persistence; `restart()` keeps its port. */
export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startPrivateRedis(opts: { password?: string } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-redis-"));
  let child: Child | null = null;
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
  if (opts.password) args.push("--requirepass", opts.password);
  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : "";
  const start = async () => {
    child = startChild(`redis:${port}`, "redis-server", args);
    await child.waitFor(/Ready to accept connections/, 20_000);
  };
  const stop = async () => {
    await child?.stop("SIGTERM");
    child = null;
  };
  await start();
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
