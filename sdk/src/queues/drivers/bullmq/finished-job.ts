/**
 * One finished BullMQ job's wait and run, from its hash. BullMQ 5 and 6 write, on the clock of
 * the process that ran each step:
 * - `timestamp` when the job was added, and `opts` (JSON) with the `delay` it was added with
 *   (job schedulers set it to the time until the scheduled run). The hash's own `delay` field
 *   is no help: BullMQ sets it to 0 when it moves the job out of `delayed`;
 * - `processedOn` when a worker last started it, and `ats`, how many times one did (stalled
 *   jobs started again included);
 * - `finishedOn` when it finished for good, and `atm`, the attempts it made.
 *
 * `run` is `finishedOn − processedOn`: the last attempt only. `wait` is
 * `processedOn − (timestamp + delay)`, from when the job was ready to when it started, and only
 * for a job finished by its first start (`ats` 1, or `atm` 1 where `ats` is missing): a retried
 * job's last start also follows its earlier attempts and their backoff, which is not waiting.
 * The producer's and the worker's clocks may differ, so a `wait` below zero counts as 0.
 *
 * Every field is untrusted: a hash with a missing, malformed or inconsistent `timestamp`,
 * `processedOn` or `finishedOn` (a run below zero) yields nothing; one whose `opts` or attempt
 * counters cannot be read yields its run alone.
 */

/** The fields read from each job hash, in `HMGET` order. */
export const FINISHED_JOB_FIELDS = [
  'timestamp',
  'processedOn',
  'finishedOn',
  'atm',
  'ats',
  'opts',
] as const;

/** `opts` longer than this is not parsed (BullMQ's own are a few hundred characters). */
const MAX_OPTS_LENGTH = 4096;

/** What one job hash gives. */
export interface FinishedJob {
  finishedOn: number;
  /** ms, at least 0. */
  run: number;
  /** ms, at least 0; undefined when the job is not counted in `wait`. */
  wait: number | undefined;
}

/** An epoch-ms or ms field: digits only, at most 15 (below 2^53). */
function msOf(value: unknown): number | undefined {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/** Whether the finishing attempt was the job's first start. */
function firstStart(atm: unknown, ats: unknown): boolean {
  return ats === null ? atm === '1' : ats === '1';
}

/** The `delay` the job was added with, from its `opts` JSON; undefined when unreadable. */
function delayOf(opts: unknown): number | undefined {
  if (typeof opts !== 'string' || opts.length > MAX_OPTS_LENGTH) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(opts);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  if (!Object.hasOwn(parsed, 'delay')) return 0;
  const delay = (parsed as { delay: unknown }).delay;
  return typeof delay === 'number' && Number.isSafeInteger(delay) && delay >= 0 ? delay : undefined;
}

/** The job of an `HMGET` reply of `FINISHED_JOB_FIELDS`; undefined when it gives nothing. */
export function finishedJob(reply: unknown): FinishedJob | undefined {
  if (!Array.isArray(reply) || reply.length !== FINISHED_JOB_FIELDS.length) return undefined;
  const [timestamp, processedOn, finishedOn, atm, ats, opts] = reply as unknown[];
  const added = msOf(timestamp);
  const started = msOf(processedOn);
  const finished = msOf(finishedOn);
  if (added === undefined || started === undefined || finished === undefined) return undefined;
  if (finished < started) return undefined;
  const delay = firstStart(atm, ats) ? delayOf(opts) : undefined;
  const wait = delay === undefined ? undefined : Math.max(0, started - (added + delay));
  return { finishedOn: finished, run: finished - started, wait };
}
