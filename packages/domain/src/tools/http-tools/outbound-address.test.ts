import { describe, expect, it } from 'vitest';
import { forbiddenAddressKind, isAllowListed, parseOutboundAllowList } from './outbound-address.ts';

describe('forbiddenAddressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['255.255.255.255', 'reserved'],
    ['not-an-ip', 'unparsable'],
    ['127.1', 'unparsable'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(forbiddenAddressKind(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4003:80f::200e'])(
    'lets %s through',
    (address) => {
      expect(forbiddenAddressKind(address)).toBeNull();
    },
  );
});

describe('the operator allow-list', () => {
  const list = parseOutboundAllowList(' localhost, n8n.internal ,*.svc.cluster.local, 10.0.0.0/8, 127.0.0.1, fd12::/16 ');

  it('lets a named host through, whatever it resolves to', () => {
    expect(isAllowListed(list, { hostname: 'n8n.internal', address: '10.9.9.9' })).toBe(true);
    expect(isAllowListed(list, { hostname: 'LOCALHOST', address: '::1' })).toBe(true);
    expect(isAllowListed(list, { hostname: 'n8n.default.svc.cluster.local', address: '192.168.0.4' })).toBe(true);
    expect(isAllowListed(list, { hostname: 'evil.internal', address: '192.168.0.4' })).toBe(false);
  });

  it('lets addresses inside a listed block through, written as IPv4 or IPv4-mapped IPv6', () => {
    expect(isAllowListed(list, { hostname: 'anything.example', address: '10.2.3.4' })).toBe(true);
    expect(isAllowListed(list, { hostname: 'anything.example', address: '::ffff:10.2.3.4' })).toBe(true);
    expect(isAllowListed(list, { hostname: '127.0.0.1' })).toBe(true);
    expect(isAllowListed(list, { hostname: '127.0.0.2' })).toBe(false);
    expect(isAllowListed(list, { hostname: '[fd12::5]' })).toBe(true);
    expect(isAllowListed(list, { hostname: 'x.example', address: '169.254.169.254' })).toBe(false);
  });

  it('refuses entries it cannot read, and is empty when unset', () => {
    expect(() => parseOutboundAllowList('10.0.0.0/33')).toThrow(/CIDR/);
    expect(() => parseOutboundAllowList('http://n8n')).toThrow(/neither/);
    expect(parseOutboundAllowList(undefined)).toEqual({ hosts: [], suffixes: [], ranges: [] });
  });
});
