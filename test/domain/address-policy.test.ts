import { describe, expect, it } from 'vitest';
import { hostAllowed, NOTHING_ALLOWED, parseAllowList, refusedAddress } from '../../src/domain/address-policy.js';

/**
 * R12: webhook targets on loopback, private, shared, link-local (cloud metadata), unspecified
 * and reserved addresses are refused, for IPv4, IPv6 and IPv4-mapped IPv6, unless the server
 * runs with an explicit allow-list (WEBHOOK_ALLOW: hosts, addresses, CIDR ranges).
 */
describe('R12: which addresses a webhook may reach', () => {
  const refused = [
    '127.0.0.1',
    '127.255.255.254',
    '::1',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.20.10.10',
    '172.31.255.255',
    '192.168.0.1',
    '192.168.255.255',
    '169.254.169.254',
    '169.254.0.1',
    'fd00::1',
    'fc00::1',
    'fe80::1',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    // IPv4-compatible (deprecated) forms of loopback and private addresses.
    '::127.0.0.1',
    '::7f00:1',
    '::10.0.0.1',
    '224.0.0.1',
    '255.255.255.255',
  ];
  it.each(refused)('refuses %s', (address) => {
    expect(refusedAddress(address)).toMatch(/loopback, private, link-local, metadata or reserved/);
  });

  const allowed = ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '11.0.0.1', '192.167.255.255'];
  it.each(allowed)('allows the public address %s', (address) => {
    expect(refusedAddress(address)).toBeNull();
  });

  it('a host name is not an address: it is refused until it has been resolved', () => {
    expect(refusedAddress('example.com')).toBe('not an IP address');
  });

  it('an allow-list entry opens exactly that address, not its neighbours', () => {
    const allow = parseAllowList('127.0.0.1');
    expect(refusedAddress('127.0.0.1', allow)).toBeNull();
    expect(refusedAddress('::ffff:127.0.0.1', allow)).toBeNull();
    expect(refusedAddress('127.0.0.2', allow)).not.toBeNull();
    expect(refusedAddress('::1', allow)).not.toBeNull();
    expect(refusedAddress('10.0.0.1', allow)).not.toBeNull();
  });
});

describe('R12: WEBHOOK_ALLOW parsing', () => {
  it('nothing set allows nothing', () => {
    for (const text of [undefined, '', ' , ,']) {
      const allow = parseAllowList(text);
      expect(allow.hosts.size).toBe(0);
      expect(refusedAddress('127.0.0.1', allow)).not.toBeNull();
    }
    expect(refusedAddress('127.0.0.1', NOTHING_ALLOWED)).not.toBeNull();
  });

  it('reads host names (case-insensitive), addresses and CIDR ranges, comma-separated with spaces', () => {
    const allow = parseAllowList(' Hooks.Internal.Example , 10.1.2.3, 192.168.0.0/16,fd00::/8, ::1 ');
    expect([...allow.hosts]).toEqual(['hooks.internal.example']);
    expect(hostAllowed('hooks.internal.example', allow)).toBe(true);
    expect(hostAllowed('HOOKS.internal.example', allow)).toBe(true);
    expect(hostAllowed('other.internal.example', allow)).toBe(false);
    expect(refusedAddress('10.1.2.3', allow)).toBeNull();
    expect(refusedAddress('10.1.2.4', allow)).not.toBeNull();
    expect(refusedAddress('192.168.44.5', allow)).toBeNull();
    expect(refusedAddress('192.169.0.1', allow)).toBeNull(); // public anyway
    expect(refusedAddress('172.16.0.1', allow)).not.toBeNull();
    expect(refusedAddress('fd12::1', allow)).toBeNull();
    expect(refusedAddress('fe80::1', allow)).not.toBeNull();
    expect(refusedAddress('::1', allow)).toBeNull();
  });

  it('a trailing slash is malformed, not /0 (Number("") is 0, which would allow every address)', () => {
    expect(() => parseAllowList('10.0.0.0/')).toThrow(/bad prefix/);
  });

  it('a /0 range allows every address', () => {
    const allow = parseAllowList('0.0.0.0/0,::/0');
    for (const a of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', 'fe80::1']) expect(refusedAddress(a, allow), a).toBeNull();
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/-1', '10.0.0.0/x', '10.0.0.0/', '10.0.0.0/ 8', '10.0.0.0/0x8', '10.0.0.0/8.0', '10.0.0.0/1e1', 'hooks.example/24', 'http://hooks.example', 'user@host', 'bad_host', 'host:8080', '10.0.0.0/8/8'])(
    'throws on the malformed entry %s',
    (entry) => {
      expect(() => parseAllowList(`127.0.0.1,${entry}`)).toThrow(/WEBHOOK_ALLOW/);
    },
  );
});
