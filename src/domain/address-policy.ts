/**
 * R12: which network addresses a webhook may be delivered to. Loopback, private, shared (CGNAT),
 * link-local (with the cloud metadata address 169.254.169.254), unspecified, multicast and
 * reserved ranges are refused, for IPv4, IPv6 and IPv4-mapped IPv6, unless the server runs
 * with an explicit allow-list (`WEBHOOK_ALLOW`: hosts, addresses or CIDR ranges). Pure.
 */
import { BlockList, isIP } from 'node:net';

const FORBIDDEN_V4: readonly [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const FORBIDDEN_V6: readonly [string, number][] = [
  // The unspecified and loopback addresses, and the deprecated IPv4-compatible ::a.b.c.d.
  ['::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
  ['100::', 64],
];

const forbidden = new BlockList();
for (const [net, prefix] of FORBIDDEN_V4) forbidden.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of FORBIDDEN_V6) forbidden.addSubnet(net, prefix, 'ipv6');

export interface AllowList {
  readonly hosts: ReadonlySet<string>;
  readonly ranges: BlockList;
}

/** Parses `WEBHOOK_ALLOW`: comma-separated host names, addresses and CIDR ranges. Throws on a malformed entry. */
export function parseAllowList(text: string | undefined): AllowList {
  const hosts = new Set<string>();
  const ranges = new BlockList();
  for (const raw of (text ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const [net, bits, ...rest] = raw.split('/');
    const family = isIP(net!);
    if (family === 0) {
      if (bits !== undefined || !/^[a-z0-9.-]+$/.test(raw)) throw new Error(`WEBHOOK_ALLOW: not a host, address or CIDR range: ${raw}`);
      hosts.add(raw);
      continue;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    // Decimal digits only: Number('') is 0, so a stray "10.0.0.0/" would otherwise allow every address.
    if (rest.length > 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) throw new Error(`WEBHOOK_ALLOW: bad prefix in ${raw}`);
    const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
    if (prefix > (family === 4 ? 32 : 128)) throw new Error(`WEBHOOK_ALLOW: bad prefix in ${raw}`);
    ranges.addSubnet(net!, prefix, type);
  }
  return { hosts, ranges };
}

export const NOTHING_ALLOWED: AllowList = parseAllowList('');

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), else the address itself. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/** Why an address may not be delivered to, or null when it may. */
export function refusedAddress(address: string, allow: AllowList = NOTHING_ALLOWED): string | null {
  const a = unmapped(address);
  const family = isIP(a);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (allow.ranges.check(a, type)) return null;
  return forbidden.check(a, type) ? 'a loopback, private, link-local, metadata or reserved address' : null;
}

export function hostAllowed(host: string, allow: AllowList): boolean {
  return allow.hosts.has(host.toLowerCase());
}
