/**
 * What the BullMQ and Bull `promote` executors share: which delayed jobs a command targets, and
 * how a job that left the delayed set meanwhile is treated. Both libraries keep delayed jobs in
 * a sorted set scored by due time; the promotion itself is each library's own `Job.promote()`
 * script, which refuses a job no longer delayed.
 */
import { CommandRejectedError } from '../../../commands/executor';
import type { ExecutionOutcome, ExecutionTarget } from '../../../commands/executor';
import { promoteBound, promotePreview, requiredJobId } from '../queue-state';
import type { FamilyJob } from './failed-jobs';

/** The part of a BullMQ or Bull `Job` the `promote` executors use. */
export interface DelayedJob extends FamilyJob {
  /** The library's `promote` script: moves the job from `delayed` to `wait` (or `paused`). */
  promote(): Promise<void>;
}

/** Where the delayed jobs of one queue come from, in one library. */
export interface DelayedJobSource<J extends DelayedJob> {
  /** The job with exactly this id, or undefined when it does not exist. */
  job(id: string): Promise<J | undefined>;
  /** The `count` delayed jobs due soonest, soonest first. */
  soonestDelayed(count: number): Promise<J[]>;
}

const DELAYED = 'delayed';

/** The skip reason of a job that stopped being delayed between the listing and its promotion. */
export const NO_LONGER_DELAYED = 'no longer delayed';

/**
 * Promotes the delayed jobs `target` names: exactly `jobId`, or the `maxJobs` due soonest (the
 * order of the libraries' own `Queue.promoteJobs()`, which cannot be bounded: its `count` is a
 * batch size and it loops until no delayed job is left).
 *
 * - One job that is missing or not delayed is rejected, with its state in the reason.
 * - In `all-delayed`, a job that became due and was taken by a worker meanwhile is skipped,
 *   counted under `no longer delayed`.
 * - A promotion that throws while the job is still delayed is a real failure and is rethrown.
 * - A dry run lists what it would promote, and promotes nothing.
 */
export async function promoteDelayed<J extends DelayedJob>(
  source: DelayedJobSource<J>,
  target: ExecutionTarget,
): Promise<ExecutionOutcome> {
  if (target.scope === 'job') {
    const jobId = requiredJobId(target);
    const job = await source.job(jobId);
    if (!job) throw new CommandRejectedError(`job ${jobId} not found`);
    const state = await job.getState();
    if (state !== DELAYED) {
      throw new CommandRejectedError(`job ${jobId} is not delayed (state: ${state})`);
    }
    if (target.dryRun === true) return promotePreview([jobId], 1);
    if (!(await promoteOne(job))) {
      throw new CommandRejectedError(`job ${jobId} is no longer delayed`);
    }
    return { affected: 1 };
  }
  const maxJobs = promoteBound(target);
  const jobs = await source.soonestDelayed(maxJobs);
  if (target.dryRun === true) {
    return promotePreview(
      jobs.map((job) => (job.id === undefined || job.id === null ? undefined : String(job.id))),
      maxJobs,
    );
  }
  let affected = 0;
  let gone = 0;
  for (const job of jobs) {
    if (await promoteOne(job)) affected += 1;
    else gone += 1;
  }
  return gone > 0
    ? { affected, skipped: [{ reason: NO_LONGER_DELAYED, count: gone }] }
    : { affected };
}

/** Promotes `job`; false when it had left the delayed set, rethrows any other failure. */
async function promoteOne(job: DelayedJob): Promise<boolean> {
  try {
    await job.promote();
    return true;
  } catch (error) {
    if ((await job.getState()) === DELAYED) throw error;
    return false;
  }
}
