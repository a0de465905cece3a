/**
 * Appends slow entries to their stream: one `XADD key MAXLEN ~ n * field value…` per entry, all
 * in one pipeline, so a backlog costs one round trip. No MULTI: the entries are independent,
 * and per-entry replies tell which ones to retry.
 */
import type { RedisClient } from '../redis/redis-client';
import { slowEntryToFields } from '../schema';
import type { SlowEntry } from '../schema';

/**
 * XADDs the entries in order; resolves with one reply per entry: null when written, else the
 * error. Rejects only when the pipeline as a whole could not be sent.
 */
export async function appendSlowEntries(
  client: RedisClient,
  key: string,
  maxLen: number,
  entries: readonly SlowEntry[],
): Promise<(Error | null)[]> {
  const pipeline = client.pipeline();
  for (const entry of entries) {
    // The id is the write time (`*`): buffered entries may be older than ids other nodes wrote
    // meanwhile. When it happened is the `timestamp` field.
    pipeline.xadd(key, 'MAXLEN', '~', maxLen, '*', ...slowEntryToFields(entry));
  }
  const replies = await pipeline.exec();
  if (!replies) throw new Error('the slow log pipeline was discarded');
  return entries.map((_, i) => {
    const reply = replies[i];
    return reply ? reply[0] : new Error('no reply to XADD');
  });
}
