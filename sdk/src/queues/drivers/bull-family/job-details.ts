/**
 * The second round trip of a `bull` or `bullmq` read, the same for both: the hashes of the
 * newest failed jobs not read before (see `FailureScan`), for the failed sample and the failure
 * groups, and the `timestamp` of the oldest waiting job, for its age. Both libraries store a
 * job's hash with the same fields.
 */
import type { RedisClient } from '../../../redis/redis-client';
import type { FailedJobSample, FailureGroupsView } from '../../../schema';
import { MAX_FAILED_SAMPLE } from '../../failed-sample';
import type { FailureScan } from '../../failures/failure-scan';
import { MAX_SCANNED_FAILURES } from '../../failures/failure-scan';
import { oneTrip } from '../../read-batch';
import { FAILED_HASH_FIELDS, failureFromHash, listedFailures } from './failed-hash';
import type { BullKeys } from './keys';

/** How long ago a job was added, from its hash's `timestamp` (epoch ms); undefined if unknown. */
function ageOf(timestamp: string | null | undefined, nowMs: number): number | undefined {
  const added = timestamp ? Number(timestamp) : NaN;
  return Number.isFinite(added) ? Math.max(0, nowMs - added) : undefined;
}

/** The part of a reading that comes from job hashes. */
export interface JobDetails {
  /** The newest `MAX_FAILED_SAMPLE` listed failed jobs, newest first. */
  failedSample: FailedJobSample[];
  /** The listed failed jobs grouped by fingerprint; left out when none could be read. */
  failureGroups?: FailureGroupsView;
  /** Left out when no job waits or its hash has no `timestamp`. */
  oldestWaitingAgeMs?: number;
}

/** The failed set as the first round trip listed it. */
export interface FailedListing {
  /** `ZREVRANGE failed 0 MAX_SCANNED_FAILURES-1`. */
  ids: unknown;
  /** `ZREVRANGE failed 0 MAX_FAILED_SAMPLE-1 WITHSCORES`: scores are the costly part of a listing. */
  newest: unknown;
}

/**
 * Reads, in one round trip, the hashes of the listed failed jobs that `scan` has not read (at
 * their score, for the newest), and the `timestamp` of `oldestId`, if any.
 */
export async function readJobDetails(
  redis: RedisClient,
  keys: BullKeys,
  failedListing: FailedListing,
  oldestId: string | undefined,
  nowMs: number,
  scan: FailureScan,
): Promise<JobDetails> {
  const listed = listedFailures(failedListing.ids, failedListing.newest, MAX_SCANNED_FAILURES);
  const toRead = scan.toRead(listed);
  const [failedFields, oldestTimestamp] = await oneTrip(redis, (r) => [
    Promise.all(toRead.map((job) => r.hmget(keys.job(job.id), ...FAILED_HASH_FIELDS))),
    oldestId === undefined ? undefined : r.hmget(keys.job(oldestId), 'timestamp'),
  ]);
  toRead.forEach((job, i) => {
    const failure = failureFromHash(job.id, failedFields[i] ?? []);
    if (failure !== undefined) scan.record(job, failure);
  });
  const failedSample = listed
    .slice(0, MAX_FAILED_SAMPLE)
    .map((job) => scan.sample(job.id) ?? { id: job.id });
  const failureGroups = scan.groups(listed);
  const oldestWaitingAgeMs = ageOf(oldestTimestamp?.[0], nowMs);
  return {
    failedSample,
    ...(failureGroups.scanned === 0 ? {} : { failureGroups }),
    ...(oldestWaitingAgeMs === undefined ? {} : { oldestWaitingAgeMs }),
  };
}
