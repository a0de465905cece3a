/** Bounds shared by every probe's failed-job sample. */
import type { FailedJobSample } from '../schema';

/** At most this many recent failed jobs per snapshot: the schema's bound, which readers apply. */
export { MAX_FAILED_SAMPLE } from '../schema/limits';
/** A failure reason is cut to this many characters. */
export const MAX_REASON_LENGTH = 200;

/** Cuts a failure reason to `MAX_REASON_LENGTH` characters (first line kept whole if shorter). */
export function cutReason(reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason === '') return undefined;
  return reason.length > MAX_REASON_LENGTH ? reason.slice(0, MAX_REASON_LENGTH) : reason;
}

/** Builds one sample entry, leaving out the fields the system did not record. */
export function failedJob(
  id: string,
  name: string | undefined,
  failedAt: number | undefined,
  reason: unknown,
): FailedJobSample {
  const sample: FailedJobSample = { id };
  if (name) sample.name = name;
  if (failedAt !== undefined && Number.isFinite(failedAt)) sample.failedAt = failedAt;
  const cut = cutReason(reason);
  if (cut !== undefined) sample.reason = cut;
  return sample;
}

/** A reply of `LLEN`/`ZCARD`/… as a count; anything else (an error, nil) counts as 0. */
export function countOf(reply: unknown): number {
  const n = typeof reply === 'number' ? reply : Number(reply);
  return Number.isFinite(n) && n > 0 ? n : 0;
}
