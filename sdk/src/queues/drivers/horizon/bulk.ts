/**
 * Bulk commands on a `horizon` queue (`all-failed`): Horizon's `failed_jobs` index covers every
 * queue of the app, so the selection reads it newest first (rank 0 is the newest: scores are
 * minus the time) and keeps the failures whose hash names this queue, fingerprinted as the
 * probe fingerprints its failed sample: the exception's first line, no stack, no root. Each
 * selected job is then moved by the verb's own one-job script, which refuses a job that changed.
 */
import type {
  ExecutionContext,
  ExecutionOutcome,
  ExecutionTarget,
} from '../../../commands/executor';
import { runBulk } from '../../../commands/bulk/run-bulk';
import type { FailedSet } from '../../../commands/bulk/failed-selection';
import { oneTrip } from '../../read-batch';
import { FAILED_JOB_FIELDS, failureOfQueue } from './failed-fields';
import { horizonContext } from './failed-jobs';

/**
 * Runs `target` on the failed jobs of its queue, moving each with `moveOne` (the verb's
 * executor for scope `job`).
 */
export async function runHorizonBulk(
  context: ExecutionContext,
  target: ExecutionTarget,
  verb: string,
  moveOne: (jobId: string) => Promise<unknown>,
): Promise<ExecutionOutcome> {
  const { redis, horizon } = horizonContext(context, target.queue);
  const index = horizon.index('failed_jobs');
  const readFailures = (ids: readonly string[]) =>
    oneTrip(redis, (r) => [
      Promise.all(ids.map((id) => r.zscore(index, id))),
      Promise.all(ids.map((id) => r.hmget(horizon.job(id), ...FAILED_JOB_FIELDS))),
    ]);
  const set: FailedSet = {
    shared: true,
    size: () => redis.zcard(index),
    ids: (start, count) => redis.zrange(index, start, start + count - 1),
    async failures(ids) {
      const [, hashes] = await readFailures(ids);
      return ids.map((id, i) => failureOfQueue(target.queue, id, hashes[i]));
    },
  };
  return runBulk(
    target,
    set,
    {
      async check(ids) {
        const [scores, hashes] = await readFailures(ids);
        return ids.map((id, i) => {
          const failure = failureOfQueue(target.queue, id, hashes[i]);
          return {
            failed: scores[i] !== null && failure !== undefined,
            ...(failure ? { failure } : {}),
          };
        });
      },
      move: async (id) => {
        await moveOne(id);
      },
      async isFailed(id) {
        const [score, jobQueue] = await Promise.all([
          redis.zscore(index, id),
          redis.hget(horizon.job(id), 'queue'),
        ]);
        return score !== null && jobQueue === target.queue;
      },
    },
    verb,
    // The probe groups the failed sample with no application root.
    undefined,
  );
}
