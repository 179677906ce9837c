/**
 * The SSRF guard's rules, without I/O: which IP addresses an HTTP tool may not reach, and the operator's allow-list
 * that names exceptions (a local n8n). The caller applies them to every address a host name resolves to, and to
 * every redirect, before it connects.
 */

export type ForbiddenAddressKind =
  'unspecified' | 'loopback' | 'private' | 'shared' | 'link-local' | 'metadata' | 'unique-local' | 'multicast' | 'reserved' | 'unparsable';

type IpAddress = { version: 4; bytes: number[] } | { version: 6; bytes: number[] };

interface Range {
  prefix: number[];
  bits: number;
  kind: ForbiddenAddressKind;
}

const v4 = (text: string, bits: number, kind: ForbiddenAddressKind): Range => ({ prefix: parseIpv4(text)!, bits, kind });
const v6 = (text: string, bits: number, kind: ForbiddenAddressKind): Range => ({ prefix: parseIpv6(text)!, bits, kind });

// Most specific first: the cloud metadata addresses sit inside link-local and unique-local.
const forbiddenIpv4: Range[] = [
  v4('169.254.169.254', 32, 'metadata'),
  v4('0.0.0.0', 8, 'unspecified'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('10.0.0.0', 8, 'private'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.168.0.0', 16, 'private'),
  v4('100.64.0.0', 10, 'shared'),
  v4('169.254.0.0', 16, 'link-local'),
  v4('224.0.0.0', 4, 'multicast'),
  // IETF protocol assignments, documentation, benchmarking, the old class E and broadcast: nothing a webhook lives on.
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'reserved'),
  v4('198.18.0.0', 15, 'reserved'),
  v4('198.51.100.0', 24, 'reserved'),
  v4('203.0.113.0', 24, 'reserved'),
  v4('240.0.0.0', 4, 'reserved'),
];

const forbiddenIpv6: Range[] = [
  v6('fd00:ec2::254', 128, 'metadata'),
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  v6('fe80::', 10, 'link-local'),
  v6('fec0::', 10, 'private'),
  v6('fc00::', 7, 'unique-local'),
  v6('ff00::', 8, 'multicast'),
  v6('2001:db8::', 32, 'reserved'),
  v6('100::', 64, 'reserved'),
];

/** IPv6 ranges that carry an IPv4 address in their low 32 bits: judged by that address. */
const embeddingIpv4: Array<{ prefix: number[]; bits: number }> = [
  { prefix: parseIpv6('::ffff:0:0')!, bits: 96 }, // IPv4-mapped
  { prefix: parseIpv6('::')!, bits: 96 }, // IPv4-compatible (deprecated)
  { prefix: parseIpv6('64:ff9b::')!, bits: 96 }, // NAT64
];

/** Why an address is off limits, or null when an HTTP tool may call it. Accepts IPv4 and IPv6 text (no brackets). */
export function forbiddenAddressKind(address: string): ForbiddenAddressKind | null {
  const ip = parseIp(address);
  if (!ip) return 'unparsable';
  if (ip.version === 6) {
    // `::` and `::1` sit inside the IPv4-compatible range: judge them as themselves first.
    for (const range of forbiddenIpv6.slice(0, 3)) if (inRange(ip.bytes, range)) return range.kind;
    for (const range of embeddingIpv4) if (inRange(ip.bytes, range)) return forbiddenAddressKind(ip.bytes.slice(12).join('.'));
    // 6to4 (2002::/16) carries its IPv4 address in bits 16–48.
    if (ip.bytes[0] === 0x20 && ip.bytes[1] === 0x02) return forbiddenAddressKind(ip.bytes.slice(2, 6).join('.'));
  }
  const ranges = ip.version === 4 ? forbiddenIpv4 : forbiddenIpv6;
  for (const range of ranges) if (inRange(ip.bytes, range)) return range.kind;
  return null;
}

/** True when the text is an IPv4 or IPv6 address (IPv6 without brackets). */
export function isIpAddress(text: string): boolean {
  return parseIp(text) !== null;
}

/**
 * The operator's exceptions (env, comma-separated): host names (`n8n.internal`, `localhost`), wildcard suffixes
 * (`*.svc.cluster.local`), addresses and CIDR blocks (`10.0.0.0/8`, `fd12::/16`). A named host may resolve to any
 * address; an address or block lets that address through whatever name led to it.
 */
export interface OutboundAllowList {
  hosts: string[];
  suffixes: string[];
  ranges: Array<{ prefix: number[]; bits: number }>;
}

export function parseOutboundAllowList(text: string | undefined): OutboundAllowList {
  const list: OutboundAllowList = { hosts: [], suffixes: [], ranges: [] };
  for (const raw of (text ?? '').split(',')) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1');
    if (entry === '') continue;
    const [addressPart, bitsPart] = entry.split('/');
    const ip = parseIp(addressPart!);
    if (ip) {
      const maxBits = ip.version === 4 ? 32 : 128;
      const bits = bitsPart === undefined ? maxBits : Number(bitsPart);
      if (!Number.isInteger(bits) || bits < 0 || bits > maxBits || !/^\d*$/.test(bitsPart ?? '')) {
        throw new Error(`"${raw.trim()}" is not a valid CIDR block`);
      }
      list.ranges.push({ prefix: ip.bytes, bits: bits + (ip.version === 4 ? 96 : 0) });
      continue;
    }
    if (entry.startsWith('*.') && isHostName(entry.slice(2))) list.suffixes.push(entry.slice(1));
    else if (isHostName(entry)) list.hosts.push(entry);
    else throw new Error(`"${raw.trim()}" is neither a host name, an address nor a CIDR block`);
  }
  return list;
}

/** Whether the allow-list names this host (as written in the URL) or the address it resolved to. */
export function isAllowListed(list: OutboundAllowList, target: { hostname: string; address?: string }): boolean {
  const hostname = target.hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (list.hosts.includes(hostname) || list.suffixes.some((suffix) => hostname.endsWith(suffix))) return true;
  const address = target.address ?? (isIpAddress(hostname) ? hostname : undefined);
  if (address === undefined) return false;
  const ip = parseIp(address);
  if (!ip) return false;
  // IPv4 is matched in its IPv4-mapped IPv6 form, so `10.0.0.0/8` also covers `::ffff:10.0.0.1`.
  const bytes = ip.version === 4 ? mapped(ip.bytes) : ip.bytes;
  return list.ranges.some((range) => inRange(bytes, range.prefix.length === 4 ? { prefix: mapped(range.prefix), bits: range.bits } : range));
}

function mapped(ipv4: number[]): number[] {
  return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...ipv4];
}

function isHostName(text: string): boolean {
  return /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(text);
}

function inRange(bytes: number[], range: { prefix: number[]; bits: number }): boolean {
  if (bytes.length !== range.prefix.length) return false;
  let remaining = range.bits;
  for (let index = 0; index < bytes.length && remaining > 0; index += 1) {
    const take = Math.min(8, remaining);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[index]! & mask) !== (range.prefix[index]! & mask)) return false;
    remaining -= take;
  }
  return true;
}

function parseIp(text: string): IpAddress | null {
  const ipv4 = parseIpv4(text);
  if (ipv4) return { version: 4, bytes: ipv4 };
  const ipv6 = parseIpv6(text);
  return ipv6 ? { version: 6, bytes: ipv6 } : null;
}

/** Dotted quad only: the short and octal forms (`127.1`, `0177.0.0.1`) are not addresses here, as in a URL's host after WHATWG parsing. */
function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((part) => (/^(0|[1-9]\d{0,2})$/.test(part) ? Number(part) : Number.NaN));
  return bytes.every((byte) => byte >= 0 && byte <= 255) ? bytes : null;
}

function parseIpv6(text: string): number[] | null {
  let address = text.replace(/%.*$/, ''); // a zone id (`fe80::1%eth0`) names the interface, not the address
  if (!/^[0-9a-fA-F:.]+$/.test(address) || !address.includes(':')) return null;
  // A dotted IPv4 tail (`::ffff:127.0.0.1`) is the last two groups written another way.
  const lastColon = address.lastIndexOf(':');
  if (address.slice(lastColon + 1).includes('.')) {
    const ipv4 = parseIpv4(address.slice(lastColon + 1));
    if (!ipv4) return null;
    address = `${address.slice(0, lastColon + 1)}${((ipv4[0]! << 8) | ipv4[1]!).toString(16)}:${((ipv4[2]! << 8) | ipv4[3]!).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const parse = (half: string) => (half === '' ? [] : half.split(':'));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (halves.length === 1 && head.length !== 8) return null;
  if (halves.length === 2 && head.length + rest.length > 7) return null;
  const groups = [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest];
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return null;
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}
