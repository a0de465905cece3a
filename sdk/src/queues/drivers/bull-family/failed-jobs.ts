/**
 * What the BullMQ and Bull executors share: which jobs a command targets and how a job that
 * changes state meanwhile is treated. Both libraries keep failed jobs in a sorted set scored by
 * `finishedOn`, list them newest first, and answer `getState()` for one job; the verbs
 * themselves (`retry`, `remove`) are each library's own atomic scripts.
 */
import type { RedisClient } from '../../../redis/redis-client';
import { CommandRejectedError } from '../../../commands/executor';
import { requireOneSlot } from '../same-slot';
import { bullKeys } from './keys';
import type { BullKeys } from './keys';
import { runBulk } from '../../../commands/bulk/run-bulk';
import { bullFailedSet, checkFailed } from './failed-set';
import { applicationRoot } from '../../failures/failure-scan';
import type {
  ExecutionContext,
  ExecutionOutcome,
  ExecutionTarget,
} from '../../../commands/executor';

/** The part of a BullMQ or Bull `Job` the executors read. */
export interface FamilyJob {
  readonly id?: string | number | null;
  /** `failed`, `completed`, `waiting`, … or `unknown` / `stuck` once the job is gone. */
  getState(): Promise<string>;
}

/** Where the jobs of one queue come from, in one library. */
export interface FailedJobSource<J extends FamilyJob> {
  /** The job with exactly this id, or undefined when it does not exist. */
  job(id: string): Promise<J | undefined>;
  /** The queue's connection, for the bulk commands' selection and checks. */
  readonly redis: RedisClient;
  /** The queue's keys. */
  readonly keys: BullKeys;
}

/**
 * Loads `name` (`bullmq` or `bull`) on first use: the probes read these layouts without the
 * libraries, so an agent that only monitors has no reason to install them.
 * @throws CommandRejectedError naming the package when it is not installed.
 */
export function loadLibrary<T>(name: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional peer, loaded only when a command needs it
    return require(name) as T;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
    // Only the package itself: a broken install (a missing transitive module) keeps its error.
    if (code !== 'MODULE_NOT_FOUND' || !first.includes(`'${name}'`)) throw error;
    throw new CommandRejectedError(
      `the package ${name} is not installed where the agent runs; it is needed to move ${name} jobs`,
    );
  }
}

/** The queue's Redis connection; the agent always passes one for the Redis-backed types. */
export function redisOf(context: ExecutionContext, type: string): RedisClient {
  if (!context.redis) throw new Error(`the ${type} executors need the monitor Redis connection`);
  return context.redis;
}

/**
 * Refuses, on a Redis Cluster, a queue whose keys do not share one slot: every script of
 * BullMQ and Bull touches several of them.
 */
export function requireBullSlot(redis: RedisClient, type: string, prefix: string, queue: string) {
  const keys = bullKeys(prefix, queue);
  requireOneSlot(
    redis,
    [keys.state('wait'), keys.state('failed'), keys.job('1')],
    `give the ${type} queue a hash-tagged prefix such as '{${prefix}}' (in the application and in the queue's prefix option), so that every key of the queue shares one slot`,
  );
}

/** The state every targeted job must be in. */
const FAILED = 'failed';

/**
 * Applies `action` to the failed jobs `target` names: exactly `jobId`, or, in `all-failed`, the
 * bulk selection (see `runBulk`): the newest `maxJobs` failed jobs, or those of one failure
 * group, in paced batches, or none in a dry run. `verb` names the action in skip reasons.
 *
 * - One job that is missing or not failed is rejected, with its state in the reason.
 * - In `all-failed`, a job that left the failed set since it was listed (retried or removed
 *   by someone else) is skipped and counted as such; one the action fails on is skipped with
 *   the error's first line, and the others go on.
 *
 * A state check cannot be atomic with `remove()`, which does not look at the state; the window
 * is a round trip, and only an operator's retry of that very job can fall in it, since no
 * worker takes a failed job.
 */
export async function applyToFailed<J extends FamilyJob>(
  source: FailedJobSource<J>,
  target: ExecutionTarget,
  verb: string,
  action: (job: J) => Promise<void>,
): Promise<ExecutionOutcome> {
  if (target.scope === 'job') {
    await applyToOne(source, target.jobId, action);
    return { affected: 1 };
  }
  const { redis, keys } = source;
  return runBulk(
    target,
    bullFailedSet(redis, keys),
    {
      check: (ids) => checkFailed(redis, keys, ids),
      async move(id) {
        const job = await source.job(id);
        if (job === undefined) throw new Error(`job ${id} is gone`);
        await action(job);
      },
      isFailed: async (id) => (await redis.zscore(keys.state('failed'), id)) !== null,
    },
    verb,
    applicationRoot(),
  );
}

async function applyToOne<J extends FamilyJob>(
  source: FailedJobSource<J>,
  jobId: string | undefined,
  action: (job: J) => Promise<void>,
): Promise<void> {
  if (jobId === undefined || jobId === '') {
    throw new CommandRejectedError('a command with scope job needs a job id');
  }
  const job = await source.job(jobId);
  if (!job) throw new CommandRejectedError(`job ${jobId} not found`);
  const state = await job.getState();
  if (state !== FAILED)
    throw new CommandRejectedError(`job ${jobId} is not failed (state: ${state})`);
  try {
    await action(job);
  } catch (error) {
    const now = await job.getState();
    if (now === FAILED) throw error;
    throw new CommandRejectedError(`job ${jobId} is no longer failed (state: ${now})`);
  }
}
