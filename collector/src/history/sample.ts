/**
 * What one queue snapshot contributes to its history: the four depths, the probe's throughput
 * when it sent one, and the failure rate (see `failureRate`). Pure: the previous point is passed
 * in, never kept here.
 */
import type { QueueSnapshot } from '@gravito/quasar/schema';
import { FailureBasis } from './ring';
import type { HistoryField, HistoryPoint } from './ring';

/** The previous point of the same queue, for the failed-count basis. */
export interface PreviousPoint {
  t: number;
  failed: number;
}

/** A count or rate as recorded: `NaN` unless a finite number of at least zero. */
function measure(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : NaN;
}

/**
 * Failed jobs per minute at `t`. The probe's `throughput.failed` when it sent one; else the
 * increase of the `failed` count since the previous point, per minute. The latter undercounts:
 * failed jobs removed or retried in between (BullMQ's `removeOnFail`, a retry from the page)
 * lower the count, and a drop reads as zero failures, not as negative ones.
 */
export function failureRate(
  t: number,
  failed: number,
  throughputFailed: number,
  previous: PreviousPoint | undefined,
): { rate: number; basis: FailureBasis } {
  if (!Number.isNaN(throughputFailed)) {
    return { rate: throughputFailed, basis: FailureBasis.throughput };
  }
  if (
    previous === undefined ||
    Number.isNaN(failed) ||
    Number.isNaN(previous.failed) ||
    t <= previous.t
  ) {
    return { rate: NaN, basis: FailureBasis.none };
  }
  const perMinute = (Math.max(0, failed - previous.failed) * 60_000) / (t - previous.t);
  return { rate: perMinute, basis: FailureBasis.failedCount };
}

/** The point a snapshot gives at `t` (the start of its resolution step). */
export function pointOf(
  t: number,
  queue: QueueSnapshot,
  previous: PreviousPoint | undefined,
): HistoryPoint {
  const failed = measure(queue.size.failed);
  const throughput = queue.throughput;
  const { rate, basis } = failureRate(t, failed, measure(throughput?.failed), previous);
  const values: Record<HistoryField, number> = {
    waiting: measure(queue.size.waiting),
    active: measure(queue.size.active),
    failed,
    delayed: measure(queue.size.delayed),
    in: measure(throughput?.in),
    out: measure(throughput?.out),
    failureRate: rate,
  };
  return { t, values, basis };
}
