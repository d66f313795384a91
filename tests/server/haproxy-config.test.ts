/** The HAProxy configuration start:cluster writes is one HAProxy itself accepts (`haproxy -c`). */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { haproxyConfig } from "../../server/cli/haproxy-config.js";

test("three instances, IPv6 bind and a statistics page: HAProxy validates it; stickiness, checks and redispatch are in", () => {
  const cfg = haproxyConfig({
    host: "::",
    port: 3000,
    statsPort: 3999,
    servers: [1, 2, 3].map((i) => ({ name: `a${i}`, host: "127.0.0.1", port: 3000 + i })),
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), "atrium-haproxy-"));
  try {
    writeFileSync(path.join(dir, "haproxy.cfg"), cfg);
    const r = spawnSync("haproxy", ["-c", "-f", path.join(dir, "haproxy.cfg")], { encoding: "utf8" });
    expect(r.status, r.stderr + r.stdout).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(cfg).toContain("bind [::]:3000");
  expect(cfg).toMatch(/cookie atrium_instance insert indirect nocache httponly/);
  expect(cfg).toMatch(/http-check send meth GET uri \/healthz/);
  expect(cfg).toContain("option redispatch 1");
  for (const i of [1, 2, 3]) expect(cfg).toContain(`server a${i} 127.0.0.1:${3000 + i} cookie a${i}`);
});
