/** Starts Atrium from the environment. SIGTERM/SIGINT shut it down gracefully. */
import { createAtrium } from "./atrium.js";
import { EnvError, parseEnv } from "./env.js";
import { DatabaseDamaged } from "./infra/database-check.js";
import { compactHeap } from "./infra/heap.js";

async function main() {
  const env = parseEnv();
  const atrium = await createAtrium({ env });
  const port = await atrium.listen();
  // Start-up read every person, question and answer to build the in-memory indexes: let go of the rows.
  compactHeap();
  console.log(`Atrium is serving on http://localhost:${port}`);
  if (process.env.ATRIUM_DEMO_BANNER !== "0") {
    console.log("Demo sign-in — admin: admin@atrium.test / atrium-demo-admin · member: member@atrium.test / atrium-demo-member");
    console.log("Demo sign-in — leader (COO, dashboard): coo@atrium.test / atrium-demo-coo"); // dashboard
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing requests and closing sockets…`);
    await atrium.close();
    console.log("Atrium stopped.");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  if (err instanceof EnvError) console.error(err.message);
  else if (!(err instanceof DatabaseDamaged)) console.error(err); // already reported, loudly

  process.exit(1);
});
