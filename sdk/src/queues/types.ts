/**
 * The probe contract. A probe reads one queue's counts from its system (a Redis layout, or
 * SQS) and returns a plain object; the queue monitor turns readings into snapshots.
 */
import type { RedisClient } from '../redis/redis-client';
import type {
  FailedJobSample,
  FailureGroupsView,
  QueuePeriod,
  QueueSize,
  QueueThroughput,
} from '../schema';

/** What one probe read returns. */
export interface ProbeReading {
  /** Counts per state; `waiting`, `active`, `failed` and `delayed` are always present. */
  size: QueueSize;
  /** Up to `MAX_FAILED_SAMPLE` of the most recent failed jobs, newest first. No payload data. */
  failedSample?: FailedJobSample[];
  /**
   * The newest failed jobs grouped by error fingerprint, from a read bounded per queue; left
   * out where the probe reads none beyond the sample (the monitor then groups the sample).
   */
  failureGroups?: FailureGroupsView;
  /** Age of the oldest waiting job, ms, where the system records when a job was pushed. */
  oldestWaitingAgeMs?: number;
  /**
   * `true` when the system says workers take no jobs from this queue; left out where the
   * system has no pause.
   */
  paused?: boolean;
  /**
   * Jobs per minute over the window since the probe's previous read, where the system keeps a
   * source for them; left out on a first read and where a window cannot be told exactly.
   */
  throughput?: QueueThroughput;
  /**
   * Closed periods of the queue's history, oldest first, at most 5 per source, where the system keeps them: read alike
   * by every node, so each is counted once (`QueuePeriod`).
   */
  periods?: QueuePeriod[];
  /**
   * Problems with what the system holds that cost part of the reading (entries dropped as
   * malformed), for the agent's log. A probe reports each once, not on every read.
   */
  warnings?: string[];
}

/** What a probe is given on each read. */
export interface ProbeContext {
  /**
   * The monitor connection: the application's Redis. Always set for probes whose type has
   * `usesRedis: true`.
   */
  redis: RedisClient | undefined;
  /** The wall clock at the start of the read, epoch ms (for ages). */
  nowMs: number;
}

/** One registered queue, ready to read. */
export interface QueueProbe {
  /** The queue's name as registered; the snapshot's `name`. */
  readonly queue: string;
  /** The queue system; the snapshot's `driver` (`bullmq`, `laravel`, …). */
  readonly driver: string;
  /**
   * Reads the counts. Uses only O(1)/O(log N) read commands (`LLEN`, `ZCARD`, `HGET`, …),
   * pipelined; never scans a list or a set, and never writes.
   */
  read(context: ProbeContext): Promise<ProbeReading>;
  /** Releases what the probe holds (an HTTP client, …); called by `stop()`. */
  close?(): void;
}

/** Options of one `monitorQueue()` call, as given: validated by the type's `create`. */
export type ProbeOptions = Readonly<Record<string, unknown>>;

/** One row of the probe table: a queue system the agent can read. */
export interface ProbeType {
  /** The `type` argument of `monitorQueue()`. */
  readonly type: string;
  /** Whether it reads the monitor Redis (every type but `sqs`). */
  readonly usesRedis: boolean;
  /** The options it accepts; any other option is rejected by name. */
  readonly options: readonly string[];
  /**
   * Validates the options and builds the probe.
   * @throws QuasarConfigError naming the bad or missing option.
   */
  create(queue: string, options: ProbeOptions): QueueProbe;
}
