/**
 * The bare minimum of a remote retry, without Quasar: a plain ioredis subscriber that, for
 * each message, moves the element in one `MULTI` (`LREM {q}:failed 1 elem` + `LPUSH {q} elem`)
 * and PUBLISHes a small result. No signature, no checks, no claim, no stored result: what an
 * unsigned, unchecked, unclaimed, unaudited executor would cost.
 */
import type { Redis } from 'ioredis';
import { listKeys } from '../src/queues/drivers/redis/keys';
import { failedElement, QUEUE } from './command-fixtures';

/** The channel the reference listens on, and the one it answers on. */
export const REFERENCE_CHANNELS = {
  commands: 'bench:reference:commands',
  results: 'bench:reference:results',
} as const;

/**
 * Subscribes `subscriber` on the reference's command channel; `redis` runs the moves and
 * publishes the results. Resolves once subscribed.
 */
export async function startBareExecutor(subscriber: Redis, redis: Redis): Promise<void> {
  subscriber.on('message', (_channel: string, message: string) => {
    const { id, payload } = JSON.parse(message) as { id: string; payload: { jobId: string } };
    const element = failedElement(payload.jobId);
    const { failed, waiting } = listKeys(QUEUE);
    redis
      .multi()
      .lrem(failed, 1, element)
      .lpush(waiting, element)
      .exec()
      .then((replies) => {
        const affected = Number(replies?.[0]?.[1] ?? 0);
        const status = affected === 1 ? 'succeeded' : 'failed';
        return redis.publish(
          REFERENCE_CHANNELS.results,
          JSON.stringify({ commandId: id, status, affected }),
        );
      })
      .catch(() => undefined);
  });
  await subscriber.subscribe(REFERENCE_CHANNELS.commands);
}
