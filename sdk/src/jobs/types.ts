/** The public types of in-process job counting: what `recordJob()` takes and what it reports. */
import type { JobOutcome } from '../schema';

/** One job attempt a worker finished, as the application reports it to `QuasarAgent.recordJob()`. */
export interface JobRecordInput {
  /** The queue (`messaging.destination.name`): 1–256 characters. */
  queue: string;
  /**
   * How the attempt ended: `completed`, `failed` (for good), or `retried` (failed, and the
   * queue system will run it again).
   */
  outcome: JobOutcome;
  /**
   * Time from enqueue (or from becoming ready, for delayed and retried jobs) to the start of
   * this attempt, ms; finite and ≥ 0. Left out when the worker cannot tell.
   */
  waitMs?: number;
  /** Time from the start of this attempt to its outcome, ms; finite and ≥ 0. */
  runMs?: number;
  /**
   * The queue system (`messaging.system`): 1–64 characters.
   * @default 'custom'
   */
  system?: string;
  /** Ignored: accepted so a job's name can be passed along, but never a label (cardinality). */
  name?: string;
}

/** Counters of `recordJob()` since the agent was created. */
export interface JobRecordStats {
  /** Attempts counted. */
  readonly recorded: number;
  /** Calls with input that failed validation (a non-finite or negative duration, …). */
  readonly invalid: number;
  /** Attempts not counted because `MAX_QUEUES` queues were tracked already. */
  readonly droppedQueues: number;
  /** Queues tracked. */
  readonly queues: number;
}
