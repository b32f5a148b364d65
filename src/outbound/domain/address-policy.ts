import ipaddr from 'ipaddr.js';

/**
 * Why a webhook may not connect to this IP address, or undefined when it may: only globally routable unicast
 * addresses pass. Private, loopback, link-local (cloud metadata at 169.254.169.254), unique-local (fd00:ec2::254),
 * carrier-grade NAT (100.100.100.200), multicast, reserved and unspecified addresses do not, nor IPv6 forms that
 * carry an IPv4 address (mapped, NAT64, 6to4, Teredo), since the IPv4 inside may be any of those.
 */
export function blockedAddress(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  const parsed = ipaddr.parse(address);
  const ip = parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
  const range = ip.range();
  return range === 'unicast' ? undefined : `${address} is a ${range} address`;
}
