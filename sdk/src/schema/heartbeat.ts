/**
 * The heartbeat payload: the v1 fields every original agent writes, plus optional extensions
 * the originals ignore. Units are in the field docs and in `docs/protocol.md`.
 */

import type { FailureGroupsView } from './failure-groups';

/** Runtimes the dashboards know; other strings are tolerated and shown generically. */
export const KNOWN_LANGUAGES = ['node', 'bun', 'deno', 'go', 'php', 'python'] as const;
export type KnownLanguage = (typeof KNOWN_LANGUAGES)[number];

/** Queue counts. v1 has the four named states; later probes may add more. */
export interface QueueSize {
  waiting: number;
  active: number;
  failed: number;
  delayed: number;
  [state: string]: number;
}

/** One recently failed job, as sampled by a probe. Never carries the job's payload. */
export interface FailedJobSample {
  id: string;
  name?: string;
  /** When it failed, epoch ms. */
  failedAt?: number;
  /** The failure reason, cut to 200 characters. */
  reason?: string;
}

/**
 * One queue as seen by an agent's probe: in a heartbeat's `queues` array, and as a field of
 * the per-service hash `gravito:quasar:queues:{service}`.
 */
export interface QueueSnapshot {
  name: string;
  /** The queue system (`bullmq`, `laravel`, …). The originals always wrote `redis`. */
  driver: string;
  size: QueueSize;
  /**
   * v1 field, never filled by the originals. Jobs per minute over the probe's last window:
   * `in` added, `out` finished (completed + failed), and, extension, `failed` (a part of `out`).
   * Left out where the queue system keeps no source for it (see `docs/queues.md`).
   */
  throughput?: QueueThroughput;
  /**
   * Extension. Closed periods of the queue's history, oldest first, at most
   * `MAX_QUEUE_PERIODS`: what went in and out of the queue, and how long its jobs waited and
   * ran, in spans of the source's own clock. Every node probing the queue reports the same
   * period alike, so the collector adds each once into queue-level counters: per queue and
   * `source`, the periods ending after the last one it counted. Sources may differ in their
   * clocks and spans (the events stream's minutes, Horizon's snapshots).
   */
  periods?: QueuePeriod[];
  /** Extension. Up to 20 of the most recent failed jobs. */
  failedSample?: FailedJobSample[];
  /**
   * Extension. The newest failed jobs (a bounded read, or the failed sample) grouped by error
   * fingerprint: at most `MAX_FAILURE_GROUPS` groups, see `FailureGroupsView`.
   */
  failureGroups?: FailureGroupsView;
  /** Extension. Age of the oldest waiting job, ms, where the system can tell. */
  oldestWaitingAgeMs?: number;
  /**
   * Extension. `true` when the system says workers take no jobs from this queue (its jobs may
   * still count as `waiting`); left out where the system has no pause the probe can read.
   */
  paused?: boolean;
  /**
   * Extension. The remote-control verbs this queue accepts on the reporting node (`retry`,
   * `delete`), so a dashboard can offer only those; absent when remote control is off for it.
   */
  actions?: string[];
  /** Extension. When the probe read the queue, epoch ms. */
  observedAt?: number;
  /** Extension. Why the probe failed; `size` is then all zeros and must not be trusted. */
  error?: string;
  [extra: string]: unknown;
}

/** Jobs per minute over a probe's window. */
export interface QueueThroughput {
  /** Jobs added. Left out where the system counts only what finishes (Horizon). */
  in?: number;
  out: number;
  /** Extension. Jobs that failed, per minute: a part of `out`. */
  failed?: number;
  /** Extension. Where the numbers come from (`events`, `metrics`, `horizon`, …). */
  source?: string;
  /** Extension. The window the rates are over, ms. */
  windowMs?: number;
  /**
   * Extension. The mean run time of the jobs counted in `out` over the window, ms, where the
   * source keeps only a mean (Horizon's `runtime`); left out when no job finished in it.
   */
  meanRunMs?: number;
}

/**
 * Extension. One closed span `[startMs, endMs)` of a queue's history, on the source's clock
 * (BullMQ: the events stream's ids, i.e. its Redis node's clock; Horizon: its snapshot times).
 * A period is reported only once the source holds all of it: fully read, nothing trimmed.
 * Each count is left out where the source has none for it.
 */
export interface QueuePeriod {
  startMs: number;
  endMs: number;
  /** Jobs added in the period. */
  in?: number;
  /** Jobs that finished for good in the period, by outcome. */
  completed?: number;
  failed?: number;
  /**
   * Wait (added, or ready for delayed jobs, to started) and run (started to finished) of jobs
   * that finished in the period: all of them where `sampled` is false, else a bounded sample.
   */
  wait?: PeriodDurations;
  run?: PeriodDurations;
  /** Where the period came from: `events`, `metrics`, `sample`, `horizon`, … */
  source: string;
}

/** Durations of the jobs a period covers, ms. */
export interface PeriodDurations {
  /** How many jobs the durations cover. */
  count: number;
  /** Their sum, ms. */
  sum: number;
  /**
   * Per-bucket counts over `JOB_DURATION_BOUNDS_MS`, as in `JobDurationHistogram` and OTLP's
   * `bucket_counts` (not cumulative over the buckets): one more than the bounds, the last for
   * durations above the last bound, adding up to `count`. Left out where the source gives no
   * job's own duration, only a mean (Horizon).
   */
  counts?: number[];
  /** True when `count` is a sample of the period's jobs, not all of them. */
  sampled?: boolean;
}

/** How a job a worker took ended, as counted in-process. */
export type JobOutcome = 'completed' | 'failed' | 'retried';

/**
 * Histogram of job durations, ms, over `JOB_DURATION_BOUNDS_MS`, cumulative over time (since
 * `JobStats.since`): `counts` holds each bucket's own count, as OTLP's `bucket_counts` (not
 * cumulative over the buckets), one more entry than the bounds (the last counts durations
 * above the last bound).
 */
export interface JobDurationHistogram {
  counts: number[];
  /** Sum of the durations, ms. */
  sum: number;
}

/**
 * Extension. What one process's workers did with one queue's jobs, counted in-process
 * (`recordJob`, `instrumentBullMQWorker`): cumulative since `since`, per node. A restart
 * starts a new `since`, which is the counters' reset (the OTel start time).
 */
export interface JobStats {
  /** The queue (`messaging.destination.name`). */
  queue: string;
  /** The queue system (`messaging.system`): `bullmq`, `bull`, … */
  system: string;
  /** When this process started counting this queue, epoch ms. */
  since: number;
  completed: number;
  failed: number;
  /** Failed attempts that will be retried (not counted in `failed`). */
  retried: number;
  /** Time from enqueue (or becoming ready, for delayed jobs) to start, of every job counted. */
  wait?: JobDurationHistogram;
  /** Time from start to the outcome, of every job counted. */
  run?: JobDurationHistogram;
}

/** Extension. The latest result of one availability check run by an agent. */
export interface CheckResult {
  name: string;
  type: 'http' | 'tcp';
  /** The URL (http) or `host:port` (tcp). */
  target: string;
  up: boolean;
  /** Time to the response (http) or to the connection (tcp), ms, from a monotonic clock. */
  latencyMs: number;
  /** HTTP status code, when a response arrived. */
  status?: number;
  /** The HTTP method used (`GET` or `HEAD`), for http checks. */
  method?: string;
  error?: string;
  /** Days until the TLS certificate expires, for https targets. */
  certDaysLeft?: number;
  /** When the check ran, epoch ms. */
  checkedAt: number;
}

export interface HeartbeatCpu {
  /** % of the whole machine (or of the container's CPU quota) over the last interval, 0–100. */
  system: number;
  /** % of one core used by the process over the last interval; exceeds 100 on several cores. */
  process: number;
  /** Logical cores, or the container's CPU quota rounded up. */
  cores: number;
}

export interface HeartbeatSystemMemory {
  /** Bytes of capacity: the host's RAM, or the container's memory limit. */
  total: number;
  /** Bytes available for new allocations (v1 name; the Go agent and libuv both report "available"). */
  free: number;
  /** Bytes in use: total − available. */
  used: number;
  /** Extension. Bytes available (MemAvailable, or limit − working set in a container). */
  available?: number;
}

export interface HeartbeatProcessMemory {
  /** Resident set size, bytes. */
  rss: number;
  /** V8 heap reserved, bytes (the Go agent copies RSS here). */
  heapTotal: number;
  /** V8 heap in use, bytes (the Go agent copies RSS here). */
  heapUsed: number;
}

export interface HeartbeatRuntime {
  /** Process uptime, seconds. */
  uptime: number;
  /** Always `Quasar` in the originals; not required when reading. */
  framework?: string;
  /** Go agent: `online`, `degraded` or `error`. */
  status?: string;
  /** Go agent: machine-readable error tags, e.g. `transport_redis_offline`. */
  errors?: string[];
}

/** Extension. Event-loop health over the last interval. */
export interface HeartbeatEventLoop {
  /** Median event-loop delay, ms. */
  p50: number;
  /** 99th percentile event-loop delay, ms. */
  p99: number;
  /** Worst event-loop delay, ms. */
  max: number;
  /** Event-loop utilisation, 0–1. */
  utilization?: number;
}

/** Extension. Present when a cgroup limit below the host's capacity applies. */
export interface HeartbeatContainer {
  /** The cgroup memory limit, bytes. */
  memoryLimit?: number;
  /** The cgroup CPU quota, in cores (quota ÷ period), may be fractional. */
  cpuQuota?: number;
}

/** Extension. How this node's metrics reach OpenTelemetry. */
export interface HeartbeatOtel {
  /** True when the node exports its own OTel metrics; the collector then skips it. */
  selfExport: boolean;
}

/** A heartbeat as stored at `gravito:quasar:node:{service}:{nodeId}`. */
export interface Heartbeat {
  /** The node id: `{name or hostname}-{pid}`. */
  id: string;
  service: string;
  /** `node`, `bun`, `deno`, `go`, `php`, `python`, or another runtime's name. */
  language: string;
  /** Runtime version, e.g. `v20.10.0`, `1.1.38`, `go1.24.11`. */
  version?: string;
  pid: number;
  hostname: string;
  /** `os.platform()` style; the Go agent sends `windows`. */
  platform: string;
  cpu: HeartbeatCpu;
  memory: { system: HeartbeatSystemMemory; process: HeartbeatProcessMemory };
  queues?: QueueSnapshot[];
  runtime: HeartbeatRuntime;
  /** Go agent only: `meta.laravel` with worker details. */
  meta?: Record<string, unknown>;
  /** When the beat was taken, epoch milliseconds. */
  timestamp: number;

  /** Extension. 1, 5 and 15 minute load averages (runnable threads). */
  loadavg?: [number, number, number];
  /** Extension. Event-loop delay and utilisation. */
  eventLoop?: HeartbeatEventLoop;
  /** Extension. The agent's beat interval, ms. */
  interval?: number;
  /** Extension. When the agent started, epoch ms. */
  startedAt?: number;
  /** Extension. The writing SDK. */
  sdk?: { name: string; version: string };
  /** Extension. Whether this node exports its own OTel metrics. */
  otel?: HeartbeatOtel;
  /** Extension. Container limits in force. */
  container?: HeartbeatContainer;
  /** Extension. The latest result of each availability check. */
  checks?: CheckResult[];
  /**
   * Extension. The key layout the node writes (see `KeyLayout`): `v2` in the cluster layout;
   * absent means `v1`. Any other value is dropped when read.
   */
  keyLayout?: 'v1' | 'v2';
  /** Extension. Jobs this process's workers ran, per queue (see `JobStats`). */
  jobs?: JobStats[];

  [extra: string]: unknown;
}
