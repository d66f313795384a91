/**
 * Which addresses outgoing requests (webhooks) may reach. By default only public unicast
 * addresses: loopback, private (RFC 1918), carrier-grade NAT, unique-local, link-local (which holds
 * the cloud metadata service at 169.254.169.254), unspecified, multicast and reserved ranges are
 * refused, and so are IPv6 forms that embed one of them (IPv4-mapped, NAT64, 6to4). The WHATWG URL
 * parser has already turned decimal, octal and hex IPv4 spellings (2130706433, 0177.0.0.1, 0x7f.1)
 * into dotted form. An allow-list (WEBHOOK_ALLOW_HOSTS) opens named hosts, addresses or CIDRs for
 * on-premise receivers.
 *
 * The check runs on the address actually connected to — a custom `lookup` on the request — so a
 * name that resolved to a public address when the webhook was saved and to 127.0.0.1 later (DNS
 * rebinding) is still refused.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

const BLOCKED_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network", includes 0.0.0.0
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255
];
const BLOCKED_V6: [string, number][] = [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["::", 96], // IPv4-compatible (deprecated)
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

const blocked = new BlockList();
for (const [a, p] of BLOCKED_V4) blocked.addSubnet(a, p, "ipv4");
for (const [a, p] of BLOCKED_V6) blocked.addSubnet(a, p, "ipv6");

/** IPv4 hidden inside an IPv6 address (::ffff:a.b.c.d, 64:ff9b::/96, 2002:AABB:CCDD::/48), if any. */
function embeddedV4(v6: string): string | null {
  const words = expandV6(v6);
  if (!words) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  if (zero(0, 5) && words[5] === 0xffff) return v4(words[6]!, words[7]!); // IPv4-mapped
  if (zero(0, 4) && words[4] === 0xffff && words[5] === 0) return v4(words[6]!, words[7]!); // IPv4-translated
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4(words[6]!, words[7]!); // NAT64
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!); // 6to4
  return null;
}

function expandV6(addr: string): number[] | null {
  let a = addr.replace(/^\[|\]$/g, "").split("%")[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) {
    const p = dotted[1]!.split(".").map(Number);
    a = a.slice(0, -dotted[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = a.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined ? (tail ? tail.split(":") : []) : [];
  const fill = a.includes("::") ? 8 - h.length - t.length : 0;
  const words = [...h, ...Array(fill).fill("0"), ...t].map((w) => parseInt(w, 16));
  return words.length === 8 && words.every((w) => w >= 0 && w <= 0xffff) ? words : null;
}

/** True for any address outgoing requests must not reach by default. */
export function isForbiddenAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "");
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, "ipv4");
  if (family === 6) {
    const inner = embeddedV4(ip);
    if (inner && blocked.check(inner, "ipv4")) return true;
    return blocked.check(ip, "ipv6");
  }
  return true; // not an address at all
}

export interface OutboundAllowList {
  hosts: Set<string>;
  nets: BlockList;
}

/** Parses WEBHOOK_ALLOW_HOSTS: host names, addresses and CIDRs separated by commas. */
export function parseAllowList(entries: readonly string[]): OutboundAllowList {
  const hosts = new Set<string>();
  const nets = new BlockList();
  for (const raw of entries) {
    const e = raw.trim().toLowerCase();
    if (!e) continue;
    const [addr, bits] = e.split("/");
    const family = isIP(addr!.replace(/^\[|\]$/g, ""));
    if (family) {
      const a = addr!.replace(/^\[|\]$/g, "");
      const type = family === 4 ? "ipv4" : "ipv6";
      if (bits === undefined) nets.addAddress(a, type);
      else nets.addSubnet(a, Number(bits), type);
    } else hosts.add(e);
  }
  return { hosts, nets };
}

export function isAllowListEntry(entry: string): boolean {
  const e = entry.trim();
  const [addr, bits, ...rest] = e.split("/");
  if (rest.length || !addr) return false;
  const family = isIP(addr.replace(/^\[|\]$/g, ""));
  if (family) return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  return bits === undefined && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(addr);
}

function addressAllowed(address: string, allow: OutboundAllowList): boolean {
  const ip = address.replace(/^\[|\]$/g, "");
  const family = isIP(ip);
  if (family && allow.nets.check(ip, family === 4 ? "ipv4" : "ipv6")) return true;
  if (family === 6) {
    const inner = embeddedV4(ip);
    if (inner && allow.nets.check(inner, "ipv4")) return true;
  }
  return !isForbiddenAddress(ip);
}

export class OutboundRefusedError extends Error {
  readonly code = "EOUTBOUNDREFUSED";
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

const refusal = (host: string, address: string) =>
  `${host === address ? address : `${host} (${address})`} is a private, loopback, link-local or reserved address; webhooks may only reach public addresses unless WEBHOOK_ALLOW_HOSTS lists it.`;

/**
 * The addresses a URL's host may be connected to, or an OutboundRefusedError. An allow-listed host
 * name is trusted whatever it resolves to; otherwise every resolved address must be allowed (a name
 * with one private address among public ones is refused: the connection could pick either).
 */
export async function resolveAllowed(hostname: string, allow: OutboundAllowList, resolve: Resolver = systemResolver): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  const literal = isIP(host);
  const addresses: LookupAddress[] = literal ? [{ address: host, family: literal }] : await resolve(host);
  if (!addresses.length) throw new OutboundRefusedError(`${host} does not resolve to any address.`);
  if (allow.hosts.has(host)) return addresses;
  const bad = addresses.find((a) => !addressAllowed(a.address, allow));
  if (bad) throw new OutboundRefusedError(refusal(host, bad.address));
  return addresses;
}

/**
 * A `lookup` for http.request/https.request that checks the resolved addresses at connect time.
 * Node calls it with `{ all: true }` when trying several addresses (autoSelectFamily).
 */
export function guardedLookup(allow: OutboundAllowList, resolve: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: (...args: unknown[]) => void) => {
    resolveAllowed(hostname, allow, resolve).then(
      (addresses) => {
        const fam = options.family === 6 || options.family === "IPv6" ? 6 : options.family === 4 || options.family === "IPv4" ? 4 : 0;
        const list = fam ? addresses.filter((a) => a.family === fam) : addresses;
        if (!list.length) return callback(Object.assign(new OutboundRefusedError(`${hostname} has no IPv${fam} address.`), { code: "ENOTFOUND" }));
        if (options.all) callback(null, list);
        else callback(null, list[0]!.address, list[0]!.family);
      },
      (err) => callback(err),
    );
  };
}
