import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Outbound requests to URLs a *user* supplied (webhooks, subscription targets) must not reach
// loopback, private, link-local or metadata addresses — unless the operator allowed that host.
// The check runs inside the socket's DNS lookup, so a name that re-resolves (DNS rebinding)
// is judged on the address actually connected to.

const blocked = new BlockList();
for (const [net, prefix] of [
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
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** True for addresses a user-supplied URL may not reach (IPv4-mapped IPv6 judged as IPv4). */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = isIP(ip);
  if (family === 0) return true;
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export class BlockedAddressError extends Error {
  readonly code = 'ESSRFBLOCKED';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private or loopback address that is not in network.allowPrivateHosts`);
  }
}

/** Hosts (names or IPs) the operator allowed even though they are private. */
export type PrivateAllowList = ReadonlySet<string>;

/** Checks a URL before connecting: scheme and literal-IP hosts (a lookup never runs for those). */
export function checkUrlAllowed(url: URL, allow: PrivateAllowList): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol} is not allowed`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (allow.has(host)) return undefined;
  if (isIP(host) && isPrivateAddress(host)) return `${host} is a private or loopback address that is not in network.allowPrivateHosts`;
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is a loopback name that is not in network.allowPrivateHosts`;
  return undefined;
}

/** A dns lookup for net.connect that refuses private answers for hosts not on the allow list. */
export function guardedLookup(allow: PrivateAllowList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const ok = allow.has(hostname) ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (ok.length === 0) return callback(new BlockedAddressError(hostname, addresses[0]?.address ?? '?'), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, ok);
      callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}
