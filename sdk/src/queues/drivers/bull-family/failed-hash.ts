/**
 * A failed BullMQ or Bull job as its hash and its failed set hold it: both libraries list
 * failed jobs in a sorted set scored by `finishedOn`, and keep `name`, `failedReason`,
 * `finishedOn` and `stacktrace` (a JSON array of `err.stack` strings, one per failed attempt,
 * the newest last) in the job's hash.
 */
import { failedJob } from '../../failed-sample';
import type { Failure } from '../../failures/groups';
import type { ListedFailure } from '../../failures/failure-scan';

/** The fields of a job hash read for a failure, in `HMGET` order. */
export const FAILED_HASH_FIELDS = ['name', 'failedReason', 'finishedOn', 'stacktrace'] as const;

/** A `stacktrace` field longer than this is not parsed: its frame is left out. */
export const MAX_STACKTRACE_FIELD = 64 * 1024;

/**
 * The listed failed jobs: `ids` a `ZREVRANGE` reply (newest first), `newest` a `ZREVRANGE …
 * WITHSCORES` reply (`[id, score, …]`) of its first few, whose scores become their versions.
 * Anything that is not a string id is skipped.
 */
export function listedFailures(ids: unknown, newest: unknown, max: number): ListedFailure[] {
  const versions = new Map<string, number>();
  if (Array.isArray(newest)) {
    for (let i = 0; i + 1 < newest.length; i += 2) {
      const [id, score] = [newest[i] as unknown, Number(newest[i + 1])];
      if (typeof id === 'string' && Number.isFinite(score)) versions.set(id, score);
    }
  }
  const listed: ListedFailure[] = [];
  if (!Array.isArray(ids)) return listed;
  for (const id of ids as unknown[]) {
    if (listed.length >= max) break;
    if (typeof id !== 'string' || id === '') continue;
    const version = versions.get(id);
    listed.push(version === undefined ? { id } : { id, version });
  }
  return listed;
}

/** The newest stack of a `stacktrace` field; undefined when there is none or it is too long. */
export function newestStack(field: string | null | undefined): string | undefined {
  if (!field || field.length > MAX_STACKTRACE_FIELD) return undefined;
  let stacks: unknown;
  try {
    stacks = JSON.parse(field);
  } catch {
    return undefined;
  }
  if (!Array.isArray(stacks) || stacks.length === 0) return undefined;
  const newest: unknown = stacks[stacks.length - 1];
  return typeof newest === 'string' ? newest : undefined;
}

/**
 * The failure in an `HMGET` reply of `FAILED_HASH_FIELDS`; undefined when the hash is gone
 * (no field but perhaps `stacktrace` set): the job was removed after it was listed.
 */
export function failureFromHash(id: string, fields: unknown): Failure | undefined {
  if (!Array.isArray(fields)) return undefined;
  const [name, reason, finishedOn, stacktrace] = (fields as unknown[]).map((f) =>
    typeof f === 'string' ? f : undefined,
  );
  if (name === undefined && reason === undefined && finishedOn === undefined) return undefined;
  const failedAt = finishedOn ? Number(finishedOn) : undefined;
  const failure: Failure = failedJob(id, name, failedAt, reason);
  const stack = newestStack(stacktrace);
  if (stack !== undefined) failure.stack = stack;
  return failure;
}
