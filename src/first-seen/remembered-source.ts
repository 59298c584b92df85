import ipaddr from 'ipaddr.js';
import { parseSourceIp } from '../config/ip-range.js';

/** An IPv6 network given to one site or host: addresses within it are one source. */
const IPV6_SOURCE_BITS = 64;

/**
 * The source an event's sourceIPAddress is remembered as: an IPv4 address as written (an
 * IPv4-mapped IPv6 address as its IPv4), an IPv6 address as its /64, since a host picks a new
 * address within its /64 at will (privacy addresses). Undefined for anything that is not an
 * address: `AWS Internal`, a service name such as `cloudformation.amazonaws.com`.
 */
export const rememberedSource = (sourceIp: string): string | undefined => {
  const address = parseSourceIp(sourceIp);
  if (address === undefined) return undefined;
  if (address.kind() === 'ipv4') return address.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${IPV6_SOURCE_BITS}`);
  return `${network.toString()}/${IPV6_SOURCE_BITS}`;
};
