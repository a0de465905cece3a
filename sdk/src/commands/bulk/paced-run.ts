/**
 * Runs work over a list in batches with a pause between two of them: a bulk retry hands its
 * jobs to the workers at a bounded rate, whatever the size of the selection.
 */
import type { BulkLimits } from './bulk-limits';

/** Resolves after `ms`; the timer does not hold the process open. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Calls `batch` on consecutive slices of `items` of `jobsPerBatch` (at least 1), waiting
 * `batchPauseMs` between two calls, never after the last. A rejection of `batch` stops the run.
 */
export async function runPaced<T>(
  items: readonly T[],
  limits: Pick<BulkLimits, 'jobsPerBatch' | 'batchPauseMs'>,
  batch: (slice: readonly T[]) => Promise<void>,
): Promise<void> {
  const size = Math.max(1, Math.floor(limits.jobsPerBatch));
  for (let start = 0; start < items.length; start += size) {
    if (start > 0 && limits.batchPauseMs > 0) await pause(limits.batchPauseMs);
    await batch(items.slice(start, start + size));
  }
}
