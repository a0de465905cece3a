/**
 * Writes a Gravito Stream queue the way its `RedisDriver` does (prefix `queue:` by default):
 * - a push `LPUSH`es `JSON.stringify({id, type, data, className, createdAt, delaySeconds,
 *   attempts, maxAttempts, groupId, error, failedAt})` onto `{prefix}{q}`, or onto the lane
 *   `{prefix}{q}:{priority}` when pushed with a priority; undefined fields vanish in the JSON;
 * - a delayed push `ZADD`s the same JSON to `{lane}:delayed`, score = `Date.now()` + delay, ms;
 * - a worker `RPOP`s (the right end is the oldest job), skipping a lane whose `{lane}:paused`
 *   is `"1"`; a popped job lives only in the worker;
 * - a permanent failure `LPUSH`es `JSON.stringify({...job, failedAt: Date.now()})` onto
 *   `{prefix}{q}:failed` and `LTRIM`s it to 1000 entries.
 * The job itself is what `ClassNameSerializer` makes: `type: 'class'`, `className`, `data` =
 * `JSON.stringify({class, properties})`, `createdAt` = `Date.now()`, `attempts`. Assumed, as
 * the driver does not write it: the failed job carries the error's message as `error`.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

/** A serialized Stream job. */
export interface StreamJob {
  id: string;
  type: 'class' | 'json';
  data: string;
  className?: string;
  createdAt: number;
  delaySeconds?: number;
  attempts?: number;
  maxAttempts?: number;
  groupId?: string;
  error?: string;
  failedAt?: number;
}

/** `ClassNameSerializer.serialize()` of a job of `className` with `properties`. */
export function streamJob(
  className: string,
  properties: Record<string, unknown>,
  createdAt: number,
): StreamJob {
  return {
    id: `${createdAt}-${randomUUID().slice(0, 7)}`,
    type: 'class',
    className,
    data: JSON.stringify({ class: className, properties }),
    createdAt,
    attempts: 0,
    maxAttempts: 3,
  };
}

/** The driver's `push()` payload, in its field order. */
function pushPayload(job: StreamJob): string {
  return JSON.stringify({
    id: job.id,
    type: job.type,
    data: job.data,
    className: job.className,
    createdAt: job.createdAt,
    delaySeconds: job.delaySeconds,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    groupId: job.groupId,
    error: job.error,
    failedAt: job.failedAt,
  });
}

/** One Stream queue, written through `redis` as its Redis driver would. */
export class StreamQueue {
  /** `getKey(queue)`: the base lane. */
  readonly key: string;

  constructor(
    private readonly redis: Redis,
    readonly name: string,
    prefix = 'queue:',
  ) {
    this.key = `${prefix}${name}`;
  }

  /** `getKey(queue, priority)`: the base lane, or a priority lane. */
  lane(priority?: string): string {
    return priority ? `${this.key}:${priority}` : this.key;
  }

  /** `push()`: onto the lane, or into its `:delayed` zset when the job has a delay. */
  async push(job: StreamJob, priority?: string): Promise<void> {
    const key = this.lane(priority);
    if (job.delaySeconds && job.delaySeconds > 0) {
      await this.redis.zadd(
        `${key}:delayed`,
        Date.now() + job.delaySeconds * 1000,
        pushPayload(job),
      );
    } else {
      await this.redis.lpush(key, pushPayload(job));
    }
  }

  /** A worker's `RPOP` of one lane. */
  async pop(priority?: string): Promise<string | null> {
    return this.redis.rpop(this.lane(priority));
  }

  /**
   * `RedisDriver.pop()`: the lanes critical, high, base, low in turn; in each, a delayed job
   * that is due first (`ZRANGE 0 0 WITHSCORES`, then `ZREM`), then, unless `{lane}:paused` is
   * `"1"`, an `RPOP`. The job's JSON, or null when no lane gave one.
   */
  async workerPop(): Promise<string | null> {
    for (const priority of ['critical', 'high', undefined, 'low']) {
      const lane = this.lane(priority);
      const [due, score] = await this.redis.zrange(`${lane}:delayed`, 0, 0, 'WITHSCORES');
      if (due !== undefined && Number(score) <= Date.now()) {
        await this.redis.zrem(`${lane}:delayed`, due);
        return due;
      }
      if ((await this.redis.get(`${lane}:paused`)) === '1') continue;
      const popped = await this.redis.rpop(lane);
      if (popped !== null) return popped;
    }
    return null;
  }

  /** Pauses one lane, as a dashboard's pause sets the flag the worker checks. */
  async pause(priority?: string): Promise<void> {
    await this.redis.set(`${this.lane(priority)}:paused`, '1');
  }

  /** `fail()`: the job with its error onto the failed list, newest first, capped at 1000. */
  async fail(job: StreamJob, error: string, failedAt: number): Promise<void> {
    const key = `${this.key}:failed`;
    await this.redis.lpush(key, JSON.stringify({ ...job, attempts: 3, error, failedAt }));
    await this.redis.ltrim(key, 0, 999);
  }
}
