/**
 * The two commands of the read loop: XREADGROUP over many streams (this consumer's pending list,
 * or new entries) and XACK of what was handled, per stream so that one stream's error is its own.
 */
import type Redis from 'ioredis';
import type { StreamReply } from './consumer-types';

/** Who reads, and how much per stream. */
export interface Reader {
  group: string;
  consumer: string;
  batchSize: number;
}

/** One XREADGROUP: `reader`'s pending list (`0`) or new entries (`>`), of every key. */
export function readGroup(
  client: Redis,
  reader: Reader,
  keys: readonly string[],
  pending: boolean,
  blockMs: number,
): Promise<StreamReply> {
  const args: Array<string | number> = ['GROUP', reader.group, reader.consumer];
  args.push('COUNT', reader.batchSize);
  if (!pending && blockMs > 0) args.push('BLOCK', blockMs);
  args.push('STREAMS', ...keys, ...keys.map(() => (pending ? '0' : '>')));
  return client.call('XREADGROUP', ...args) as Promise<StreamReply>;
}

/**
 * Acknowledges entries in one round trip. Resolves with the error of each stream that refused,
 * by stream; rejects only when Redis itself fails.
 */
export async function ackPerStream(
  client: Redis,
  group: string,
  byStream: ReadonlyMap<string, readonly string[]>,
): Promise<Map<string, Error>> {
  const failed = new Map<string, Error>();
  if (byStream.size === 0) return failed;
  const streams = [...byStream.keys()];
  const pipeline = client.pipeline();
  for (const [stream, ids] of byStream) pipeline.xack(stream, group, ...ids);
  const results = (await pipeline.exec()) ?? [];
  results.forEach(([error], i) => {
    if (error) failed.set(streams[i]!, error);
  });
  return failed;
}
