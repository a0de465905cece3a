/**
 * BullMQ as its executors use it: loaded on first use, typed by the few members they call, and
 * a `Queue` built over the application's own connection so that building it writes nothing
 * and closing it closes nothing the application owns.
 *
 * - `skipMetasUpdate`: a `Queue` otherwise writes `version` and `opts.maxLenEvents` into
 *   `{prefix}:{queue}:meta` as soon as it connects, claiming the queue for this BullMQ version.
 * - A connection given as a client is *shared*: BullMQ's `close()` detaches its listeners from
 *   it and leaves it open. It does define BullMQ's scripts on the client, as commands named
 *   after the BullMQ version, which is how BullMQ itself runs them.
 *
 * A `Queue` lives for one command and is closed after it: commands are rare operator actions,
 * and the executor contract holds no state between them to cache one in.
 */
import type { RedisClient } from '../../../redis/redis-client';
import type { ExecutionContext } from '../../../commands/executor';
import { loadLibrary, redisOf, requireBullSlot } from '../bull-family/failed-jobs';
import type { FailedJobSource, FamilyJob } from '../bull-family/failed-jobs';
import { bullKeys, bullPrefixOption } from '../bull-family/keys';

/** The part of a BullMQ `Job` the executors use. */
export interface BullmqJob extends FamilyJob {
  /** BullMQ's `reprocessJob` script: moves the job from `failed` to `wait` if it is still failed. */
  retry(state: 'failed'): Promise<void>;
  /** BullMQ's `removeJob` script: removes the job (and its children), unless it is locked. */
  remove(): Promise<void>;
}

/** The part of a BullMQ `Queue` the executors use. */
interface BullmqQueue {
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

/** The options the executors give a `Queue`; everything else is BullMQ's default. */
interface BullmqQueueOptions {
  connection: RedisClient;
  prefix: string;
  skipMetasUpdate: true;
}

/** The members of the `bullmq` package the executors use. */
interface BullmqModule {
  Queue: new (name: string, options: BullmqQueueOptions) => BullmqQueue;
  Job: { fromId(queue: BullmqQueue, id: string): Promise<BullmqJob | undefined> };
}

/**
 * Runs `use` with the jobs of BullMQ queue `queue` (under the `prefix` option, `bull` by
 * default) and closes the `Queue` afterwards, whatever `use` did.
 */
export async function withBullmqJobs<T>(
  context: ExecutionContext,
  queue: string,
  use: (jobs: FailedJobSource<BullmqJob>) => Promise<T>,
): Promise<T> {
  const connection = redisOf(context, 'bullmq');
  const prefix = bullPrefixOption(queue, 'bullmq', context.options);
  requireBullSlot(connection, 'bullmq', prefix, queue);
  const { Queue, Job } = loadLibrary<BullmqModule>('bullmq');
  const bullQueue = new Queue(queue, { connection, prefix, skipMetasUpdate: true });
  // Connection errors also reject the awaited call; without a listener they would throw.
  bullQueue.on('error', () => undefined);
  try {
    return await use({
      job: (id) => Job.fromId(bullQueue, id),
      redis: connection,
      keys: bullKeys(prefix, queue),
    });
  } finally {
    await bullQueue.close();
  }
}
