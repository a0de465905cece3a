/**
 * A Stream queue's failed entry as a failed-sample entry. The probe samples the failed list
 * with it, and the failure groups are keyed on what it keeps, so a bulk command selects a
 * group with the very same function (see `runStreamBulk`).
 */
import type { FailedJobSample } from '../../../schema';
import { failedJob } from '../../failed-sample';

/** The fields of a failed job the sample keeps (`''` is the parsed root). */
const FAILED_FIELDS: ReadonlySet<string> = new Set(['', 'id', 'className', 'failedAt', 'error']);

/**
 * A JSON job of the failed list as a sample entry, keeping only its id, class, time and error
 * (its first 200 characters); undefined for an entry that is no JSON job with a non-empty id.
 */
export function streamFailedSample(raw: string): FailedJobSample | undefined {
  let job: unknown;
  try {
    job = JSON.parse(raw, (key, value: unknown) => (FAILED_FIELDS.has(key) ? value : undefined));
  } catch {
    return undefined;
  }
  if (typeof job !== 'object' || job === null) return undefined;
  const { id, className, failedAt, error } = job as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return undefined;
  return failedJob(
    id,
    typeof className === 'string' ? className : undefined,
    typeof failedAt === 'number' ? failedAt : undefined,
    error,
  );
}
