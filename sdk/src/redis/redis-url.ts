/**
 * The grammar of the Redis URLs every Quasar component accepts:
 * - `redis://[user:pass@]host[:port][/db]` and `rediss://…` (TLS): one Redis, as ioredis reads it;
 * - `redis+cluster://[user:pass@]host:port[,host:port…]` and `rediss+cluster://…` (TLS): a
 *   Redis Cluster (or Valkey cluster, ElastiCache/MemoryDB in cluster mode) given by seed
 *   nodes. A cluster has a single database, so a path other than `/` or `/0` is refused.
 */

/** One seed node of a cluster. */
export interface RedisSeed {
  host: string;
  port: number;
}

/** A parsed Redis URL. */
export type ParsedRedisUrl =
  | { kind: 'single'; url: string; tls: boolean }
  | {
      kind: 'cluster';
      seeds: RedisSeed[];
      username: string | undefined;
      password: string | undefined;
      tls: boolean;
    };

/** A URL that is not one of the accepted forms; the message says what is wrong. */
export class RedisUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUrlError';
  }
}

/** Longest URL accepted: a generous bound for a few dozen seeds with credentials. */
export const MAX_REDIS_URL_LENGTH = 4096;
/** Most seeds accepted in one cluster URL. */
export const MAX_CLUSTER_SEEDS = 64;

const SINGLE_SCHEMES = new Set(['redis:', 'rediss:']);
const CLUSTER_SCHEMES = new Set(['redis+cluster:', 'rediss+cluster:']);

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RedisUrlError(`the ${what} in the Redis URL is not valid percent-encoding`);
  }
}

function parseSeed(text: string): RedisSeed {
  // `[::1]:7000` (IPv6 in brackets) or `host:7000`.
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/]+):(\d{1,5})$/.exec(text);
  if (!match) {
    throw new RedisUrlError(
      `cluster seed "${text}" is not host:port (a cluster URL names each seed's port)`,
    );
  }
  const [, rawHost = '', rawPort = ''] = match;
  const port = Number(rawPort);
  if (port < 1 || port > 65535) throw new RedisUrlError(`cluster seed "${text}" has no valid port`);
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { host, port };
}

function parseCluster(url: string, scheme: string): ParsedRedisUrl {
  let rest = url.slice(scheme.length);
  if (!rest.startsWith('//')) throw new RedisUrlError(`expected ${scheme}//host:port[,host:port…]`);
  rest = rest.slice(2);
  if (/[?#]/.test(rest)) throw new RedisUrlError('a cluster URL takes no query or fragment');
  // Credentials end at the last `@`: a password that holds `/` or `@` must never be read as
  // the path (and quoted in an error).
  const at = rest.lastIndexOf('@');
  const userinfo = at === -1 ? undefined : rest.slice(0, at);
  const afterAt = at === -1 ? rest : rest.slice(at + 1);
  const slash = afterAt.indexOf('/');
  const path = slash === -1 ? '' : afterAt.slice(slash);
  const hosts = slash === -1 ? afterAt : afterAt.slice(0, slash);
  if (path !== '' && path !== '/' && path !== '/0') {
    throw new RedisUrlError(`a cluster has one database (0); the URL asks for "${path}"`);
  }
  let username: string | undefined;
  let password: string | undefined;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
    username = user === '' ? undefined : decode(user, 'user name');
    password = colon === -1 ? undefined : decode(userinfo.slice(colon + 1), 'password');
  }
  const parts = hosts.split(',');
  if (parts.length > MAX_CLUSTER_SEEDS) {
    throw new RedisUrlError(`a cluster URL names at most ${MAX_CLUSTER_SEEDS} seeds`);
  }
  const seeds = parts.map((part) => parseSeed(part.trim()));
  return { kind: 'cluster', seeds, username, password, tls: scheme === 'rediss+cluster:' };
}

/** Whether `url` starts with one of the accepted schemes (whatever follows). */
export function hasRedisScheme(url: string): boolean {
  const colon = url.indexOf(':');
  const scheme = colon === -1 ? '' : url.slice(0, colon + 1).toLowerCase();
  return SINGLE_SCHEMES.has(scheme) || CLUSTER_SCHEMES.has(scheme);
}

/** Parses `url`, or throws a `RedisUrlError` saying what is wrong. */
export function parseRedisUrl(url: string): ParsedRedisUrl {
  if (typeof url !== 'string' || url.length === 0)
    throw new RedisUrlError('the Redis URL is empty');
  if (url.length > MAX_REDIS_URL_LENGTH) {
    throw new RedisUrlError(`the Redis URL is longer than ${MAX_REDIS_URL_LENGTH} characters`);
  }
  const colon = url.indexOf(':');
  const scheme = colon === -1 ? '' : url.slice(0, colon + 1).toLowerCase();
  if (CLUSTER_SCHEMES.has(scheme)) return parseCluster(url, scheme);
  if (SINGLE_SCHEMES.has(scheme)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new RedisUrlError('the Redis URL does not parse as a URL');
    }
    if (parsed.hostname === '') throw new RedisUrlError('the Redis URL names no host');
    return { kind: 'single', url, tls: scheme === 'rediss:' };
  }
  throw new RedisUrlError(
    'a Redis URL starts with redis://, rediss://, redis+cluster:// or rediss+cluster://',
  );
}

/** The URL with its password replaced by `***`, for logs and errors. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@]*@/i, '$1***@');
}
