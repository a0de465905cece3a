/** Validation of one failed job as snapshots carry it: the failed sample and groups' examples. */
import type { FailedJobSample } from './heartbeat';
import { MAX_EPOCH_MS, MAX_NAME_LENGTH } from './limits';
import { cut, inRange, isRecord } from './parse-result';

/**
 * One failed job, rebuilt from its known fields and bounded (the reason cut to `reasonLimit`
 * characters); undefined when it has no usable id.
 */
export function readFailedJob(value: unknown, reasonLimit: number): FailedJobSample | undefined {
  if (!isRecord(value)) return undefined;
  const { id, name, failedAt, reason } = value;
  if (typeof id !== 'string' || id === '' || id.length > MAX_NAME_LENGTH) return undefined;
  const job: FailedJobSample = { id };
  if (typeof name === 'string' && name !== '') job.name = cut(name, MAX_NAME_LENGTH);
  if (inRange(failedAt, 0, MAX_EPOCH_MS)) job.failedAt = failedAt;
  if (typeof reason === 'string' && reason !== '') job.reason = cut(reason, reasonLimit);
  return job;
}
