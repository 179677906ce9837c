import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Whether a media link in a reply can be sent as media (the provider fetches it), or must go as a plain link. */
export type MediaLinkCheck = (url: string) => Promise<boolean>;

type Lookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

/** Addresses a link of the agent's reply must never make a provider (or us) fetch: this host, the LAN, the cloud's metadata. */
const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}

/** A public unicast address (IPv4, IPv6, or IPv4 mapped into IPv6). Pure. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return !nonPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * A bounded check of a media link before it is sent as media: https only, a host whose every address is public
 * (after DNS), and a HEAD (or a one-byte GET where HEAD is refused) answered 2xx within the timeout, redirects not
 * followed. Anything else — and any error — is false: the link then goes as plain text, never fetched by a provider.
 */
export function createMediaLinkCheck(options: { timeoutMs?: number; lookup?: Lookup; fetch?: typeof globalThis.fetch } = {}): MediaLinkCheck {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const lookup: Lookup = options.lookup ?? ((hostname) => dnsLookup(hostname, { all: true, verbatim: true }));
  const fetchImplementation = options.fetch ?? globalThis.fetch;

  return async (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
    const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
    try {
      const addresses = isIP(hostname) ? [{ address: hostname }] : await withTimeout(lookup(hostname), timeoutMs);
      if (addresses.length === 0 || !addresses.every(({ address }) => isPublicAddress(address))) return false;
      const signal = AbortSignal.timeout(timeoutMs);
      let response = await fetchImplementation(parsed, { method: 'HEAD', redirect: 'manual', signal });
      if (response.status === 405 || response.status === 501) {
        response = await fetchImplementation(parsed, { method: 'GET', redirect: 'manual', signal, headers: { range: 'bytes=0-0' } });
        await response.body?.cancel();
      }
      return response.status >= 200 && response.status < 300;
    } catch {
      return false;
    }
  };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref())]);
}
