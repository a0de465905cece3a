/**
 * BullMQ as the `pause` and `promote` executors use it: the same `Queue` over the application's
 * connection as `./queue.ts` builds for the failed-job verbs (no meta update, nothing of the
 * application closed), typed by the members these verbs call.
 */
import type { RedisClient } from '../../../redis/redis-client';
import type { ExecutionContext } from '../../../commands/executor';
import { loadLibrary, redisOf, requireBullSlot } from '../bull-family/failed-jobs';
import type { DelayedJob } from '../bull-family/delayed-jobs';
import { bullPrefixOption } from '../bull-family/keys';

/** The part of a BullMQ `Queue` the `pause` and `promote` executors use. */
export interface BullmqControlQueue {
  /** BullMQ's `pause` script: sets `meta.paused`, removes the marker, emits `paused`. */
  pause(): Promise<void>;
  /** The same script the other way: clears `meta.paused`, re-adds the marker, emits `resumed`. */
  resume(): Promise<void>;
  /** `HEXISTS meta paused`. */
  isPaused(): Promise<boolean>;
  /** Delayed jobs by due time; `asc` puts the soonest first. */
  getDelayed(start: number, end: number, asc: boolean): Promise<(DelayedJob | undefined)[]>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

interface BullmqControlModule {
  Queue: new (
    name: string,
    options: { connection: RedisClient; prefix: string; skipMetasUpdate: true },
  ) => BullmqControlQueue;
  Job: { fromId(queue: BullmqControlQueue, id: string): Promise<DelayedJob | undefined> };
}

/** What `use` is given: the queue, and its jobs by exact id. */
export interface BullmqControl {
  queue: BullmqControlQueue;
  job: (id: string) => Promise<DelayedJob | undefined>;
}

/**
 * Runs `use` with BullMQ queue `queue` (under the `prefix` option, `bull` by default) and closes
 * the `Queue` afterwards, whatever `use` did.
 */
export async function withBullmqControl<T>(
  context: ExecutionContext,
  queue: string,
  use: (control: BullmqControl) => Promise<T>,
): Promise<T> {
  const connection = redisOf(context, 'bullmq');
  const prefix = bullPrefixOption(queue, 'bullmq', context.options);
  requireBullSlot(connection, 'bullmq', prefix, queue);
  const { Queue, Job } = loadLibrary<BullmqControlModule>('bullmq');
  const bullQueue = new Queue(queue, { connection, prefix, skipMetasUpdate: true });
  // Connection errors also reject the awaited call; without a listener they would throw.
  bullQueue.on('error', () => undefined);
  try {
    return await use({ queue: bullQueue, job: (id) => Job.fromId(bullQueue, id) });
  } finally {
    await bullQueue.close();
  }
}
