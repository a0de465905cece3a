/**
 * One agent's in-process job counting: `recordJob()`'s counter and the BullMQ workers
 * instrumented into it, so `stop()` can detach them all.
 */
import type { QuasarLogger } from '../options/types';
import { QuasarConfigError } from '../options/errors';
import type { JobStats } from '../schema';
import { BULLMQ_SYSTEM, instrumentWorker } from './bullmq-worker';
import type { BullMQWorkerLike } from './bullmq-worker';
import { JobCounter } from './job-counter';
import type { JobListener } from './job-counter';
import type { JobRecordStats } from './types';

export class JobRecorder {
  private readonly counter: JobCounter;
  private readonly workers = new Map<BullMQWorkerLike, () => void>();
  private stopped = false;

  constructor(logger: QuasarLogger) {
    this.counter = new JobCounter(logger);
  }

  /** Counts one attempt; false when invalid, over the queue bound, or stopped. */
  record(input: unknown): boolean {
    return !this.stopped && this.counter.record(input);
  }

  /**
   * Counts the worker's attempts from its events. The same worker twice returns the first
   * detacher; after `stop()`, a no-op.
   * @throws QuasarConfigError when `worker` has no `on`/`off` or no queue name.
   */
  instrument(worker: BullMQWorkerLike): () => void {
    const w = worker as Partial<BullMQWorkerLike> | null | undefined;
    if (!w || typeof w.on !== 'function' || typeof w.off !== 'function') {
      throw new QuasarConfigError(
        'worker',
        'instrumentBullMQWorker(worker): expected a BullMQ Worker',
      );
    }
    if (typeof w.name !== 'string' || w.name === '') {
      throw new QuasarConfigError(
        'worker',
        'instrumentBullMQWorker(worker): the worker has no queue name',
      );
    }
    const existing = this.workers.get(worker);
    if (existing) return existing;
    if (this.stopped) return () => undefined;
    const counts = this.counter.register(worker.name, BULLMQ_SYSTEM);
    const detachEvents = instrumentWorker(
      worker,
      counts
        ? (outcome, waitMs, runMs) => this.counter.add(counts, outcome, waitMs, runMs)
        : () => this.counter.dropped(),
    );
    const detach = () => {
      detachEvents();
      this.workers.delete(worker);
    };
    this.workers.set(worker, detach);
    return detach;
  }

  /** What the heartbeat's `jobs` carries. */
  snapshot(): JobStats[] {
    return this.counter.snapshot();
  }

  stats(): JobRecordStats {
    return this.counter.stats();
  }

  /** Sets the one listener of counted attempts (the agent's OTel histograms). */
  listen(listener: JobListener | undefined): void {
    this.counter.listen(listener);
  }

  /** Detaches every worker; later records are refused. */
  stop(): void {
    this.stopped = true;
    for (const detach of [...this.workers.values()]) detach();
    this.counter.listen(undefined);
  }
}
