import { describe, expect, it } from 'vitest';
import { rememberedSource } from '../../src/first-seen/remembered-source.js';

describe('rememberedSource', () => {
  it('remembers an IPv4 address as it is, and an IPv4-mapped IPv6 address as its IPv4', () => {
    expect(rememberedSource('203.0.113.7')).toBe('203.0.113.7');
    expect(rememberedSource('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('remembers an IPv6 address by its /64, so that a host’s next privacy address is no new source', () => {
    expect(rememberedSource('2001:db8:4f2a:0:1234:5678:9abc:def0')).toBe('2001:db8:4f2a::/64');
    expect(rememberedSource('2001:db8:4f2a::17')).toBe('2001:db8:4f2a::/64');
    expect(rememberedSource('2001:0DB8:4F2A:0001::1')).toBe('2001:db8:4f2a:1::/64');
    expect(rememberedSource('2001:db8:4f2a:2::1')).not.toBe(rememberedSource('2001:db8:4f2a:1::1'));
  });

  it.each([
    'AWS Internal',
    'cloudformation.amazonaws.com',
    'support.amazonaws.com',
    '',
    'Unknown',
    // Shorthands a parser would read as an address: no source CloudTrail writes.
    '0x7f.1',
    '2130706433',
    '203.0.113.7/32',
  ])('remembers nothing for %j, which is no address', (sourceIp) => {
    expect(rememberedSource(sourceIp)).toBeUndefined();
  });
});
