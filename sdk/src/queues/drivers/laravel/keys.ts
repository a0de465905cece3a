/**
 * The Redis layout of Laravel's `redis` queue driver, read by the `laravel` and `horizon`
 * drivers alike. This is the only module that concatenates a Laravel queue's key strings:
 * - a queue's keys are `{redisPrefix}queues:{name}` plus `:reserved`, `:delayed` and `:notify`,
 *   where `redisPrefix` is the connection's `options.prefix` (the client adds it to every key)
 *   and `queues` is `RedisQueue::getQueue()`'s own base, which the `queueKeyPrefix` option
 *   replaces as the Go agent's `name:laravel:prefix` does;
 * - on a Redis Cluster connection Laravel ≥ 13 wraps a name without a hash tag in one
 *   (`queues:{default}`); before 13, Cluster users name the queue `{default}` themselves.
 */
import { optionError, stringOption } from '../../probe-options';
import type { ProbeOptions } from '../../types';

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

/** `value` wrapped in a hash tag when `hashTags` is on, unless it already holds one. */
export function hashTagged(value: string, hashTags: boolean): string {
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

/** The key base before a queue's name when none is configured, as Laravel writes it. */
export const DEFAULT_QUEUE_KEY_PREFIX = 'queues';

/**
 * The keys of `queue`: `{redisPrefix}{queueKeyPrefix}:{queue}…`, the name hash-tagged as a
 * Cluster connection does.
 */
export function laravelQueueKeys(placement: LaravelOptions, queue: string): LaravelQueueKeys {
  const { redisPrefix, queueKeyPrefix, hashTags } = placement;
  const base = `${redisPrefix}${queueKeyPrefix}:${hashTagged(queue, hashTags)}`;
  return {
    waiting: base,
    reserved: `${base}:reserved`,
    delayed: `${base}:delayed`,
    notify: `${base}:notify`,
  };
}

/** The options of the `laravel` and `horizon` drivers that place a queue's keys. */
export interface LaravelOptions {
  /** The Redis connection's key prefix (`config('database.redis.options.prefix')`). */
  redisPrefix: string;
  /** The base between the connection prefix and the queue's name: `queues` unless changed. */
  queueKeyPrefix: string;
  /** Whether the connection is a Redis Cluster, where Laravel ≥ 13 hash-tags queue names. */
  hashTags: boolean;
}

/**
 * Reads `redisPrefix` (a string, `''` by default), `queueKeyPrefix` (a non-empty string,
 * `queues` by default) and `hashTags` (a boolean, false by default).
 * @throws QuasarConfigError naming the bad option.
 */
export function laravelOptions(queue: string, type: string, options: ProbeOptions): LaravelOptions {
  const redisPrefix = stringOption(queue, type, options, 'redisPrefix', '');
  const queueKeyPrefix = stringOption(
    queue,
    type,
    options,
    'queueKeyPrefix',
    DEFAULT_QUEUE_KEY_PREFIX,
  );
  if (queueKeyPrefix === '') {
    throw optionError(queue, type, 'queueKeyPrefix', 'a non-empty string');
  }
  const hashTags = options.hashTags ?? false;
  if (typeof hashTags !== 'boolean') throw optionError(queue, type, 'hashTags', 'a boolean');
  return { redisPrefix, queueKeyPrefix, hashTags };
}
