/**
 * The two commands of the read loop: XREADGROUP over many streams (this consumer's pending list,
 * or new entries) and XACK of what was handled, per stream so that one stream's error is its own.
 *
 * On a single Redis one XREADGROUP reads every stream, blocking for new entries. On a Redis
 * Cluster one command may only name streams of one slot, and a BLOCK over several slots is not
 * possible at all: there the read is one non-blocking XREADGROUP per slot, pipelined per
 * primary, and the consumer polls (see `poll-interval.ts`).
 */
import { isClusterClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import { execPerItem, groupBySlot } from '../redis/slot-groups';
import type { StreamReply } from './consumer-types';

/** Who reads, and how much per stream. */
export interface Reader {
  group: string;
  consumer: string;
  batchSize: number;
}

function readArgs(
  reader: Reader,
  keys: readonly string[],
  pending: boolean,
  blockMs: number,
): Array<string | number> {
  const args: Array<string | number> = ['GROUP', reader.group, reader.consumer];
  args.push('COUNT', reader.batchSize);
  if (!pending && blockMs > 0) args.push('BLOCK', blockMs);
  args.push('STREAMS', ...keys, ...keys.map(() => (pending ? '0' : '>')));
  return args;
}

/**
 * `reader`'s pending list (`0`) or new entries (`>`), of every key, at most `batchSize` per
 * stream. On a single Redis one XREADGROUP, blocking up to `blockMs` for new entries; on a
 * cluster one XREADGROUP per slot, never blocking. Rejects with the first error a read met.
 */
export async function readGroup(
  client: RedisClient,
  reader: Reader,
  keys: readonly string[],
  pending: boolean,
  blockMs: number,
): Promise<StreamReply> {
  if (!isClusterClient(client)) {
    return client.call(
      'XREADGROUP',
      ...readArgs(reader, keys, pending, blockMs),
    ) as Promise<StreamReply>;
  }
  const groups = groupBySlot(keys);
  const replies = await execPerItem(
    client,
    groups,
    (group) => group[0]!,
    (pipeline, group) => void pipeline.call('XREADGROUP', ...readArgs(reader, group, pending, 0)),
  );
  const merged: NonNullable<StreamReply> = [];
  for (const [[error, reply] = [new Error('no reply'), null]] of replies) {
    if (error) throw error;
    if (Array.isArray(reply)) merged.push(...(reply as NonNullable<StreamReply>));
  }
  return merged.length > 0 ? merged : null;
}

/**
 * Acknowledges entries: one round trip on a single Redis, one per primary on a cluster.
 * Resolves with the error of each stream that refused, by stream; rejects only when Redis
 * itself fails.
 */
export async function ackPerStream(
  client: RedisClient,
  group: string,
  byStream: ReadonlyMap<string, readonly string[]>,
): Promise<Map<string, Error>> {
  const failed = new Map<string, Error>();
  if (byStream.size === 0) return failed;
  const streams = [...byStream];
  const replies = await execPerItem(
    client,
    streams,
    ([stream]) => stream,
    (pipeline, [stream, ids]) => void pipeline.xack(stream, group, ...ids),
  );
  replies.forEach(([[error] = [null]], i) => {
    if (error) failed.set(streams[i]![0], error);
  });
  return failed;
}
