/**
 * In-process job counts of one agent: per queue, the attempts by outcome and the wait and run
 * histograms, cumulative since the agent first counted the queue. Synchronous, bounded
 * (`MAX_QUEUES` queues; the attempts of any further queue are dropped and counted) and
 * never throwing: it runs inside the application's workers.
 */
// From the defining modules, not the schema's index: its CommonJS re-exports are getters,
// and this runs for every job.
import { MAX_QUEUES } from '../schema/limits';
import { isRecord } from '../schema/parse-result';
import type { JobOutcome, JobStats } from '../schema/heartbeat';
import type { QuasarLogger } from '../options/types';
import { DurationHistogram } from './duration-histogram';
import { DEFAULT_JOB_SYSTEM, readJobInput } from './read-job-input';
import type { JobRecord } from './read-job-input';
import type { JobRecordStats } from './types';

/** One queue's counts: also the handle an instrumented worker counts through. */
export interface QueueCounts {
  readonly queue: string;
  readonly system: string;
  readonly since: number;
  completed: number;
  failed: number;
  retried: number;
  readonly wait: DurationHistogram;
  readonly run: DurationHistogram;
}

/** Told of every attempt counted (the agent's own OTel histograms listen here). */
export type JobListener = (
  counts: Pick<QueueCounts, 'queue' | 'system'>,
  waitMs: number | undefined,
  runMs: number | undefined,
) => void;

/** A duration as `recordJob` takes it: absent, or finite and ≥ 0. */
const isDurationOrNone = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'number' && value >= 0 && value !== Infinity);

const isOutcome = (value: unknown): value is JobOutcome =>
  value === 'completed' || value === 'failed' || value === 'retried';

export class JobCounter {
  /**
   * By system, then queue: both come from the application, so Maps; nested rather than keyed
   * by a joined string, so the hot path neither builds nor hashes a new string.
   */
  private readonly bySystem = new Map<string, Map<string, QueueCounts>>();
  private tracked = 0;
  private recorded = 0;
  private invalid = 0;
  private droppedQueues = 0;
  private listener: JobListener | undefined;

  constructor(
    private readonly logger: QuasarLogger,
    private readonly now: () => number = Date.now,
    private readonly maxQueues: number = MAX_QUEUES,
  ) {}

  /**
   * Counts one attempt when the input is valid and its queue fits; returns whether it did.
   * A queue already tracked is known valid, so its attempts only have their outcome and
   * durations checked; anything else takes the full validation, which names what is wrong.
   */
  record(input: unknown): boolean {
    try {
      if (isRecord(input)) {
        const counts = this.bySystem
          .get((input.system ?? DEFAULT_JOB_SYSTEM) as string)
          ?.get(input.queue as string);
        if (counts && this.apply(counts, input.outcome, input.waitMs, input.runMs)) return true;
      }
      const read = readJobInput(input);
      if (!read.ok) return this.reject(read.error);
      const counts = this.countsOf(read.value);
      if (!counts) return false;
      return this.apply(counts, read.value.outcome, read.value.waitMs, read.value.runMs);
    } catch (error) {
      // A throwing getter or proxy in the input: the host app's bug, never its crash.
      return this.reject(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Counts one attempt of a queue already tracked (an instrumented worker's); false, counted
   * as invalid, when the outcome or a duration is not one `recordJob` takes.
   */
  add(counts: QueueCounts, outcome: unknown, waitMs: unknown, runMs: unknown): boolean {
    if (this.apply(counts, outcome, waitMs, runMs)) return true;
    this.invalid++;
    return false;
  }

  private apply(counts: QueueCounts, outcome: unknown, waitMs: unknown, runMs: unknown): boolean {
    if (!isOutcome(outcome) || !isDurationOrNone(waitMs) || !isDurationOrNone(runMs)) {
      return false;
    }
    if (outcome === 'completed') counts.completed++;
    else if (outcome === 'failed') counts.failed++;
    else counts.retried++;
    const wait = typeof waitMs === 'number' ? waitMs : undefined;
    const run = typeof runMs === 'number' ? runMs : undefined;
    if (wait !== undefined) counts.wait.add(wait);
    if (run !== undefined) counts.run.add(run);
    this.recorded++;
    if (this.listener) this.notify(counts, wait, run);
    return true;
  }

  /**
   * Starts counting a queue at zero before its first attempt (an instrumented worker's), so
   * its series start at zero. Returns its counts, or undefined when the name is invalid or
   * the queue bound is reached (then counted in `droppedQueues`).
   */
  register(queue: string, system: string): QueueCounts | undefined {
    const read = readJobInput({ queue, system, outcome: 'completed' });
    return read.ok ? this.countsOf(read.value) : undefined;
  }

  /** Counts an attempt of a queue that did not fit the bound. */
  dropped(): void {
    this.droppedQueues++;
  }

  /** Sets the one listener (undefined removes it). */
  listen(listener: JobListener | undefined): void {
    this.listener = listener;
  }

  /** Each tracked queue's counts, copied: what the heartbeat's `jobs` carries. */
  snapshot(): JobStats[] {
    const out: JobStats[] = [];
    for (const queues of this.bySystem.values()) {
      for (const c of queues.values()) {
        out.push({
          queue: c.queue,
          system: c.system,
          since: c.since,
          completed: c.completed,
          failed: c.failed,
          retried: c.retried,
          // Zero histograms too: a series that starts at zero is one Prometheus' increase()
          // and rate() count from its first observation on.
          wait: c.wait.snapshot(),
          run: c.run.snapshot(),
        });
      }
    }
    return out;
  }

  stats(): JobRecordStats {
    return {
      recorded: this.recorded,
      invalid: this.invalid,
      droppedQueues: this.droppedQueues,
      queues: this.tracked,
    };
  }

  private countsOf(record: JobRecord): QueueCounts | undefined {
    let queues = this.bySystem.get(record.system);
    const existing = queues?.get(record.queue);
    if (existing) return existing;
    if (this.tracked >= this.maxQueues) {
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
    if (!queues) this.bySystem.set(record.system, (queues = new Map<string, QueueCounts>()));
    queues.set(record.queue, counts);
    this.tracked++;
    return counts;
  }

  private notify(counts: QueueCounts, waitMs: number | undefined, runMs: number | undefined) {
    try {
      this.listener?.(counts, waitMs, runMs);
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
