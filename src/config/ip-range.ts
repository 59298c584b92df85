import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type IpRange = readonly [Address, number];

/**
 * IPv6 with a dotted tail only as IPv4-mapped (`::ffff:10.0.0.1`). ipaddr.js reads the deprecated
 * IPv4-compatible form (`::10.0.0.0/104`) as mapped too, so that range, which looks like obscure
 * IPv6, would allow the IPv4 network 10.0.0.0/8.
 */
const DOTTED_IPV6 = /^::ffff:\d+\.\d+\.\d+\.\d+$/i;

const isStrictAddress = (text: string): boolean =>
  ipaddr.IPv4.isValidFourPartDecimal(text) ||
  (ipaddr.IPv6.isValid(text) && (!text.includes('.') || DOTTED_IPV6.test(text)));

/**
 * Parses an address or CIDR as an allowlist writes it: strict dotted-quad IPv4 (no `0x7f.1`
 * shorthands, which would be a way to smuggle a range past a reviewer) or IPv6. A bare address
 * is a range of one.
 *
 * @returns the range, or `undefined` when the text is neither
 */
export const parseIpRange = (text: string): IpRange | undefined => {
  const [address, bits, ...rest] = text.split('/');
  if (address === undefined || rest.length > 0 || !isStrictAddress(address)) return undefined;
  const writtenAsIpv4 = ipaddr.IPv4.isValidFourPartDecimal(address);
  const width = writtenAsIpv4 ? 32 : 128;
  const parsed = ipaddr.process(address);
  if (bits === undefined) return [parsed, parsed.kind() === 'ipv4' ? 32 : 128];
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > width) return undefined;
  // An IPv4-mapped IPv6 CIDR (::ffff:10.0.0.0/104) is processed to IPv4, so its prefix shrinks.
  const prefix = !writtenAsIpv4 && parsed.kind() === 'ipv4' ? Number(bits) - 96 : Number(bits);
  if (prefix < 0) return undefined;
  return [parsed, prefix];
};

/**
 * Parses an event's sourceIPAddress. `AWS Internal`, service names such as
 * `support.amazonaws.com` and anything else that is not an address give `undefined`, so they
 * match no allowlist entry.
 */
export const parseSourceIp = (text: string): Address | undefined =>
  isStrictAddress(text) ? ipaddr.process(text) : undefined;

/**
 * The broadest ranges an allowlist may name. Anything wider lets root in from most of the
 * internet, which is what an entry without sourceIps does, and that is refused too.
 */
export const BROADEST_PREFIX = { ipv4: 8, ipv6: 16 } as const;

/** Whether a range is wider than {@link BROADEST_PREFIX} (IPv4-mapped ranges count as IPv4). */
export const isTooBroad = ([network, prefix]: IpRange): boolean =>
  prefix < BROADEST_PREFIX[network.kind()];

export const inRange = (address: Address, [network, prefix]: IpRange): boolean =>
  address.kind() === network.kind() && address.match(network, prefix);
