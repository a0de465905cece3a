/**
 * The consumer-group commands around the read loop: creating groups without creating their
 * streams, claiming a stopped replica's idle entries, and measuring the backlog. Each answers
 * per stream, so one deleted or wrong-typed key never fails the others.
 */
import type Redis from 'ioredis';
import { isStreamError } from './stream-errors';

/** What `XGROUP CREATE` found at a key. */
export type GroupState = 'ready' | 'missing' | 'not-a-stream';

/**
 * Creates the group on each existing stream, from its first entry (entries written before the
 * collector ran are exported too), in one round trip. Keys are never created for a service that
 * has no slow log: a missing stream is reported as such. Rejects only when Redis itself fails.
 */
export async function createGroups(
  client: Redis,
  keys: readonly string[],
  group: string,
): Promise<Map<string, GroupState>> {
  const states = new Map<string, GroupState>();
  if (keys.length === 0) return states;
  const pipeline = client.pipeline();
  for (const key of keys) pipeline.xgroup('CREATE', key, group, '0');
  const results = (await pipeline.exec()) ?? [];
  keys.forEach((key, i) => {
    const error = results[i]?.[0];
    if (!error || error.message.startsWith('BUSYGROUP')) states.set(key, 'ready');
    else if (/requires the key to exist/i.test(error.message)) states.set(key, 'missing');
    else if (error.message.startsWith('WRONGTYPE')) states.set(key, 'not-a-stream');
    else throw error;
  });
  return states;
}

/** Claims entries idle for at least `minIdleMs` in `key`'s group; returns how many. */
export async function claimIdle(
  client: Redis,
  key: string,
  group: string,
  consumer: string,
  minIdleMs: number,
  count: number,
): Promise<number> {
  let claimed = 0;
  let cursor = '0-0';
  do {
    const reply = (await client.call(
      'XAUTOCLAIM',
      key,
      group,
      consumer,
      minIdleMs,
      cursor,
      'COUNT',
      count,
      'JUSTID',
    )) as [string, string[], ...unknown[]];
    cursor = reply[0];
    claimed += reply[1].length;
  } while (cursor !== '0-0');
  return claimed;
}

/**
 * Pending (unacknowledged) plus undelivered (lag) entries of `group` over `keys`, in one round
 * trip. A key that is gone or not a stream adds nothing.
 */
export async function groupBacklog(
  client: Redis,
  keys: Iterable<string>,
  group: string,
): Promise<number> {
  const pipeline = client.pipeline();
  for (const key of keys) pipeline.call('XINFO', 'GROUPS', key);
  if (pipeline.length === 0) return 0;
  let total = 0;
  for (const [error, groups] of (await pipeline.exec()) ?? []) {
    if (error) {
      if (isStreamError(error) || /no such key/i.test(error.message)) continue;
      throw error;
    }
    for (const entry of groups as unknown[][]) {
      const info = new Map<string, unknown>();
      for (let i = 0; i + 1 < entry.length; i += 2) info.set(String(entry[i]), entry[i + 1]);
      if (info.get('name') !== group) continue;
      total += Number(info.get('pending') ?? 0) + Number(info.get('lag') ?? 0);
    }
  }
  return total;
}
