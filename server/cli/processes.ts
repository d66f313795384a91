/**
 * Child processes for running several instances on one machine: free ports, waiting for a line of
 * output, and a private Redis (tests restart it without touching the machine's shared one).
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * `n` distinct ports nothing listens on right now (the OS picks them; for programs that cannot
 * bind port 0 themselves). All are held until the last is found, so no two are the same.
 */
export async function freePorts(n: number, host = "127.0.0.1"): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once("error", reject);
        srv.listen(0, host, () => resolve());
      });
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

export const freePort = async (host = "127.0.0.1") => (await freePorts(1, host))[0]!;

/**
 * Children started here. Detached ones (own process group, so a terminal's Ctrl-C reaches only the
 * parent, which stops them in order) would outlive a parent that dies: they are killed on its exit.
 */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

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

export function startChild(
  name: string,
  command: string,
  args: string[],
  opts: SpawnOptions & { echo?: (line: string) => void; echoUnless?: RegExp } = {},
): Child {
  const { echo, echoUnless, ...spawnOpts } = opts;
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...spawnOpts });
  if (child.pid) running.add(child);
  child.once("exit", () => running.delete(child));
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    const text = d.toString();
    out += text;
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    if (echo) for (const line of text.split("\n").filter((l) => l && !echoUnless?.test(l))) echo(`[${name}] ${line}`);
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

/**
 * A Redis of one's own, without persistence. Its clients connect to a port held for its whole life
 * (see holdPort); `stop()` and `restart()` never free that port for another process to take.
 */
export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startPrivateRedis(opts: { password?: string } = {}): Promise<PrivateRedis> {
  const held = await holdPort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-redis-"));
  let child: Child | null = null;
  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : "";
  const start = async () => {
    // Where Redis itself listens is new at each start: only the held port is ever reused. Another
    // process may take a free port before Redis binds it; then Redis exits, and a new port is tried.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
      if (opts.password) args.push("--requirepass", opts.password);
      child = startChild(`redis:${held.port}`, "redis-server", args, { env: realClockEnv() });
      try {
        await child.waitFor(/Ready to accept connections/, 20_000);
        held.forwardTo(port);
        return;
      } catch (err) {
        await child.stop("SIGKILL");
        child = null;
        if (attempt === 3) throw err;
      }
    }
  };
  const stop = async () => {
    held.forwardTo(null);
    await child?.stop("SIGTERM");
    child = null;
  };
  try {
    await start();
  } catch (err) {
    await held.close();
    throw err;
  }
  return {
    url: `redis://${auth}127.0.0.1:${held.port}`,
    port: held.port,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async close() {
      await stop();
      await held.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The environment without libfaketime: Redis keeps the machine's real clock, as the shared Redis
 * and PostgreSQL services do when tests run with the clock moved (tests/on-date.sh); libfaketime
 * cannot start redis-server anyway (it recurses into clock_gettime while the allocator starts).
 */
export function realClockEnv(from: Record<string, string | undefined> = process.env): NodeJS.ProcessEnv {
  const env = { ...from } as NodeJS.ProcessEnv;
  const preload = (env.LD_PRELOAD ?? "").split(/[:\s]+/).filter((lib) => lib && !lib.includes("faketime"));
  if (preload.length) env.LD_PRELOAD = preload.join(":");
  else delete env.LD_PRELOAD;
  for (const key of Object.keys(env)) if (key.startsWith("FAKETIME")) delete env[key];
  return env;
}

/**
 * A port on 127.0.0.1 kept listening until close(): each connection is piped to the port given to
 * forwardTo(), or closed at once while that is null (the service is down: clients see a refusal
 * and retry, as they would against a stopped server). forwardTo() drops the connections piped so far.
 */
export async function holdPort(): Promise<{ port: number; forwardTo(port: number | null): void; close(): Promise<void> }> {
  let target: number | null = null;
  const open = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    open.add(s);
    s.once("close", () => open.delete(s));
  };
  const dropAll = () => {
    for (const s of open) s.destroy();
  };
  const server = net.createServer((client) => {
    if (target === null) return void client.destroy();
    const upstream = net.connect(target, "127.0.0.1");
    track(client);
    track(upstream);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    forwardTo(port) {
      target = port;
      dropAll();
    },
    async close() {
      target = null;
      dropAll();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
