/**
 * Does Redis answer? One short-lived connection: AUTH when the URL carries credentials, then PING,
 * expecting +PONG. Used by `/readyz`; it shares nothing with the connections the event bus and the
 * Socket.io adapter hold, so a probe can never disturb them (or be hidden by their reconnect logic).
 */
import net from "node:net";
import tls from "node:tls";

const encode = (args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;

export function redisPing(url: string, timeoutMs = 2_000): Promise<void> {
  const u = new URL(url);
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") return Promise.reject(new Error("not a redis:// or rediss:// URL"));
  const port = Number(u.port || 6379);
  const host = u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
  const commands: string[][] = [];
  const password = decodeURIComponent(u.password);
  const username = decodeURIComponent(u.username);
  if (password) commands.push(username ? ["AUTH", username, password] : ["AUTH", password]);
  commands.push(["PING"]);

  return new Promise((resolve, reject) => {
    const socket = u.protocol === "rediss:" ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    let buffered = "";
    let replies = 0;
    const finish = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once("error", (err) => finish(err));
    socket.once("close", () => finish(new Error("Redis closed the connection")));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf("\r\n")) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (line.startsWith("-")) return finish(new Error(`Redis refused: ${line.slice(1)}`));
        replies++;
        if (replies === commands.length) return finish(line === "+PONG" ? undefined : new Error(`unexpected PING reply ${JSON.stringify(line.slice(0, 40))}`));
      }
    });
    socket.write(commands.map(encode).join(""));
  });
}
