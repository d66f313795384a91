/**
 * Several Atrium instances behind HAProxy on one machine (decisions 130–132).
 *
 * `startCluster()` builds if the bundle is missing or older than the sources, prepares the database
 * once (migrations + the demo seed, through the same npm scripts as `npm start`), starts `size`
 * instances of the bundled server on internal ports with the caller's DATABASE_URL / REDIS_URL,
 * waits until each one's `/readyz` answers 200, writes an HAProxy configuration into a temporary
 * folder and starts HAProxy in front of them. `npm run start:cluster` (server/cli/start-cluster.ts)
 * and the multi-instance tests (tests/cluster/) both start it through here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePorts, startChild, type Child } from "./processes.js";
import { haproxyConfig, type BackendServer } from "./haproxy-config.js";
import { SERVER_NODE_FLAGS } from "../infra/heap.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ClusterOptions {
  /** How many instances (default 3). */
  size?: number;
  /** The balancer's port (0 = a free one). */
  port?: number;
  /** Address the balancer listens on (default 0.0.0.0, like a single instance). */
  host?: string;
  /** Internal ports of the instances; default: free ones. They keep their port across restarts. */
  instancePorts?: number[];
  /** Environment of every instance (DATABASE_URL, REDIS_URL, …), over process.env. */
  env?: Record<string, string | undefined>;
  /** Per-instance additions, by index. */
  instanceEnv?: (index: number) => Record<string, string>;
  /** "if-needed" (default): build when the bundle is missing or older than server/ or app/. */
  build?: "if-needed" | "always" | "never";
  /** Run migrations and the seed before starting (default true). */
  prepareDatabase?: boolean;
  /** Each line a child prints, prefixed with its name (default: nothing). */
  echo?: (line: string) => void;
  /** Log lines of the cluster script itself. */
  log?: (line: string) => void;
  /** Where HAProxy's statistics page listens (127.0.0.1 only); 0 = a free port (default), null = none. */
  statsPort?: number | null;
}

export interface Instance {
  name: string;
  port: number;
  url: string;
  child: Child;
}

export interface Cluster {
  url: string;
  port: number;
  statsUrl: string | null;
  instances: Instance[];
  haproxy: Child;
  configFile: string;
  /** Starts instance `i` again on its port (after a kill); resolves when it is ready. */
  restart(i: number): Promise<Instance>;
  /** Each server's state as HAProxy sees it ("UP", "DOWN", "MAINT", …) by instance name. */
  serverStates(): Promise<Record<string, string>>;
  /** SIGTERM to every instance (they drain), then HAProxy; resolves once all have exited. */
  stop(): Promise<void>;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const size = opts.size ?? 3;
  const log = opts.log ?? (() => {});
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  env.DATABASE_URL ??= "file:./data/atrium.db";

  if (!haproxyPath()) {
    throw new Error("HAProxy is not installed: `apt-get install haproxy` (Debian/Ubuntu) or see https://www.haproxy.org/.");
  }
  const build = opts.build ?? "if-needed";
  if (build === "always" || (build === "if-needed" && bundleOutdated())) {
    log("Building (npm run build)…");
    // A production build whatever NODE_ENV the instances get (a test build would compile development JSX).
    run("npm", ["run", "build"], { ...env, NODE_ENV: "production" });
  }
  if (opts.prepareDatabase ?? true) {
    log(`Preparing the database (${describeDatabase(env.DATABASE_URL)}): migrations, then the demo seed (once)…`);
    run("npm", ["run", "--silent", "db:migrate"], env);
    run("npm", ["run", "--silent", "db:seed"], env);
  }

  // Every port this cluster needs is picked at once, so none is handed out twice.
  const picked = await freePorts(size + 2);
  const ports = opts.instancePorts ?? picked.slice(0, size);
  if (ports.length !== size) throw new Error(`${size} instances need ${size} ports, got ${ports.length}`);
  const port = opts.port || picked[size]!;
  const host = opts.host ?? "0.0.0.0";
  const statsPort = opts.statsPort === null ? null : opts.statsPort || picked[size + 1]!;

  const instanceEnv = (i: number): Record<string, string | undefined> => ({
    ...env,
    PORT: String(ports[i]),
    HOST: "127.0.0.1",
    // HAProxy on this machine is the hop whose X-Forwarded-For names the client.
    TRUST_PROXY: env.TRUST_PROXY || "loopback",
    APP_URL: env.APP_URL || `http://localhost:${port}`,
    ATRIUM_DEMO_BANNER: "0",
    INSTANCE_ID: `a${i + 1}`,
    ...opts.instanceEnv?.(i),
  });
  const startInstance = async (i: number): Promise<Instance> => {
    const name = `a${i + 1}`;
    const child = startChild(name, process.execPath, [...SERVER_NODE_FLAGS, "build/server/index.js"], { cwd: ROOT, env: instanceEnv(i) as NodeJS.ProcessEnv, echo: opts.echo, detached: true });
    await child.waitFor(/serving on http:\/\/localhost:\d+/, 120_000);
    const url = `http://127.0.0.1:${ports[i]}`;
    await untilReady(`${url}/readyz`, child);
    return { name, port: ports[i]!, url, child };
  };

  const instances: Instance[] = [];
  const stopAll = async () => {
    await Promise.all(instances.map((inst) => inst.child.stop("SIGTERM", 20_000)));
  };
  try {
    // One at a time: each runs its start-up checks on the database before serving.
    for (let i = 0; i < size; i++) instances.push(await startInstance(i));
  } catch (err) {
    await stopAll();
    throw err;
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-cluster-"));
  const configFile = path.join(dir, "haproxy.cfg");
  const servers: BackendServer[] = instances.map((inst) => ({ name: inst.name, host: "127.0.0.1", port: inst.port }));
  writeFileSync(configFile, haproxyConfig({ host, port, servers, statsPort }));
  const haproxy = startChild("haproxy", haproxyPath()!, ["-db", "-f", configFile], {
    cwd: dir,
    echo: opts.echo,
    // With -db, HAProxy prints its warnings to stderr besides logging them: the log line is enough.
    echoUnless: /^\[(WARNING|NOTICE)\]/,
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await untilReady(`${url}/healthz`, haproxy);
  } catch (err) {
    await stopAll();
    await haproxy.stop("SIGTERM");
    throw err;
  }
  const statsUrl = statsPort === null ? null : `http://127.0.0.1:${statsPort}/`;

  const serverStates = async (): Promise<Record<string, string>> => {
    if (!statsUrl) throw new Error("started without a statistics page");
    const csv = await (await fetch(`${statsUrl};csv`)).text();
    const rows = csv.split("\n").map((l) => l.split(","));
    const header = rows[0]!.map((h) => h.replace(/^# /, ""));
    const col = (n: string) => header.indexOf(n);
    return Object.fromEntries(
      rows.filter((r) => r[col("pxname")] === "instances" && /^a\d+$/.test(r[col("svname")] ?? "")).map((r) => [r[col("svname")], r[col("status")]!.split(" ")[0]]),
    );
  };

  let stopped: Promise<void> | null = null;
  return {
    url,
    port,
    statsUrl,
    instances,
    haproxy,
    configFile,
    async restart(i) {
      const old = instances[i]!;
      if (old.child.alive()) await old.child.stop("SIGTERM", 20_000);
      instances[i] = await startInstance(i);
      // Back in rotation once HAProxy's next health check passes.
      if (statsUrl) await until(async () => (await serverStates())[instances[i]!.name] === "UP", 15_000, `HAProxy to see ${instances[i]!.name} UP`);
      return instances[i]!;
    },
    serverStates,
    stop() {
      return (stopped ??= (async () => {
        // Instances first: they drain their open connections, which HAProxy still relays.
        await stopAll();
        // SIGUSR1: HAProxy's soft stop (stop listening, let what is in flight finish).
        await haproxy.stop("SIGUSR1", 5_000);
        rmSync(dir, { recursive: true, force: true });
      })());
    },
  };
}

function haproxyPath(): string | null {
  for (const p of ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/bin/haproxy"]) if (existsSync(p)) return p;
  const which = spawnSync("sh", ["-c", "command -v haproxy"], { encoding: "utf8" });
  return which.status === 0 ? which.stdout.trim() : null;
}

function run(cmd: string, args: string[], env: Record<string, string | undefined>) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(" ")}\` failed (exit ${r.status ?? r.signal})`);
}

/** The database without its password, for the log. */
export function describeDatabase(url: string | undefined): string {
  if (!url) return "?";
  if (url.startsWith("file:")) return `SQLite ${url.slice(5)}`;
  try {
    const u = new URL(url);
    return `${u.protocol.replace(":", "")} ${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "an unreadable DATABASE_URL";
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // The generated Prisma client is rewritten by every `prisma generate`; its source, the schema, counts.
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The bundle is missing, or a file under server/ or app/ (or the Prisma schema) changed after it was written. */
export function bundleOutdated(root = ROOT): boolean {
  const bundle = path.join(root, "build/server/index.js");
  const remix = path.join(root, "build/index.js");
  if (!existsSync(bundle) || !existsSync(remix)) return true;
  const built = Math.min(statSync(bundle).mtimeMs, statSync(remix).mtimeMs);
  const prismaDir = path.join(root, "prisma");
  const schema = Math.max(0, ...readdirSync(prismaDir).filter((f) => f.endsWith(".prisma")).map((f) => statSync(path.join(prismaDir, f)).mtimeMs));
  return schema > built || ["server", "app"].some((d) => newestMtime(path.join(root, d)) > built);
}

async function untilReady(url: string, child: Child, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  let last = "";
  while (performance.now() < deadline) {
    if (!child.alive()) throw new Error(`${child.name} exited while starting:\n${child.output().slice(-4000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms (last: ${last})`);
}

/** Polls `check` (every 100 ms) until it holds. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
