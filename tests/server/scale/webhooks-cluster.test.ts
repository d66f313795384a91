/**
 * Webhooks with two instances: the instance where the change happens records the delivery once;
 * only the leader sends it, at once (not at its next poll), and exactly once.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeUser } from "../../helpers/app.js";
import { startCluster, type Instance } from "../../helpers/redis.js";

let cluster: Awaited<ReturnType<typeof startCluster>>;
let a: Instance;
let b: Instance;
let receiver: Server;
let url = "";
const received: { event: string; data: { userId?: string } }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end("thanks");
    });
  });
  const port = await new Promise<number>((r) => receiver.listen(0, "127.0.0.1", () => r((receiver.address() as AddressInfo).port)));
  url = `http://127.0.0.1:${port}/hook`;
  // Polling practically never: a delivery goes out only when the leader is told.
  cluster = await startCluster({ env: { WEBHOOK_ALLOW_HOSTS: "127.0.0.1", WEBHOOK_POLL_MS: "600000" } });
  a = await cluster.start("a");
  b = await cluster.start("b");
});
afterAll(async () => {
  await cluster?.close();
  receiver?.closeAllConnections();
  await new Promise<void>((r) => receiver?.close(() => r()));
});

test("an event on the instance that does not lead is recorded once and sent at once, once, by the leader", async () => {
  const follower = a.atrium.scale.leadership.isLeader() ? b : a;
  const leader = follower === a ? b : a;
  expect(leader.atrium.scale.leadership.isLeader()).toBe(true);
  const { actor: admin } = await makeUser(follower.atrium, { role: "admin" });
  const { actor } = await makeUser(follower.atrium);
  const hook = await follower.atrium.domain.webhooks.createWebhook(admin, { url, events: ["person.updated"] });
  for (const name of ["First Name", "Second Name"]) await follower.atrium.domain.people.updateProfile(actor, actor.id, { name, timeZone: "UTC", skills: [] });
  await expect.poll(() => received.filter((r) => r.data.userId === actor.id).length).toBe(2);
  await expect.poll(() => follower.atrium.db.webhookDelivery.count({ where: { webhookId: hook.id, status: "succeeded" } })).toBe(2);
  expect(await follower.atrium.db.webhookDelivery.count({ where: { webhookId: hook.id } })).toBe(2);
  expect(received.filter((r) => r.data.userId === actor.id).length).toBe(2);
});
