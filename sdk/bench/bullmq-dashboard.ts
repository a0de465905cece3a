/**
 * The reference for the `bullmq` probe: the same reading taken through BullMQ's own `Queue`
 * API, as a dashboard takes it. Counts of every state the probe reports, the 20 newest failed
 * jobs, the oldest waiting job and whether the queue is paused, all asked for at once, then
 * reduced to the probe's shape.
 */
import type { JobType, Queue } from 'bullmq';
import { failedJob, MAX_FAILED_SAMPLE } from '../src/queues/failed-sample';
import type { ProbeReading } from '../src/queues/types';

/** The probe's states; `paused` is not in `getJobCounts()`'s default list but is still counted. */
const STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
  'prioritized',
  'paused',
  'waiting-children',
] as JobType[];

/**
 * `getJobCounts()` + `getFailed(0, 19)` + `getWaiting(0, 0)` (ascending, so the oldest job) +
 * `isPaused()`. The first three are BullMQ scripts; the two getters then load each `Job` by id.
 */
export async function readThroughBullmq(queue: Queue, nowMs: number): Promise<ProbeReading> {
  const [counts, failed, [oldest], paused] = await Promise.all([
    queue.getJobCounts(...STATES),
    queue.getFailed(0, MAX_FAILED_SAMPLE - 1),
    queue.getWaiting(0, 0),
    queue.isPaused(),
  ]);
  return {
    size: {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      failed: counts.failed ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      prioritized: counts.prioritized ?? 0,
      paused: counts.paused ?? 0,
      waitingChildren: counts['waiting-children'] ?? 0,
    },
    failedSample: failed.map((job) =>
      failedJob(job.id ?? '', job.name, job.finishedOn, job.failedReason),
    ),
    ...(oldest === undefined ? {} : { oldestWaitingAgeMs: Math.max(0, nowMs - oldest.timestamp) }),
    paused,
  };
}

/** The calls of `readThroughBullmq`, each on its own, to see where its cost goes. */
export function bullmqCalls(queue: Queue): Record<string, () => Promise<unknown>> {
  return {
    getJobCounts: () => queue.getJobCounts(...STATES),
    getFailed: () => queue.getFailed(0, MAX_FAILED_SAMPLE - 1),
    getWaiting: () => queue.getWaiting(0, 0),
    isPaused: () => queue.isPaused(),
  };
}
