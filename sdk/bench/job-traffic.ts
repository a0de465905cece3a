/**
 * A worker's job traffic for the tick benchmark: `jobsPerSecond` finished attempts per second,
 * delivered the way `instrumentBullMQWorker` receives them (a Worker's `completed` and `failed`
 * events with BullMQ-shaped jobs), so each tick carries the counting of one interval's jobs.
 */
import { EventEmitter } from 'node:events';
import { JobRecorder } from '../src/jobs/job-recorder';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Run times spread over the histogram's buckets, ms. */
const RUN_MS = [2, 8, 20, 40, 90, 200, 400, 900, 2_000, 4_000, 9_000, 20_000];

export interface JobTraffic {
  readonly recorder: JobRecorder;
  /** Attempts delivered per tick: one interval's share. */
  readonly perTick: number;
  /** Delivers one interval's attempts: 90 % completed, 8 % failed, 2 % retried. */
  deliver(): void;
}

export function createJobTraffic(jobsPerSecond: number, intervalMs: number): JobTraffic {
  const recorder = new JobRecorder(silent);
  const worker = Object.assign(new EventEmitter(), { name: 'emails' });
  recorder.instrument(worker);
  const now = Date.now();
  const jobs = RUN_MS.map((runMs, i) => ({
    id: String(i),
    timestamp: now - 50 - runMs,
    processedOn: now - runMs,
    finishedOn: now,
    opts: {},
  }));
  const retried = jobs.map(({ finishedOn: _, ...job }) => job);
  const perTick = Math.round((jobsPerSecond * intervalMs) / 1000);
  // The worker made these errors; building them is not the counting's cost.
  const retryError = new Error('retry');
  const failedError = new Error('failed');
  return {
    recorder,
    perTick,
    deliver() {
      for (let i = 0; i < perTick; i++) {
        const which = i % 50;
        const k = i % jobs.length;
        if (which === 0) worker.emit('failed', retried[k], retryError);
        else if (which < 5) worker.emit('failed', jobs[k], failedError);
        else worker.emit('completed', jobs[k], 'ok');
      }
    },
  };
}
