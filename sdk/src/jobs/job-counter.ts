/**
 * In-process job counts of one agent: per queue, the attempts by outcome and the wait and run
 * histograms, cumulative since the agent first counted the queue. Synchronous, bounded
 * (`MAX_QUEUES` queues; the attempts of any further queue are dropped and counted) and
 * never throwing: it runs inside the application's workers.
 */
import { MAX_QUEUES } from '../schema';
import type { JobOutcome, JobStats } from '../schema';
import type { QuasarLogger } from '../options/types';
import { DurationHistogram } from './duration-histogram';
import { readJobInput } from './read-job-input';
import type { JobRecord } from './read-job-input';
import type { JobRecordStats } from './types';

/** One queue's counts. */
interface QueueCounts {
  readonly queue: string;
  readonly system: string;
  readonly since: number;
  completed: number;
  failed: number;
  retried: number;
  readonly wait: DurationHistogram;
  readonly run: DurationHistogram;
}

/** Told of every attempt counted (the agent's own OTel instruments listen here). */
export type JobListener = (record: JobRecord) => void;

export class JobCounter {
  /** Keyed by system and queue; a Map, since both come from the application. */
  private readonly queues = new Map<string, QueueCounts>();
  private recorded = 0;
  private invalid = 0;
  private droppedQueues = 0;
  private listener: JobListener | undefined;

  constructor(
    private readonly logger: QuasarLogger,
    private readonly now: () => number = Date.now,
    private readonly maxQueues: number = MAX_QUEUES,
  ) {}

  /** Counts one attempt when the input is valid and its queue fits; returns whether it did. */
  record(input: unknown): boolean {
    try {
      const read = readJobInput(input);
      if (!read.ok) return this.reject(read.error);
      const record = read.value;
      const counts = this.countsOf(record);
      if (!counts) return false;
      add(counts, record.outcome);
      if (record.waitMs !== undefined) counts.wait.add(record.waitMs);
      if (record.runMs !== undefined) counts.run.add(record.runMs);
      this.recorded++;
      this.notify(record);
      return true;
    } catch (error) {
      // A throwing getter or proxy in the input: the host app's bug, never its crash.
      return this.reject(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Starts counting a queue at zero before its first attempt (an instrumented worker's), so
   * its series start at zero; false when the name is invalid or the queue bound is reached.
   */
  register(queue: string, system: string): boolean {
    const read = readJobInput({ queue, system, outcome: 'completed' });
    return read.ok && this.countsOf(read.value) !== undefined;
  }

  /** Sets the one listener (undefined removes it). */
  listen(listener: JobListener | undefined): void {
    this.listener = listener;
  }

  /** Each tracked queue's counts, copied: what the heartbeat's `jobs` carries. */
  snapshot(): JobStats[] {
    const out: JobStats[] = [];
    for (const c of this.queues.values()) {
      const stats: JobStats = {
        queue: c.queue,
        system: c.system,
        since: c.since,
        completed: c.completed,
        failed: c.failed,
        retried: c.retried,
      };
      // Zero histograms too: a series that starts at zero is one Prometheus' increase() and
      // rate() count from its first observation on.
      stats.wait = c.wait.snapshot();
      stats.run = c.run.snapshot();
      out.push(stats);
    }
    return out;
  }

  stats(): JobRecordStats {
    return {
      recorded: this.recorded,
      invalid: this.invalid,
      droppedQueues: this.droppedQueues,
      queues: this.queues.size,
    };
  }

  private countsOf(record: JobRecord): QueueCounts | undefined {
    const key = `${record.system}\u0000${record.queue}`;
    const existing = this.queues.get(key);
    if (existing) return existing;
    if (this.queues.size >= this.maxQueues) {
      if (++this.droppedQueues === 1) {
        this.logger.warn(
          `recordJob(): more than ${this.maxQueues} queues; attempts of further queues are only ` +
            'counted in getJobRecordStats().droppedQueues',
        );
      }
      return undefined;
    }
    const counts: QueueCounts = {
      queue: record.queue,
      system: record.system,
      since: this.now(),
      completed: 0,
      failed: 0,
      retried: 0,
      wait: new DurationHistogram(),
      run: new DurationHistogram(),
    };
    this.queues.set(key, counts);
    return counts;
  }

  private notify(record: JobRecord): void {
    if (!this.listener) return;
    try {
      this.listener(record);
    } catch {
      // The listener is the agent's own OTel wiring; a failing SDK must not fail the count.
    }
  }

  private reject(reason: string): false {
    this.invalid++;
    if (this.invalid === 1) {
      this.logger.warn(
        `recordJob() ignored invalid input (${reason}); later invalid calls are only counted ` +
          'in getJobRecordStats().invalid',
      );
    }
    return false;
  }
}

function add(counts: QueueCounts, outcome: JobOutcome): void {
  if (outcome === 'completed') counts.completed++;
  else if (outcome === 'failed') counts.failed++;
  else counts.retried++;
}
