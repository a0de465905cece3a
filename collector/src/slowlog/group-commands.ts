/**
 * The consumer-group commands around the read loop: creating groups without creating their
 * streams, claiming a stopped replica's idle entries (all at once, or a step at a time for a
 * stream just acquired), and measuring the backlog. Each answers
 * per stream, so one deleted or wrong-typed key never fails the others. Each is one round trip
 * on a single Redis and one per primary on a cluster (see `slot-groups.ts`).
 */
import type { RedisClient } from '@gravito/quasar';
import { execPerItem } from '../redis/slot-groups';
import { isStreamError } from './stream-errors';

/** What `XGROUP CREATE` found at a key. */
export type GroupState = 'ready' | 'missing' | 'not-a-stream';

/**
 * Creates the group on each existing stream, from its first entry (entries written before the
 * collector ran are exported too), in one round trip. Keys are never created for a service that
 * has no slow log: a missing stream is reported as such. Rejects only when Redis itself fails.
 */
export async function createGroups(
  client: RedisClient,
  keys: readonly string[],
  group: string,
): Promise<Map<string, GroupState>> {
  const states = new Map<string, GroupState>();
  if (keys.length === 0) return states;
  const results = await execPerItem(
    client,
    keys,
    (key) => key,
    (pipeline, key) => void pipeline.xgroup('CREATE', key, group, '0'),
  );
  keys.forEach((key, i) => {
    const error = results[i]?.[0]?.[0];
    if (!error || error.message.startsWith('BUSYGROUP')) states.set(key, 'ready');
    else if (/requires the key to exist/i.test(error.message)) states.set(key, 'missing');
    else if (error.message.startsWith('WRONGTYPE')) states.set(key, 'not-a-stream');
    else throw error;
  });
  return states;
}

/** Claims entries idle for at least `minIdleMs` in `key`'s group; returns how many. */
export async function claimIdle(
  client: RedisClient,
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
      ...autoclaimIds(key, group, consumer, minIdleMs, cursor, count),
    )) as [string, string[], ...unknown[]];
    cursor = reply[0];
    claimed += reply[1].length;
  } while (cursor !== '0-0');
  return claimed;
}

/** What one claim step found on a stream. */
export interface ClaimStepResult {
  /** Entries claimed into this consumer's pending list. */
  claimed: number;
  /** Where the next step goes on; `0-0` once the pass over the pending entries ended. */
  cursor: string;
  /** Entries other consumers still hold, after the claim. */
  othersPending: number;
}

/** One stream's claim step: where it goes on, and how idle an entry must be. */
export interface ClaimRequest {
  key: string;
  cursor: string;
  minIdleMs: number;
}

/**
 * For each stream, one XAUTOCLAIM from its cursor (at most `count` entries idle for its
 * `minIdleMs`, JUSTID: they land in `consumer`'s pending list) followed by the group's XPENDING
 * summary, pipelined. Per stream, the result or the error Redis gave for it.
 */
export async function claimStep(
  client: RedisClient,
  requests: readonly ClaimRequest[],
  group: string,
  consumer: string,
  count: number,
): Promise<Map<string, ClaimStepResult | Error>> {
  const out = new Map<string, ClaimStepResult | Error>();
  if (requests.length === 0) return out;
  const results = await execPerItem(
    client,
    requests,
    ({ key }) => key,
    (pipeline, { key, cursor, minIdleMs }) => {
      pipeline.call(...autoclaimIds(key, group, consumer, minIdleMs, cursor, count));
      pipeline.call('XPENDING', key, group);
    },
    2,
  );
  requests.forEach(({ key }, i) => {
    const [claimError, claim] = results[i]?.[0] ?? [new Error('no reply')];
    const [pendingError, summary] = results[i]?.[1] ?? [new Error('no reply')];
    const error = claimError ?? pendingError;
    if (error) {
      out.set(key, error);
      return;
    }
    const [cursor, ids] = claim as [string, string[]];
    out.set(key, {
      claimed: ids.length,
      cursor,
      othersPending: othersPending(summary, consumer),
    });
  });
  return out;
}

/** Entries of consumers other than `consumer` in an XPENDING summary reply. */
function othersPending(summary: unknown, consumer: string): number {
  const perConsumer = Array.isArray(summary) ? (summary[3] as unknown) : undefined;
  if (!Array.isArray(perConsumer)) return 0;
  let others = 0;
  for (const row of perConsumer as unknown[]) {
    if (!Array.isArray(row) || String(row[0]) === consumer) continue;
    others += Number(row[1]) || 0;
  }
  return others;
}

/**
 * Pending (unacknowledged) plus undelivered (lag) entries of `group` over `keys`, in one round
 * trip. A key that is gone or not a stream adds nothing.
 */
export async function groupBacklog(
  client: RedisClient,
  keys: Iterable<string>,
  group: string,
): Promise<number> {
  const list = [...keys];
  if (list.length === 0) return 0;
  const results = await execPerItem(
    client,
    list,
    (key) => key,
    (pipeline, key) => void pipeline.call('XINFO', 'GROUPS', key),
  );
  let total = 0;
  for (const [[error, groups] = [new Error('no reply'), null]] of results) {
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

/** `XAUTOCLAIM key group consumer minIdle cursor COUNT n JUSTID`, as `call` arguments. */
function autoclaimIds(
  key: string,
  group: string,
  consumer: string,
  minIdleMs: number,
  cursor: string,
  count: number,
): [string, ...Array<string | number>] {
  return ['XAUTOCLAIM', key, group, consumer, minIdleMs, cursor, 'COUNT', count, 'JUSTID'];
}
