import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Outbound requests to URLs a *user* supplied (webhooks, Slack/Teams endpoints, subscription
// targets) must not reach loopback, private, link-local or metadata addresses — unless the
// operator allowed that host. The check runs inside the socket's own DNS lookup: the address it
// approves is the address the socket connects to, with no second lookup in between, so a name
// that re-resolves (DNS rebinding) cannot swap in a private address after the check.

// Two lists: BlockList matches an IPv4 address against IPv6 rules such as ::/96 too.
const blocked4 = new BlockList();
const blocked6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255
] as const) {
  blocked4.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback (::1) and the deprecated IPv4-compatible form
  ['::ffff:0:0', 96], // IPv4-mapped: never a reason to write one in a webhook URL
  ['64:ff9b::', 96], // NAT64: would carry the request to any IPv4 address, private ones too
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address we would have to judge again
  ['fc00::', 7], // unique local (ULA)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked6.addSubnet(net, prefix, 'ipv6');
}

/** True for addresses a user-supplied URL may not reach; anything that is not an IP counts as blocked. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return true;
  if (family === 4) return blocked4.check(ip, 'ipv4');
  return blocked6.check(ip, 'ipv6');
}

export class BlockedAddressError extends Error {
  readonly code = 'ESSRFBLOCKED';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private or loopback address that is not in network.allowPrivateHosts`);
  }
}

/** Hosts (names or IPs) the operator allowed even though they are private or plain http. */
export type PrivateAllowList = ReadonlySet<string>;

/** The resolver the guard asks (node's dns.lookup shape); injectable so tests can fake a name. */
export type Resolver = (hostname: string, options: { all: true; family?: number }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/** A URL host without IPv6 brackets or a trailing dot, lower-case: the form the allow list holds. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

/** The operator's allow list in the form URLs are compared in (lower-case, IPv6 compressed, no brackets). */
export function allowListOf(hosts: readonly string[]): PrivateAllowList {
  return new Set(
    hosts.map((host) => {
      try {
        return hostOf(new URL(`http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}/`));
      } catch {
        return host.toLowerCase();
      }
    }),
  );
}

/**
 * Checks a user-supplied URL before connecting: https only, and no literal private address or
 * loopback name (a literal IP never goes through the lookup). Hosts on the operator's allow
 * list may be private and may use plain http (internal endpoints). Returns the refusal, if any.
 */
export function checkUrlAllowed(url: URL, allow: PrivateAllowList): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol} is not allowed`;
  const host = hostOf(url);
  if (allow.has(host)) return undefined;
  if (isIP(host) && isPrivateAddress(host)) return `${host} is a private or loopback address that is not in network.allowPrivateHosts`;
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is a loopback name that is not in network.allowPrivateHosts`;
  if (url.protocol === 'http:') return `plain http to ${host} is not allowed (https only, unless the host is in network.allowPrivateHosts)`;
  return undefined;
}

/**
 * A dns lookup for net.connect that refuses private answers for hosts not on the allow list.
 * It resolves once and hands back only approved addresses: those are what the socket connects to.
 */
export function guardedLookup(allow: PrivateAllowList, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const family = typeof options.family === 'number' && options.family !== 0 ? { family: options.family } : {};
    resolve(hostname, { all: true, ...family }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const name = hostname.replace(/\.$/, '').toLowerCase();
      const ok = allow.has(name) ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (ok.length === 0) return callback(new BlockedAddressError(hostname, addresses[0]?.address ?? '(no address)'), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, ok);
      callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}
