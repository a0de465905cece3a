/**
 * The Redis layout of Laravel's `redis` queue driver and of Horizon, shared by the `laravel`
 * and `horizon` probes. This is the only module that concatenates their key strings:
 * - a queue's keys are `{redisPrefix}queues:{name}` plus `:reserved`, `:delayed` and `:notify`,
 *   where `redisPrefix` is the connection's `options.prefix` (the client adds it to every key);
 * - on a Redis Cluster connection Laravel ≥ 13 wraps a name without a hash tag in one
 *   (`queues:{default}`); before 13, Cluster users name the queue `{default}` themselves;
 * - Horizon keeps its own keys under its prefix, which replaces the connection's.
 */
import { optionError, stringOption } from '../probe-options';
import type { ProbeOptions } from '../types';

/** Horizon's prefix for an app named `Laravel`: `Str::slug(APP_NAME, '_').'_horizon:'`. */
export const DEFAULT_HORIZON_PREFIX = 'laravel_horizon:';

/**
 * Whether `key` holds a Redis Cluster hash tag: a `{` followed later by a `}` with at least one
 * character between them, as Laravel's `Connection::hasHashTag()` decides it.
 */
export function hasHashTag(key: string): boolean {
  const open = key.indexOf('{');
  if (open === -1) return false;
  const close = key.indexOf('}', open + 1);
  return close > open + 1;
}

/** `value` wrapped in a hash tag, unless it already holds one. */
function tagged(value: string, hashTags: boolean): string {
  return hashTags && !hasHashTag(value) ? `{${value}}` : value;
}

/** The keys of one Laravel queue. */
export interface LaravelQueueKeys {
  /** List of waiting jobs: `RPUSH`ed by a push, taken from the left by a worker. */
  readonly waiting: string;
  /** Zset of jobs a worker holds; score = reservation expiry, unix seconds. */
  readonly reserved: string;
  /** Zset of delayed and released jobs; score = when due, unix seconds. */
  readonly delayed: string;
  /** List of one token per pushed job, for workers' blocking pops. */
  readonly notify: string;
}

/** The keys of `queue` under the connection prefix, hash-tagged as a Cluster connection does. */
export function laravelQueueKeys(
  redisPrefix: string,
  queue: string,
  hashTags: boolean,
): LaravelQueueKeys {
  const base = `${redisPrefix}queues:${tagged(queue, hashTags)}`;
  return {
    waiting: base,
    reserved: `${base}:reserved`,
    delayed: `${base}:delayed`,
    notify: `${base}:notify`,
  };
}

/** Horizon's app-wide job indexes: zsets of job ids scored by minus the time, newest first. */
export type HorizonIndex = 'failed_jobs' | 'completed_jobs' | 'recent_jobs' | 'pending_jobs';

/** The keys Horizon writes under its prefix. */
export interface HorizonKeys {
  /** One of the app-wide job indexes. */
  index(name: HorizonIndex): string;
  /** The hash of one job (`name`, `queue`, `status`, `exception`, `failed_at`, …). */
  job(id: string): string;
}

/** Horizon's keys under `horizonPrefix`, which recent Horizon 5 releases hash-tag on a Cluster. */
export function horizonKeys(horizonPrefix: string, hashTags: boolean): HorizonKeys {
  const prefix = tagged(horizonPrefix, hashTags);
  return { index: (name) => prefix + name, job: (id) => prefix + id };
}

/** The options both probes share. */
export interface LaravelOptions {
  /** The Redis connection's key prefix (`config('database.redis.options.prefix')`). */
  redisPrefix: string;
  /** Whether the connection is a Redis Cluster, where Laravel ≥ 13 hash-tags queue names. */
  hashTags: boolean;
}

/**
 * Reads `redisPrefix` (a string, `''` by default) and `hashTags` (a boolean, false by default).
 * @throws QuasarConfigError naming the bad option.
 */
export function laravelOptions(queue: string, type: string, options: ProbeOptions): LaravelOptions {
  const redisPrefix = stringOption(queue, type, options, 'redisPrefix', '');
  const hashTags = options.hashTags ?? false;
  if (typeof hashTags !== 'boolean') throw optionError(queue, type, 'hashTags', 'a boolean');
  return { redisPrefix, hashTags };
}

/**
 * Reads `horizonPrefix`: a non-empty string, `laravel_horizon:` by default.
 * @throws QuasarConfigError naming `horizonPrefix`.
 */
export function horizonPrefixOption(queue: string, type: string, options: ProbeOptions): string {
  const prefix = stringOption(queue, type, options, 'horizonPrefix', DEFAULT_HORIZON_PREFIX);
  if (prefix === '') throw optionError(queue, type, 'horizonPrefix', 'a non-empty string');
  return prefix;
}

/** A unix time in seconds, given as a number or as PHP's `microtime(true)` string. */
function secondsOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * How long ago a job payload was pushed, ms: from Horizon's `pushedAt` (a `microtime(true)`
 * string) or else Laravel ≥ 11's `createdAt` (unix seconds). Only those two top-level fields
 * survive the parse; the job's data is dropped as it is read. Undefined when neither is there.
 */
export function payloadAgeMs(payload: string | null, nowMs: number): number | undefined {
  if (!payload) return undefined;
  let stamps: unknown;
  try {
    stamps = JSON.parse(payload, (key, value: unknown) =>
      key === '' || key === 'pushedAt' || key === 'createdAt' ? value : undefined,
    );
  } catch {
    return undefined;
  }
  if (typeof stamps !== 'object' || stamps === null) return undefined;
  const { pushedAt, createdAt } = stamps as Record<string, unknown>;
  const seconds = secondsOf(pushedAt) ?? secondsOf(createdAt);
  return seconds === undefined ? undefined : Math.max(0, nowMs - Math.round(seconds * 1000));
}

/** PHP's `microtime(true)` string (seconds) as epoch ms; undefined if absent or malformed. */
export function microtimeMs(value: string | null | undefined): number | undefined {
  const seconds = secondsOf(value ?? undefined);
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}
