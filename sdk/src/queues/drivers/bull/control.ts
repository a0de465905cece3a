/**
 * Legacy Bull as the `pause` and `promote` executors use it: the same `Queue` over the
 * application's connection as `./queue.ts` builds for the failed-job verbs (only the `client`
 * connection, none opened), typed by the members these verbs call.
 */
import type { RedisClient } from '../../../redis/redis-client';
import type { ExecutionContext } from '../../../commands/executor';
import { loadLibrary, redisOf, requireBullSlot } from '../bull-family/failed-jobs';
import type { DelayedJob } from '../bull-family/delayed-jobs';
import { bullPrefixOption } from '../bull-family/keys';

/** The part of a Bull `Queue` the `pause` and `promote` executors use. */
export interface BullControlQueue {
  /**
   * `isLocal` false: Bull's global `pause` script (renames `wait` to `paused`, sets
   * `meta-paused` and BullMQ's `meta.paused`, publishes `paused`).
   */
  pause(isLocal: false): Promise<void>;
  /** The same script the other way, publishing `resumed`. */
  resume(isLocal: false): Promise<void>;
  /** `isLocal` false: `meta-paused` exists or `meta.paused` is set. */
  isPaused(isLocal: false): Promise<boolean>;
  getJob(id: string): Promise<DelayedJob | null>;
  /** Delayed jobs, soonest due first. */
  getDelayed(start: number, end: number): Promise<(DelayedJob | null)[]>;
  close(): Promise<void>;
}

type BullControlModule = new (
  name: string,
  options: { prefix: string; createClient(type: string): RedisClient },
) => BullControlQueue;

/**
 * Runs `use` with Bull queue `queue` (under the `prefix` option, `bull` by default) and closes
 * the `Queue` afterwards, whatever `use` did.
 */
export async function withBullControl<T>(
  context: ExecutionContext,
  queue: string,
  use: (queue: BullControlQueue) => Promise<T>,
): Promise<T> {
  const client = redisOf(context, 'bull');
  const prefix = bullPrefixOption(queue, 'bull', context.options);
  requireBullSlot(client, 'bull', prefix, queue);
  const Queue = loadLibrary<BullControlModule>('bull');
  const bullQueue = new Queue(queue, {
    prefix,
    createClient(type) {
      if (type !== 'client') throw new Error(`the bull executors open no ${type} connection`);
      return client;
    },
  });
  try {
    return await use(bullQueue);
  } finally {
    await bullQueue.close();
  }
}
