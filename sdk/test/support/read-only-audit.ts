/**
 * Proofs that a probe only reads: a snapshot of the whole keyspace to diff around a read, the
 * commands one connection sent as `MONITOR` saw them, and a throwaway ACL user to read
 * through, so the documented ACL line is shown to be enough.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { eventually } from '../../../testing/redis';
import { startMonitor } from './monitor';

/** Every key of the database with its serialized value (`DUMP`) and whether it expires. */
async function keyspace(redis: Redis): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const key of (await redis.keys('*')).sort()) {
    const [value, ttl] = await Promise.all([redis.dumpBuffer(key), redis.pttl(key)]);
    snapshot[key] = `${value?.toString('hex') ?? 'gone'} ${ttl === -1 ? 'persistent' : 'expiring'}`;
  }
  return snapshot;
}

/**
 * The commands `client` sent while `action` ran, lower-cased, each with its arguments. A
 * sentinel sent by `admin` afterwards marks the end: `MONITOR` reports commands in the order
 * they ran, so once it shows, everything `client` sent before it has been seen, and nothing
 * after it is recorded.
 */
async function commandsSentBy(
  admin: Redis,
  client: Redis,
  action: () => Promise<unknown>,
): Promise<string[][]> {
  const info = String(await client.call('CLIENT', 'INFO'));
  const address = /\baddr=(\S+)/.exec(info)?.[1];
  if (!address) throw new Error(`no addr in CLIENT INFO: ${info}`);
  const sentinel = `quasar-audit-${randomUUID()}`;
  const seen: string[][] = [];
  let ended = false;
  const monitor = await startMonitor(admin);
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (ended) return;
    if (source === address) seen.push([args[0]?.toLowerCase() ?? '', ...args.slice(1)]);
    if (args[0]?.toLowerCase() === 'echo' && args[1] === sentinel) ended = true;
  });
  try {
    await action();
    await eventually(
      async () => {
        await admin.echo(sentinel);
        return ended ? true : undefined;
      },
      5000,
      'the MONITOR sentinel',
    );
  } finally {
    monitor.disconnect();
  }
  return seen;
}

/** What one audited read did. */
export interface ReadAudit {
  /** The commands the read's connection sent, in order, lower-cased, with their arguments. */
  commands: string[][];
  /**
   * Every key with its `DUMP` and whether it expires, just before the read: `after` equals it
   * if nothing was written.
   */
  before: Record<string, string>;
  /** The keyspace just after the read. */
  after: Record<string, string>;
}

/**
 * Runs `read` on a connection of its own to `url`, and reports the commands that connection
 * sent and the keyspace around the read, both seen through `admin`.
 */
export async function auditRead(
  admin: Redis,
  url: string,
  read: (redis: Redis) => Promise<unknown>,
): Promise<ReadAudit> {
  const reader = new Redis(url);
  try {
    const before = await keyspace(admin);
    const commands = await commandsSentBy(admin, reader, () => read(reader));
    return { commands, before, after: await keyspace(admin) };
  } finally {
    reader.disconnect();
  }
}

/** A throwaway ACL user for `withAclUser`. */
export interface AclUser {
  /** The test's database, as `claimDatabase()` gave it. */
  url: string;
  /** The rules the user holds, e.g. a documented ACL line less `on >password`. */
  rules: readonly string[];
  /**
   * Options for the user's connection on top of the defaults (no ready check, no retries), for
   * an ACL line that also covers what a client sends on connect (`INFO`, `CLIENT SETNAME`).
   */
  connection?: RedisOptions;
}

/**
 * Runs `use` with a connection of a new ACL user holding only `user.rules` (plus `+select`,
 * which the test's non-zero database needs to connect) and the user's name, then deletes the
 * user.
 */
export async function withAclUser<T>(
  admin: Redis,
  user: AclUser,
  use: (redis: Redis, username: string) => Promise<T>,
): Promise<T> {
  const username = `quasar-test-${randomUUID()}`;
  const password = randomUUID();
  await admin.call(
    'ACL',
    'SETUSER',
    username,
    'reset',
    'on',
    `>${password}`,
    ...user.rules,
    '+select',
  );
  const redis = new Redis(user.url, {
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    ...user.connection,
    username,
    password,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    return await use(redis, username);
  } finally {
    redis.disconnect();
    await admin.call('ACL', 'DELUSER', username);
  }
}
