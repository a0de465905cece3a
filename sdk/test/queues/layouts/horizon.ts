/**
 * Writes what Horizon 5 adds to a Laravel queue, as `Laravel\Horizon\RedisQueue`,
 * `JobPayload` and `Repositories\RedisJobRepository` do:
 * - the payload's `id` is its `uuid`, then `JobPayload::prepare()` appends `type`, `tags`,
 *   `silenced` and `pushedAt` (a `microtime(true)` string) and re-encodes it with plain
 *   `json_encode` (non-ASCII escaped);
 * - on the Horizon connection, whose prefix replaces the app's (`Horizon::use()`): zsets
 *   `recent_jobs`, `pending_jobs`, `completed_jobs`, `failed_jobs`, `recent_failed_jobs` of job
 *   ids scored by minus `microtime(true)`, and one hash per job at `{prefix}{id}` with
 *   `EXPIREAT` set from the trim settings (60 min, failed 10080 min).
 * On a Cluster connection Horizon wraps its prefix in a hash tag (`{laravel_horizon:}`).
 */
import type Redis from 'ioredis';
import { laravelPayload } from './laravel';
import type { LaravelJobSpec, LaravelRedisQueue } from './laravel';
import { phpJsonEncode, phpMicrotime } from './php';

/** The payload string Horizon pushes, with `pushedAt` at `pushedAt` (unix s, fractional). */
export function horizonPayloadJson(spec: LaravelJobSpec, queue: string, pushedAt: number): string {
  const payload = laravelPayload(spec, queue);
  payload.id = payload.uuid;
  return phpJsonEncode(
    { ...payload, type: 'job', tags: [], silenced: false, pushedAt: phpMicrotime(pushedAt) },
    { unescapedUnicode: false },
  );
}

/** `JobPayload::id()`: the uuid of a payload string. */
function idOf(payload: string): string {
  const { uuid, id } = JSON.parse(payload) as { uuid?: string; id?: string };
  return String(uuid ?? id);
}

/** Horizon's `LuaScripts::updateMetrics()`, as it ships. */
const UPDATE_METRICS = `
redis.call('hsetnx', KEYS[1], 'throughput', 0)
redis.call('sadd', KEYS[2], KEYS[1])
local hash = redis.call('hmget', KEYS[1], 'throughput', 'runtime')
local throughput = hash[1] + 1
local runtime = 0
if hash[2] then
  runtime = ((hash[1] * tonumber(hash[2])) + tonumber(ARGV[1])) / throughput
else
  runtime = tonumber(ARGV[1])
end
redis.call('hmset', KEYS[1], 'throughput', throughput, 'runtime', runtime)
`;

/** Seconds from now, for `EXPIREAT` (Horizon reads the real clock there). */
function inMinutes(minutes: number): number {
  return Math.floor(Date.now() / 1000) + minutes * 60;
}

/** Horizon's repository of one app. Times are unix seconds with a fraction (`microtime`). */
export class HorizonRepository {
  /** The prefix Horizon's connection puts before every key. */
  readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: { horizonPrefix: string; cluster: boolean },
  ) {
    const tagged = /\{[^}]+\}/.test(options.horizonPrefix);
    this.prefix = options.cluster && !tagged ? `{${options.horizonPrefix}}` : options.horizonPrefix;
  }

  private score(at: number): string {
    return phpMicrotime(at * -1);
  }

  /**
   * Push through Horizon's queue: the Laravel push (or, with `availableAt`, the delayed one),
   * then `pushed()`. Returns the job id.
   */
  async push(
    queue: LaravelRedisQueue,
    spec: LaravelJobSpec,
    at: number,
    availableAt?: number,
  ): Promise<string> {
    const payload = horizonPayloadJson(spec, queue.name, at);
    if (availableAt === undefined) await queue.push(payload);
    else await queue.later(availableAt, payload);
    const id = idOf(payload);
    const time = phpMicrotime(at);
    const p = this.prefix;
    await this.redis
      .multi()
      .zadd(`${p}recent_jobs`, this.score(at), id)
      .zadd(`${p}pending_jobs`, this.score(at), id)
      .hset(`${p}${id}`, {
        id,
        connection: 'redis',
        queue: queue.name,
        name: spec.className,
        status: 'pending',
        payload,
        created_at: time,
        updated_at: time,
      })
      .expireat(`${p}${id}`, inMinutes(60))
      .exec();
    return id;
  }

  /** A worker's pop of `queue` then `reserved()`. Returns the reserved payload. */
  async reserve(queue: LaravelRedisQueue, at: number): Promise<string> {
    const reserved = await queue.pop(Math.floor(at) + 90);
    if (!reserved) throw new Error(`nothing to reserve on ${queue.name}`);
    const time = phpMicrotime(at);
    await this.redis.hset(`${this.prefix}${idOf(reserved)}`, {
      status: 'reserved',
      payload: reserved,
      updated_at: time,
      reserved_at: time,
    });
    return reserved;
  }

  /** The job fails for good: `deleteReserved()`, then `failed()` with `(string) $exception`. */
  async fail(
    queue: LaravelRedisQueue,
    reserved: string,
    exception: string,
    at: number,
  ): Promise<void> {
    await queue.deleteReserved(reserved);
    const id = idOf(reserved);
    const { displayName } = JSON.parse(reserved) as { displayName: string };
    const p = this.prefix;
    await this.redis
      .multi()
      .zadd(`${p}failed_jobs`, this.score(at), id)
      .zadd(`${p}recent_failed_jobs`, this.score(at), id)
      .zrem(`${p}pending_jobs`, id)
      .zrem(`${p}completed_jobs`, id)
      .zrem(`${p}silenced_jobs`, id)
      .hset(`${p}${id}`, {
        id,
        connection: 'redis',
        queue: queue.name,
        name: displayName,
        status: 'failed',
        payload: reserved,
        exception,
        context: '',
        failed_at: phpMicrotime(at),
      })
      .expireat(`${p}${id}`, inMinutes(10080))
      .exec();
  }

  /** The job succeeds: `deleteReserved()`, then `completed()`. */
  async complete(queue: LaravelRedisQueue, reserved: string, at: number): Promise<void> {
    await queue.deleteReserved(reserved);
    const id = idOf(reserved);
    const p = this.prefix;
    await this.redis
      .multi()
      .zadd(`${p}completed_jobs`, this.score(at), id)
      .zrem(`${p}pending_jobs`, id)
      .hset(`${p}${id}`, { status: 'completed', completed_at: phpMicrotime(at) })
      .expireat(`${p}${id}`, inMinutes(60))
      .exec();
  }

  /**
   * `UpdateJobMetrics` on `JobDeleted` of a job that did not fail: `incrementQueue()`, Horizon's
   * `LuaScripts::updateMetrics()` on `queue:{name}` (throughput + 1, running mean runtime).
   */
  async measure(queue: string, runtimeMs: number): Promise<void> {
    await this.redis.eval(
      UPDATE_METRICS,
      2,
      `${this.prefix}queue:${queue}`,
      `${this.prefix}measured_queues`,
      String(runtimeMs),
    );
  }

  /**
   * `horizon:snapshot` at `at` (unix s) for `queues`, as `RedisMetricsRepository::snapshot()`
   * stores each queue's: its metrics moved out of `queue:{name}` (HMGET then DEL in a
   * transaction) into a `snapshot:queue:{name}` member, PHP's `json_encode` of
   * `{throughput, runtime, wait, time}` scored by `time`, the zset trimmed to the newest
   * `trimSnapshots` (`horizon.metrics.trim_snapshots.queue`, 24); then `last_snapshot_at`.
   * `wait` is the `WaitTimeCalculator`'s seconds to clear the queue, a PHP float from `round()`
   * (`12.0`), or the integer `0` when it finds no supervisor working the queue. With `phpredis`,
   * a missing field reads as `false` (predis: null).
   */
  async snapshot(
    queues: readonly string[],
    at: number,
    options: { wait?: number; trimSnapshots?: number; client?: 'predis' | 'phpredis' } = {},
  ): Promise<void> {
    const { wait, trimSnapshots = 24, client = 'predis' } = options;
    const waitJson = wait === undefined ? '0' : `${wait}${Number.isInteger(wait) ? '.0' : ''}`;
    const p = this.prefix;
    for (const queue of queues) {
      const key = `${p}queue:${queue}`;
      const [[, data]] = (await this.redis
        .multi()
        .hmget(key, 'throughput', 'runtime')
        .del(key)
        .exec()) as [[unknown, (string | null)[]]];
      const [throughput, runtime] = data.map((v) =>
        v === null && client === 'phpredis' ? false : v,
      );
      const fields = phpJsonEncode({ throughput, runtime }, { unescapedUnicode: false });
      const snapshots = `${p}snapshot:${key.slice(p.length)}`;
      await this.redis.zadd(
        snapshots,
        at,
        `${fields.slice(0, -1)},"wait":${waitJson},"time":${at}}`,
      );
      await this.redis.zremrangebyrank(snapshots, 0, -(1 + trimSnapshots));
    }
    await this.redis.set(`${p}last_snapshot_at`, String(at));
  }
}

/** `(string) $exception` of a PHP exception thrown in a job: message line, then the trace. */
export function phpExceptionString(className: string, message: string, file: string): string {
  return [
    `${className}: ${message} in ${file}:31`,
    'Stack trace:',
    '#0 /var/www/vendor/laravel/framework/src/Illuminate/Container/BoundMethod.php(36): handle()',
    '#1 /var/www/vendor/laravel/framework/src/Illuminate/Container/Util.php(43): {closure}()',
    '#2 {main}',
  ].join('\n');
}
