/**
 * The consumer-group commands around the read loop: creating a group without creating its
 * stream, claiming a stopped replica's idle entries, and measuring the backlog.
 */
import type Redis from 'ioredis';

/**
 * Creates the group on an existing stream, from its first entry (entries written before the
 * collector ran are exported too). Returns false when the stream does not exist yet: keys are
 * never created for a service that has no slow log.
 */
export async function createGroup(client: Redis, key: string, group: string): Promise<boolean> {
  try {
    await client.xgroup('CREATE', key, group, '0');
    return true;
  } catch (error) {
    const message = (error as Error).message;
    if (message.startsWith('BUSYGROUP')) return true;
    if (/requires the key to exist/i.test(message)) return false;
    throw error;
  }
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

/** Pending (unacknowledged) plus undelivered (lag) entries of `group` over `keys`. */
export async function groupBacklog(
  client: Redis,
  keys: Iterable<string>,
  group: string,
): Promise<number> {
  let total = 0;
  for (const key of keys) {
    const groups = (await client.call('XINFO', 'GROUPS', key)) as unknown[][];
    for (const entry of groups) {
      const info = new Map<string, unknown>();
      for (let i = 0; i + 1 < entry.length; i += 2) info.set(String(entry[i]), entry[i + 1]);
      if (info.get('name') !== group) continue;
      total += Number(info.get('pending') ?? 0) + Number(info.get('lag') ?? 0);
    }
  }
  return total;
}
