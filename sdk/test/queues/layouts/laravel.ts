/**
 * Writes a Laravel `redis` queue the way `Illuminate\Queue\RedisQueue` does (Laravel 12/13):
 * - the payload is `createPayloadArray()`'s array in its key order, `json_encode`d with
 *   `JSON_UNESCAPED_UNICODE`;
 * - a push runs a script that `RPUSH`es the payload onto `queues:{q}` and a `1` onto
 *   `queues:{q}:notify`; a delayed push `ZADD`s it to `queues:{q}:delayed` (score = due, unix s);
 * - a pop runs a script that `LPOP`s the head, re-encodes it with Redis's own `cjson` with
 *   `attempts` + 1, `ZADD`s that to `queues:{q}:reserved` (score = expiry, unix s) and `LPOP`s
 *   one notify token;
 * - a release moves the reserved job to `:delayed`; a finished or failed job is `ZREM`ed (a
 *   failure goes to the `failed_jobs` SQL table, never to Redis).
 * Every key carries the connection prefix; on a Cluster connection the name is hash-tagged.
 * The keys are built here independently of the SDK, so a wrong key there fails the tests.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { phpJsonEncode, phpSerializeObject, strRandom } from './php';
import type { PhpValue } from './php';

/** What a test says about one job; the rest of the payload is filled in as Laravel does. */
export interface LaravelJobSpec {
  /** The job's class, e.g. `App\Jobs\SendInvoice`; also its `displayName`. */
  className: string;
  /** When it was created, unix seconds (`Carbon::now()->getTimestamp()`). */
  createdAt: number;
  /** The job's own public properties, serialized into `data.command`. */
  properties?: readonly (readonly [string, PhpValue])[];
  tries?: number | null;
  timeout?: number | null;
  backoff?: string | null;
  /** `->delay()` in seconds, recorded by `createPayload()` as `delay`. */
  delay?: number | null;
}

/** The public properties the `Queueable` trait adds to every job, as `serialize` writes them. */
function queueableProperties(queue: string): (readonly [string, PhpValue])[] {
  return [
    ['connection', null],
    ['queue', queue],
    ['delay', null],
    ['afterCommit', null],
    ['middleware', []],
    ['chained', []],
    ['chainConnection', null],
    ['chainQueue', null],
    ['chainCatchCallbacks', null],
  ];
}

/** `RedisQueue::createPayloadArray()` plus `createPayload()`'s `delay`, in PHP's key order. */
export function laravelPayload(spec: LaravelJobSpec, queue: string): Record<string, unknown> {
  const command = phpSerializeObject(spec.className, [
    ...(spec.properties ?? []),
    ...queueableProperties(queue),
  ]);
  return {
    uuid: randomUUID(),
    displayName: spec.className,
    job: 'Illuminate\\Queue\\CallQueuedHandler@call',
    maxTries: spec.tries ?? null,
    maxExceptions: null,
    failOnTimeout: false,
    backoff: spec.backoff ?? null,
    timeout: spec.timeout ?? null,
    retryUntil: null,
    data: { commandName: spec.className, command, batchId: null },
    createdAt: spec.createdAt,
    id: strRandom(32),
    attempts: 0,
    delay: spec.delay ?? null,
  };
}

/** The payload string plain Laravel pushes. */
export function laravelPayloadJson(spec: LaravelJobSpec, queue: string): string {
  return phpJsonEncode(laravelPayload(spec, queue), { unescapedUnicode: true });
}

/** How the app's Redis connection is configured. */
export interface LaravelConnection {
  /** `database.redis.options.prefix`, e.g. `laravel_database_`. */
  prefix: string;
  /** Whether it is a Redis Cluster connection (Laravel ≥ 13 then hash-tags queue names). */
  cluster: boolean;
}

const PUSH = `redis.call('rpush', KEYS[1], ARGV[1])
redis.call('rpush', KEYS[2], 1)`;

const POP = `local job = redis.call('lpop', KEYS[1])
if not job then return {false, false} end
local decoded = cjson.decode(job)
decoded['attempts'] = decoded['attempts'] + 1
local reserved = cjson.encode(decoded)
redis.call('zadd', KEYS[2], ARGV[1], reserved)
redis.call('lpop', KEYS[3])
return {job, reserved}`;

/** One queue of a Laravel app, written through `redis` as the app would write it. */
export class LaravelRedisQueue {
  /** `getQueueRedisKey()` with the connection prefix the client adds. */
  readonly key: string;

  constructor(
    private readonly redis: Redis,
    readonly name: string,
    connection: LaravelConnection,
  ) {
    const tagged = /\{[^}]+\}/.test(name);
    this.key = `${connection.prefix}queues:${connection.cluster && !tagged ? `{${name}}` : name}`;
  }

  /** `pushRaw()`: the payload at the tail, one notify token. */
  async push(payload: string): Promise<void> {
    await this.redis.eval(PUSH, 2, this.key, `${this.key}:notify`, payload);
  }

  /** `laterRaw()`: the payload in `:delayed`, due at `availableAt` (unix s). */
  async later(availableAt: number, payload: string): Promise<void> {
    await this.redis.zadd(`${this.key}:delayed`, availableAt, payload);
  }

  /** A worker's pop: the reserved payload (`attempts` + 1), or undefined on an empty queue. */
  async pop(expiresAt: number): Promise<string | undefined> {
    const keys = [this.key, `${this.key}:reserved`, `${this.key}:notify`];
    const [, reserved] = (await this.redis.eval(POP, 3, ...keys, expiresAt)) as [
      string | null,
      string | null,
    ];
    return reserved ?? undefined;
  }

  /** `deleteAndRelease()`: a reserved job back to `:delayed`, due at `availableAt`. */
  async release(reserved: string, availableAt: number): Promise<void> {
    await this.redis.zrem(`${this.key}:reserved`, reserved);
    await this.redis.zadd(`${this.key}:delayed`, availableAt, reserved);
  }

  /** `deleteReserved()`: a finished (or failed) job leaves Redis. */
  async deleteReserved(reserved: string): Promise<void> {
    await this.redis.zrem(`${this.key}:reserved`, reserved);
  }
}
