/**
 * One type and one factory for every Redis connection Quasar opens: a single Redis
 * (`redis://`) or a Redis Cluster (`redis+cluster://`), with the same options either way.
 * Credentials, TLS and options reach every node of a cluster, and `duplicateRedisClient`
 * keeps them all.
 */
import Redis, { Cluster } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { parseRedisUrl } from './redis-url';

/** A connection to one Redis or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** Whether `client` talks to a Redis Cluster. */
export function isClusterClient(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/** The options that belong to the cluster client itself rather than to each node's connection. */
const CLUSTER_LEVEL = ['lazyConnect', 'enableOfflineQueue', 'enableReadyCheck'] as const;

/**
 * The cluster client's options for node-connection options `options`. Reads go to primaries
 * (a replica's view lags and Quasar's reads are small); slot maps are refreshed every 5 s and
 * on every `MOVED`; `retryStrategy` becomes the cluster's reconnect back-off, since a node's
 * own reconnects are superseded by the slot map.
 */
export function clusterOptions(
  options: RedisOptions,
  auth: { username?: string; password?: string; tls: boolean },
): ClusterOptions {
  const redisOptions: RedisOptions = { ...options };
  const top: ClusterOptions = {};
  for (const key of CLUSTER_LEVEL) {
    if (redisOptions[key] !== undefined) (top as Record<string, unknown>)[key] = redisOptions[key];
    delete redisOptions[key];
  }
  if (auth.username !== undefined) redisOptions.username = auth.username;
  if (auth.password !== undefined) redisOptions.password = auth.password;
  if (auth.tls && redisOptions.tls === undefined) redisOptions.tls = {};
  const retry = redisOptions.retryStrategy;
  delete redisOptions.retryStrategy;
  return {
    ...top,
    redisOptions,
    scaleReads: 'master',
    slotsRefreshInterval: 5000,
    ...(retry ? { clusterRetryStrategy: (times: number) => retry(times) ?? null } : {}),
    // TLS certificates of managed clusters name the configuration endpoint, not each node's
    // address: keep the host the node announced so the certificate check sees a hostname.
    ...(auth.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
  };
}

/**
 * Opens (lazily, when `options.lazyConnect` is set) a client for `url`: a `Cluster` for a
 * `redis+cluster://` URL, a `Redis` otherwise. Throws a `RedisUrlError` for a URL that is
 * neither.
 */
export function createRedisClient(url: string, options: RedisOptions = {}): RedisClient {
  const parsed = parseRedisUrl(url);
  if (parsed.kind === 'single') return new Redis(url, options);
  return new Cluster(
    parsed.seeds,
    clusterOptions(options, {
      username: parsed.username,
      password: parsed.password,
      tls: parsed.tls,
    }),
  );
}

/**
 * A second connection like `client` (same nodes, credentials, TLS and options, with
 * `overrides` applied), e.g. for SUBSCRIBE or a blocking read. On a cluster the overrides
 * apply to every node's connection, cluster-level ones (`lazyConnect`, …) to the cluster.
 */
export function duplicateRedisClient(
  client: RedisClient,
  overrides: RedisOptions = {},
): RedisClient {
  if (!isClusterClient(client)) return client.duplicate(overrides);
  const current = client.options;
  const redisOptions: RedisOptions = { ...current.redisOptions, ...overrides };
  const top: Partial<ClusterOptions> = {};
  for (const key of CLUSTER_LEVEL) {
    if (redisOptions[key] !== undefined) (top as Record<string, unknown>)[key] = redisOptions[key];
    delete redisOptions[key];
  }
  return client.duplicate(undefined, { ...current, ...top, redisOptions });
}
