/**
 * The second round trip of a `bull` or `bullmq` read, the same for both: the hashes of the
 * newest failed jobs, for the failed sample, and the `timestamp` of the oldest waiting job, for
 * its age. Both libraries store a job's hash with the same fields.
 */
import type { RedisClient } from '../../../redis/redis-client';
import type { FailedJobSample } from '../../../schema';
import { failedJob } from '../../failed-sample';
import { oneTrip } from '../../read-batch';
import type { BullKeys } from './keys';

/** The fields of a job hash read for the failed sample, in `HMGET` order. */
const FAILED_JOB_FIELDS = ['name', 'failedReason', 'finishedOn'] as const;

/**
 * One failed job's sample from its `HMGET` reply of `FAILED_JOB_FIELDS`. A job removed between
 * the two reads still yields its id.
 */
function failedJobFromHash(id: string, fields: readonly (string | null)[]): FailedJobSample {
  const [name, reason, finishedOn] = fields;
  const failedAt = finishedOn ? Number(finishedOn) : undefined;
  return failedJob(id, name ?? undefined, failedAt, reason);
}

/** How long ago a job was added, from its hash's `timestamp` (epoch ms); undefined if unknown. */
function ageOf(timestamp: string | null | undefined, nowMs: number): number | undefined {
  const added = timestamp ? Number(timestamp) : NaN;
  return Number.isFinite(added) ? Math.max(0, nowMs - added) : undefined;
}

/** The part of a reading that comes from job hashes. */
export interface JobDetails {
  /** One entry per id of `failedIds`, in the same order. */
  failedSample: FailedJobSample[];
  /** Left out when no job waits or its hash has no `timestamp`. */
  oldestWaitingAgeMs?: number;
}

/**
 * Reads the hashes of `failedIds` (newest first, at most `MAX_FAILED_SAMPLE`) and the
 * `timestamp` of `oldestId`, if any, in one round trip.
 */
export async function readJobDetails(
  redis: RedisClient,
  keys: BullKeys,
  failedIds: readonly string[],
  oldestId: string | undefined,
  nowMs: number,
): Promise<JobDetails> {
  const [failedFields, oldestTimestamp] = await oneTrip(redis, (r) => [
    Promise.all(failedIds.map((id) => r.hmget(keys.job(id), ...FAILED_JOB_FIELDS))),
    oldestId === undefined ? undefined : r.hmget(keys.job(oldestId), 'timestamp'),
  ]);
  const oldestWaitingAgeMs = ageOf(oldestTimestamp?.[0], nowMs);
  return {
    failedSample: failedIds.map((id, i) => failedJobFromHash(id, failedFields[i] ?? [])),
    ...(oldestWaitingAgeMs === undefined ? {} : { oldestWaitingAgeMs }),
  };
}
