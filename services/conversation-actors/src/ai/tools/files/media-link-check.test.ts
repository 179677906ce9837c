import { describe, expect, it } from 'vitest';
import { createMediaLinkCheck, isPublicAddress } from './media-link-check.ts';

describe('isPublicAddress', () => {
  it('refuses loopback, private, link-local, metadata, CGNAT, multicast and unspecified addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not-an-ip',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it('accepts public IPv4 and IPv6 addresses', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isPublicAddress(address), address).toBe(true);
  });
});

describe('createMediaLinkCheck', () => {
  const answering = (status: number, calls: string[] = []) =>
    (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push(`${init?.method} ${String(input)}`);
      return new Response(null, { status });
    }) as typeof fetch;
  const publicLookup = async () => [{ address: '93.184.216.34', family: 4 }];

  it('passes a public https link answered 2xx, with HEAD and no redirect following', async () => {
    const calls: string[] = [];
    const check = createMediaLinkCheck({ lookup: publicLookup, fetch: answering(200, calls) });
    expect(await check('https://cdn.example.com/menu.pdf')).toBe(true);
    expect(calls).toEqual(['HEAD https://cdn.example.com/menu.pdf']);
  });

  it('falls back to a one-byte GET where HEAD is refused', async () => {
    const calls: string[] = [];
    let first = true;
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push(`${init?.method} ${String(input)}`);
      const status = first ? 405 : 206;
      first = false;
      return new Response(null, { status });
    }) as typeof globalThis.fetch;
    expect(await createMediaLinkCheck({ lookup: publicLookup, fetch })('https://cdn.example.com/a.jpg')).toBe(true);
    expect(calls).toEqual(['HEAD https://cdn.example.com/a.jpg', 'GET https://cdn.example.com/a.jpg']);
  });

  it('fails http, credentials in the URL, literal private and loopback addresses (v4 and v6) without any request', async () => {
    const calls: string[] = [];
    const check = createMediaLinkCheck({ lookup: publicLookup, fetch: answering(200, calls) });
    for (const url of [
      'http://cdn.example.com/a.jpg',
      'https://user:pass@cdn.example.com/a.jpg',
      'https://127.0.0.1/a.jpg',
      'https://10.0.0.5/a.jpg',
      'https://169.254.169.254/latest/a.jpg',
      'https://[::1]/a.jpg',
      'https://[::ffff:127.0.0.1]/a.jpg',
      'not a url',
    ]) {
      expect(await check(url), url).toBe(false);
    }
    expect(calls).toEqual([]);
  });

  it('fails a host that resolves to a private address (any of them)', async () => {
    const calls: string[] = [];
    const lookup = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    expect(await createMediaLinkCheck({ lookup, fetch: answering(200, calls) })('https://rebind.example.com/a.jpg')).toBe(false);
    expect(calls).toEqual([]);
  });

  it('fails a redirect, a 404, a network error and a slow answer', async () => {
    expect(await createMediaLinkCheck({ lookup: publicLookup, fetch: answering(302) })('https://x.example.com/a.jpg')).toBe(false);
    expect(await createMediaLinkCheck({ lookup: publicLookup, fetch: answering(404) })('https://x.example.com/a.jpg')).toBe(false);
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect(await createMediaLinkCheck({ lookup: publicLookup, fetch: failing })('https://x.example.com/a.jpg')).toBe(false);
    const slowLookup = () => new Promise<Array<{ address: string; family: number }>>(() => {});
    expect(await createMediaLinkCheck({ lookup: slowLookup, timeoutMs: 20 })('https://x.example.com/a.jpg')).toBe(false);
  });
});
