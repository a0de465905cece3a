/**
 * The bounds every reader applies to what agents write. Agents are many and any of them may be
 * broken or hostile, so every count, string, list and nesting level read from Redis has a
 * ceiling here, well above what an honest agent writes.
 */

/** Nesting and size of a parsed JSON value, walked iteratively (see `bounded-json.ts`). */
export interface JsonBounds {
  /** Deepest nesting of objects and arrays; the value itself is level 1. */
  readonly maxDepth: number;
  /** Most object members plus array elements, counted over the whole value. */
  readonly maxEntries: number;
}

/**
 * A heartbeat: the deepest honest field is `queues[].failedSample[].reason` or
 * `meta.laravel.workers[].cmdline` at level 5.
 */
export const HEARTBEAT_BOUNDS: JsonBounds = { maxDepth: 16, maxEntries: 50_000 };

/** One queue snapshot, as a field of the service's queue hash or an entry of `queues`. */
export const QUEUE_BOUNDS: JsonBounds = { maxDepth: 8, maxEntries: 2_000 };

/** Queues kept per heartbeat, and per service hash; more are dropped and counted. */
export const MAX_QUEUES = 256;
/** Availability checks kept per heartbeat. */
export const MAX_CHECKS = 256;
/** States in one queue's `size` (`waiting`, `active`, … ; BullMQ has 8). */
export const MAX_QUEUE_STATES = 32;
/**
 * Upper bounds, ms, of the job wait and run histograms (`JobStats`): 5 ms to one hour, the
 * spread of real queue jobs. Fixed by the protocol, so every agent's histograms add up.
 */
export const JOB_DURATION_BOUNDS_MS: readonly number[] = Object.freeze([
  5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000,
  3_600_000,
]);
/**
 * Closed periods kept per queue snapshot (`QueuePeriod`), over all their sources: the last few
 * of each (agents send at most 5 per source), so a collector that misses some snapshots still
 * counts every period once.
 */
export const MAX_QUEUE_PERIODS = 12;
/** Failed jobs kept per snapshot; agents send at most this many, the newest first. */
export const MAX_FAILED_SAMPLE = 20;
/** Failure groups kept per snapshot (`failureGroups`); agents send at most this many. */
export const MAX_FAILURE_GROUPS = 10;
/** Longest failure-group message, frame or example reason kept. */
export const MAX_FAILURE_TEXT = 200;
/** Remote-control verbs one queue may list in `actions`. */
export const MAX_ACTIONS = 8;

/** Longest queue name, job id or job name kept. */
export const MAX_NAME_LENGTH = 256;
/** Longest failure reason or probe error kept; longer ones are cut, not rejected. */
export const MAX_TEXT_LENGTH = 1_000;
/** Longest short label (language, platform, version, driver, verb). */
export const MAX_LABEL_LENGTH = 64;

/** Bytes of one field of a service's queue hash; larger values are skipped unread. */
export const MAX_QUEUE_FIELD_BYTES = 64 * 1024;

/** The latest epoch-ms timestamp accepted (year 2286); later ones cannot be rendered as dates. */
export const MAX_EPOCH_MS = 1e13;
/** Largest count or byte figure: beyond it a JS number no longer counts exactly. */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** Beat intervals an agent may announce: 100 ms to one day. */
export const INTERVAL_RANGE_MS = { min: 100, max: 86_400_000 } as const;
