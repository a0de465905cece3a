/**
 * A failed Horizon job as its hash holds it, read alike by the probe (the failed sample and its
 * groups) and by the bulk commands (their selection by group), so both compute one key.
 */
import type { FailedJobSample } from '../../../schema';
import { failedJob } from '../../failed-sample';
import { microtimeMs } from '../laravel/payload-time';

/** The job hash fields read for a failure, in `HMGET` order. */
export const FAILED_JOB_FIELDS = ['queue', 'name', 'failed_at', 'exception'] as const;

/** The first line of a PHP exception string (`Class: message in file:line`), without the trace. */
export function firstLine(text: string | null): string | undefined {
  if (!text) return undefined;
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

/**
 * The failure in an `HMGET` reply of `FAILED_JOB_FIELDS`, when its hash names `queue`;
 * undefined for another queue's job or a hash Horizon already expired.
 */
export function failureOfQueue(
  queue: string,
  id: string,
  fields: readonly (string | null)[] | undefined,
): FailedJobSample | undefined {
  const [jobQueue, name, failedAt, exception] = fields ?? [];
  if (jobQueue !== queue) return undefined;
  return failedJob(id, name ?? undefined, microtimeMs(failedAt), firstLine(exception ?? null));
}
