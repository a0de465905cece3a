/**
 * Counts what a BullMQ `Worker` does, from its own `completed` and `failed` events: no Redis
 * round trip, nothing added to the job. Semantics, as BullMQ 5–6 sets the job's fields:
 *
 * - `processedOn` is set when an attempt starts (moved to active), on the worker's clock;
 *   `finishedOn` when the job moved to completed or failed for good. A failed attempt that will
 *   be retried (moved to delayed or back to wait) gets no `finishedOn`: that, not
 *   `attemptsMade < opts.attempts`, tells `retried` from `failed`, because BullMQ also gives up
 *   early on an `UnrecoverableError`, on `maxStartedAttempts`, or when the backoff returns -1.
 * - run = `finishedOn − processedOn` (for a retried attempt, the event's time − `processedOn`).
 * - wait = `processedOn − ready`, ready = `timestamp + opts.delay` (enqueue, or the end of the
 *   delay), or for a retry whose failed attempt this worker saw, when that attempt ended plus
 *   its backoff (`job.delay` as BullMQ sets it when `opts.backoff` delays the retry). A retry
 *   whose earlier attempt ran elsewhere is counted from enqueue. `timestamp` is the producer's
 *   clock: a negative wait (a producer clock ahead) counts as 0.
 */
import type { JobOutcome } from '../schema/heartbeat';

/** Counts one attempt of the worker's queue. */
export type WorkerRecord = (
  outcome: JobOutcome,
  waitMs: number | undefined,
  runMs: number | undefined,
) => void;

/** The part of a BullMQ `Worker` instrumented: its queue name and its events. */
export interface BullMQWorkerLike {
  readonly name: string;
  // The listener types of BullMQ's typed `on()` differ per event: any listener is accepted.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: 'completed' | 'failed', listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off(event: 'completed' | 'failed', listener: (...args: any[]) => void): unknown;
}

/** Retries whose ready time is remembered, per worker; the oldest are forgotten first. */
export const MAX_REMEMBERED_RETRIES = 10_000;

/** The BullMQ system name (`messaging.system`). */
export const BULLMQ_SYSTEM = 'bullmq';

// Local, not imported: this runs for every job, and a call across modules may go through a
// re-export getter.
const numberOr = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Subscribes to the worker's events and hands each finished attempt to `record`. Returns the
 * function that unsubscribes. `record` must not throw; the listeners catch anyway.
 */
export function instrumentWorker(
  worker: BullMQWorkerLike,
  record: WorkerRecord,
  now: () => number = Date.now,
): () => void {
  /** Job id → when its retry became (or becomes) ready, epoch ms. */
  const retryReady = new Map<string, number>();

  const handle = (job: unknown, failed: boolean) => {
    if (!isRecord(job)) return;
    const processedOn = numberOr(job.processedOn);
    const finishedOn = numberOr(job.finishedOn);
    const outcome: JobOutcome = !failed
      ? 'completed'
      : finishedOn !== undefined
        ? 'failed'
        : 'retried';
    // The clock is read only when BullMQ gave no end: a retried attempt's.
    const end = outcome !== 'retried' && finishedOn !== undefined ? finishedOn : now();
    const id = typeof job.id === 'string' ? job.id : undefined;
    let runMs: number | undefined;
    let waitMs: number | undefined;
    if (processedOn !== undefined) {
      runMs = Math.max(0, end - processedOn);
      const retry = id !== undefined && retryReady.size > 0 ? retryReady.get(id) : undefined;
      const ready = readyAt(job, retry);
      if (ready !== undefined) waitMs = Math.max(0, processedOn - ready);
      if (retry !== undefined) retryReady.delete(id as string);
    }
    if (id !== undefined && outcome === 'retried') remember(retryReady, id, end + retryDelay(job));
    record(outcome, waitMs, runMs);
  };
  const onCompleted = (job: unknown) => {
    try {
      handle(job, false);
    } catch {
      // A job object with throwing getters: never the worker's problem.
    }
  };
  const onFailed = (job: unknown) => {
    try {
      handle(job, true);
    } catch {
      // As above.
    }
  };
  worker.on('completed', onCompleted);
  worker.on('failed', onFailed);
  let attached = true;
  return () => {
    if (!attached) return;
    attached = false;
    worker.off('completed', onCompleted);
    worker.off('failed', onFailed);
    retryReady.clear();
  };
}

/** When the attempt became ready: the later of enqueue + delay and a remembered retry time. */
function readyAt(job: Record<string, unknown>, retry: number | undefined): number | undefined {
  const timestamp = numberOr(job.timestamp);
  if (timestamp === undefined) return retry;
  const opts = isRecord(job.opts) ? job.opts : undefined;
  const delay = numberOr(opts?.delay) ?? 0;
  const queued = timestamp + Math.max(0, delay);
  return retry === undefined ? queued : Math.max(queued, retry);
}

/** The backoff BullMQ just applied: it sets `job.delay` to it when `opts.backoff` delays a retry. */
function retryDelay(job: Record<string, unknown>): number {
  const opts = isRecord(job.opts) ? job.opts : undefined;
  if (opts?.backoff === undefined) return 0;
  return Math.max(0, numberOr(job.delay) ?? 0);
}

function remember(map: Map<string, number>, id: string, readyMs: number): void {
  if (map.size >= MAX_REMEMBERED_RETRIES) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  map.set(id, readyMs);
}
