/**
 * Decision 040's proof: the server is killed with SIGKILL while two clients type, and restarted on
 * the same database. Every update the server acknowledged is there; and once the clients
 * reconnect, so is everything they typed that was still in flight.
 */
import { afterAll, expect, test } from "vitest";
import * as Y from "yjs";
import { closeAllSockets, sleep } from "../../helpers/server-socket.js";
import { freshDatabase } from "../../helpers/db.js";
import { killAllCollabServers, killHard as killed, startCollabServer as startServer } from "./fixtures/collab-process.js";
import { converged, until, yClient, type YClient } from "./yjs-clients.js";

afterAll(() => {
  closeAllSockets();
  killAllCollabServers();
});

test("every acknowledged update survives kill -9; unacknowledged ones come back from the clients", { timeout: 300_000 }, async () => {
  const db = freshDatabase();
  // The first server binds a port the OS chooses and reports it; the restart reuses that port, as
  // a restarted server would, so the clients reconnect to the same address.
  const first = await startServer({ DATABASE_URL: db.url, PORT: "0", DOC_COMPACT_EVERY: "40", ATRIUM_DEMO_BANNER: "0", SEED: "1" });
  const { docId, cookieA, cookieB, port } = first.info as { docId: string; cookieA: string; cookieB: string; port: string };
  const env = { DATABASE_URL: db.url, PORT: String(port), DOC_COMPACT_EVERY: "40", ATRIUM_DEMO_BANNER: "0" };
  const url = `http://127.0.0.1:${port}`;

  const clients: YClient[] = [await yClient(url, cookieA!, docId!), await yClient(url, cookieB!, docId!)];
  const acked: Uint8Array[][] = [[], []];
  clients.forEach((c, i) => (c.provider.onAcknowledged = (m) => acked[i]!.push(m)));

  // Both type at a brisk pace; the kill lands mid-stream, with updates in flight.
  let typing = true;
  const typed: string[][] = [[], []];
  const loops = clients.map(async (c, i) => {
    for (let n = 0; typing; n++) {
      const token = `${"AB"[i]}${n};`;
      c.type(token);
      typed[i]!.push(token);
      await sleep(1 + (n % 3));
    }
  });
  await until(() => acked[0]!.length > 60 && acked[1]!.length > 60, "some updates acknowledged", 20_000);
  await killed(first.child);
  typing = false;
  await Promise.all(loops);
  const ackedCount = acked.map((a) => a.length);
  expect(ackedCount[0]).toBeGreaterThan(60);

  // Restart on the same database; a brand-new client sees what the server kept.
  await startServer(env);
  const fresh = await yClient(url, cookieA!, docId!);
  const serverSv = Y.encodeStateVector(fresh.doc);
  for (const [i, messages] of acked.entries()) {
    // Everything acknowledged to client i, replayed into a scratch doc…
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(fresh.doc));
    for (const m of messages) Y.applyUpdate(scratch, m.subarray(headerLength(m)));
    // …adds nothing the restarted server does not already have.
    const missing = Y.decodeUpdate(Y.encodeStateAsUpdate(scratch, serverSv));
    expect(missing.structs.length, `client ${i}: acknowledged updates missing after kill -9`).toBe(0);
  }
  const afterRestart = fresh.text();
  for (const [i, tokens] of typed.entries()) {
    // In order: the first `acked` tokens of each client are certainly there.
    for (const t of tokens.slice(0, Math.max(0, ackedCount[i]! - 1))) expect(afterRestart).toContain(t);
  }

  // The original clients reconnect (state vectors): what was in flight comes back too.
  for (const c of clients) c.socket.connect();
  await converged([...clients, fresh], 15_000);
  for (const tokens of typed) for (const t of tokens) expect(fresh.text()).toContain(t);
  db.dispose();
});

/** Length of a sync message's header (type + varint length) so the payload can be sliced off. */
function headerLength(m: Uint8Array): number {
  let i = 1; // message type 2 fits in one byte
  while (m[i]! & 0x80) i++;
  return i + 1;
}
