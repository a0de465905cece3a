/**
 * The `Host` names the server answers for. Any website can make a browser send requests to a
 * name of its own that it then resolves to 127.0.0.1 (DNS rebinding); those requests carry that
 * name in `Host`, so answering only for known names closes the hole. The same list decides which
 * `Origin` may send a state-changing request.
 */
import { networkInterfaces } from 'node:os';

/** Names and ports, normalised as `hostname:port` (IPv6 in brackets, port always written). */
export interface HostAllowList {
  /** `hostname:port` pairs allowed on exactly that port. */
  readonly exact: ReadonlySet<string>;
  /** Host names allowed on any port (configured without one). */
  readonly anyPort: ReadonlySet<string>;
}

/** Longest `Host` or `Origin` looked at: a name is at most 253 characters, plus a port. */
const MAX_AUTHORITY_LENGTH = 300;

/** `hostname` and `port` of an authority (`name`, `name:port`, `[v6]:port`), or undefined. */
function parseAuthority(
  authority: string,
  defaultPort: string,
): { hostname: string; port: string } | undefined {
  if (authority.length === 0 || authority.length > MAX_AUTHORITY_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${authority}`);
  } catch {
    return undefined;
  }
  // Anything beyond host and port (`a@b`, `b/c`, `b?c`) is not an authority.
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    return undefined;
  }
  if (`${url.host}` !== authority.toLowerCase() && `${url.hostname}:80` !== authority.toLowerCase())
    return undefined;
  return { hostname: url.hostname, port: url.port || defaultPort };
}

/** The machine's own addresses, for a server listening on all of them. */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((address) => (address ? [address.address] : []));
}

const bracketed = (address: string) => (address.includes(':') ? `[${address}]` : address);

/**
 * The list for a server listening on `listenHost:port`: that address, `localhost`, `127.0.0.1`
 * and `[::1]` on that port (and every address of the machine when listening on all of them),
 * plus the configured `extra` entries (`name` for any port, `name:port` for one).
 */
export function hostAllowList(
  listenHost: string,
  port: number,
  extra: readonly string[],
  addresses: () => string[] = interfaceAddresses,
): HostAllowList {
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::';
  const local = ['localhost', '127.0.0.1', '::1', ...(wildcard ? addresses() : [listenHost])];
  const exact = new Set<string>();
  const anyPort = new Set<string>();
  for (const name of local) {
    const parsed = parseAuthority(`${bracketed(name)}:${port}`, '80');
    if (parsed) exact.add(`${parsed.hostname}:${parsed.port}`);
  }
  for (const entry of extra) {
    const parsed = parseAuthority(entry, '80');
    if (!parsed) continue;
    if (/:\d+$/.test(entry)) exact.add(`${parsed.hostname}:${parsed.port}`);
    else anyPort.add(parsed.hostname);
  }
  return { exact, anyPort };
}

function allows(list: HostAllowList, hostname: string, port: string): boolean {
  return list.anyPort.has(hostname) || list.exact.has(`${hostname}:${port}`);
}

/** Whether a request's `Host` header names this server. */
export function hostAllowed(list: HostAllowList, host: string | undefined): boolean {
  const parsed = host === undefined ? undefined : parseAuthority(host, '80');
  return parsed !== undefined && allows(list, parsed.hostname, parsed.port);
}

/**
 * Whether a request's `Origin` may change state: absent (not a browser's cross-origin request)
 * or an http(s) origin on the list. `null` (sandboxed or opaque origins) is refused.
 */
export function originAllowed(list: HostAllowList, origin: string | undefined): boolean {
  if (origin === undefined) return true;
  const match = /^(https?):\/\/([^/]+)$/i.exec(origin);
  if (!match) return false;
  const parsed = parseAuthority(match[2]!, match[1]!.toLowerCase() === 'https' ? '443' : '80');
  return parsed !== undefined && allows(list, parsed.hostname, parsed.port);
}
