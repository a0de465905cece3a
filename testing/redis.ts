/**
 * Per-test access to the run's private Redis. Each test file gets its own database, handed out
 * atomically, so the fixed `gravito:quasar:*` keys of one file never meet another's.
 */
import Redis from 'ioredis';

const DB_COUNTER_KEY = 'quasar-test:next-db';
const DATABASES = 128;

/** The run's Redis URL, or undefined when the suite must be skipped (never in CI). */
export function testRedisUrl(): string | undefined {
  return process.env.QUASAR_TEST_REDIS_URL;
}

/** `describe` when Redis is up; a loud skip otherwise (globalSetup already failed CI). */
export const describeWithRedis: jest.Describe = testRedisUrl() ? describe : describe.skip;

/** Claims a fresh, flushed database and returns its URL. */
export async function claimDatabase(): Promise<string> {
  const base = testRedisUrl();
  if (!base) throw new Error('QUASAR_TEST_REDIS_URL is not set: is redis-server installed?');
  const admin = new Redis(base, { lazyConnect: true });
  await admin.connect();
  try {
    const n = await admin.incr(DB_COUNTER_KEY);
    const db = 1 + ((n - 1) % (DATABASES - 1));
    const url = base.replace(/\/\d+$/, `/${db}`);
    const client = new Redis(url, { lazyConnect: true });
    await client.connect();
    await client.flushdb();
    await client.quit();
    return url;
  } finally {
    await admin.quit();
  }
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: string | undefined;
  while (Date.now() < until) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last !== undefined ? `: ${last}` : ''}`,
  );
}

/**
 * A client for SUBSCRIBE, connected (database selected) before it subscribes: ioredis would
 * otherwise queue the subscription ahead of its own SELECT, which Redis refuses in subscriber
 * mode, leaving the client subscribed to nothing.
 */
export async function connectedSubscriber(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  return client;
}

/**
 * BullMQ's connection options for a `redis://host:port/db` URL. `maxRetriesPerRequest: null`
 * is what BullMQ requires of a worker's connection, and harmless for a queue's.
 */
export function bullmqConnection(url: string): {
  host: string;
  port: number;
  db: number;
  maxRetriesPerRequest: null;
} {
  const { hostname, port, pathname } = new URL(url);
  return {
    host: hostname,
    port: Number(port || 6379),
    db: Number(pathname.slice(1) || 0),
    maxRetriesPerRequest: null,
  };
}

/** The run's Redis Cluster URL (`redis+cluster://…`), or undefined when it could not start. */
export function testClusterUrl(): string | undefined {
  return process.env.QUASAR_TEST_CLUSTER_URL;
}

/**
 * `describe` when the run's Redis Cluster is up. Without it the suite is skipped locally; under
 * `CI=true` globalSetup has already failed the run. Every file shares the one cluster (a
 * cluster has a single database), so a test names its services with `uniqueName`; a test that
 * kills nodes or writes the v1 fleet-wide keys starts its own cluster with `startRedisCluster`.
 */
export const describeWithRedisCluster: jest.Describe = testClusterUrl() ? describe : describe.skip;

let uniqueCounter = 0;
/** A name no other test file in the run uses: `prefix` plus the worker's pid and a counter. */
export function uniqueName(prefix: string): string {
  uniqueCounter += 1;
  return `${prefix}-${process.pid}-${uniqueCounter}`;
}
