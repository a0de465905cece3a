/**
 * Legacy Bull as its executors use it: loaded on first use, typed by the few members they
 * call, and a `Queue` built over the application's own connection.
 *
 * - Bull opens its connections lazily through `createClient(type)`. The executors hand it the
 *   application's client as `client` and refuse the `subscriber` and `bclient` types, which
 *   only event listeners and job processing use; so no connection is opened.
 * - Bull's constructor writes nothing: it defines Bull's scripts on the client and reads the
 *   server version with `INFO`.
 * - `close()` only disconnects the connections Bull created itself, none here, and detaches
 *   its error listener from the client.
 *
 * A `Queue` lives for one command, as BullMQ's does (see `../bullmq/queue.ts`).
 */
import type { RedisClient } from '../../../redis/redis-client';
import type { ExecutionContext } from '../../../commands/executor';
import { loadLibrary, redisOf, requireBullSlot } from '../bull-family/failed-jobs';
import type { FailedJobSource, FamilyJob } from '../bull-family/failed-jobs';
import { bullKeys, bullPrefixOption } from '../bull-family/keys';

/** The part of a Bull `Job` the executors use. */
export interface BullJob extends FamilyJob {
  /** Bull's `reprocessJob` script: moves the job from `failed` to `wait` if it is still failed. */
  retry(): Promise<void>;
  /** Bull's `removeJob` script: removes the job from every state, unless it is locked. */
  remove(): Promise<void>;
}

/** The part of a Bull `Queue` the executors use. */
interface BullQueue {
  getJob(id: string): Promise<BullJob | null>;
  close(): Promise<void>;
}

/** The options the executors give a `Queue`; everything else is Bull's default. */
interface BullQueueOptions {
  prefix: string;
  createClient(type: string): RedisClient;
}

/** The `bull` package's export: the `Queue` constructor. */
type BullModule = new (name: string, options: BullQueueOptions) => BullQueue;

/**
 * Runs `use` with the jobs of Bull queue `queue` (under the `prefix` option, `bull` by
 * default) and closes the `Queue` afterwards, whatever `use` did.
 */
export async function withBullJobs<T>(
  context: ExecutionContext,
  queue: string,
  use: (jobs: FailedJobSource<BullJob>) => Promise<T>,
): Promise<T> {
  const client = redisOf(context, 'bull');
  const prefix = bullPrefixOption(queue, 'bull', context.options);
  requireBullSlot(client, 'bull', prefix, queue);
  const Queue = loadLibrary<BullModule>('bull');
  const bullQueue = new Queue(queue, {
    prefix,
    createClient(type) {
      if (type !== 'client') throw new Error(`the bull executors open no ${type} connection`);
      return client;
    },
  });
  try {
    return await use({
      job: async (id) => (await bullQueue.getJob(id)) ?? undefined,
      redis: client,
      keys: bullKeys(prefix, queue),
    });
  } finally {
    await bullQueue.close();
  }
}
