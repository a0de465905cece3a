/**
 * demo-producer: the Redis side of a Laravel app and a Gravito Stream app, for the sidecar to
 * watch. It writes their real layouts (simplified payloads, same keys and commands):
 * - Laravel queue `default`: jobs `RPUSH`ed onto `queues:default` (with a notify token), some
 *   delayed in `queues:default:delayed` (score: due, unix seconds); a simulated `queue:work`
 *   `LPOP`s them into `queues:default:reserved` and removes them when done;
 * - Gravito Stream queue `mail`: jobs `LPUSH`ed onto `queue:mail`, a consumer `RPOP`s them, and
 *   a failed one is `LPUSH`ed onto `queue:mail:failed`.
 * Arrivals outpace the workers in bursts, so the counts move.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { env } from '../shared/env';
import { between, onShutdown } from '../shared/service';

const LARAVEL = 'queues:default';
const STREAM = 'queue:mail';

function laravelJob(className: string): string {
  return JSON.stringify({
    uuid: randomUUID(),
    displayName: className,
    job: 'Illuminate\\Queue\\CallQueuedHandler@call',
    maxTries: 3,
    maxExceptions: null,
    failOnTimeout: false,
    backoff: null,
    timeout: 60,
    retryUntil: null,
    data: { commandName: className, command: `O:${className.length}:"${className}":0:{}` },
    id: randomUUID(),
    attempts: 0,
  });
}

function streamJob(className: string): string {
  const createdAt = Date.now();
  return JSON.stringify({
    id: `${createdAt}-${randomUUID().slice(0, 7)}`,
    type: 'class',
    data: JSON.stringify({ class: className, properties: {} }),
    className,
    createdAt,
    attempts: 0,
    maxAttempts: 3,
  });
}

async function produce(redis: Redis): Promise<void> {
  const burst = Math.random() < 0.1 ? between(10, 25) : between(0, 2);
  for (let i = 0; i < burst; i++) {
    const job = laravelJob(
      Math.random() < 0.5 ? 'App\\Jobs\\SendInvoice' : 'App\\Jobs\\SyncInventory',
    );
    if (Math.random() < 0.2)
      await redis.zadd(`${LARAVEL}:delayed`, Math.floor(Date.now() / 1000) + between(10, 60), job);
    else await redis.multi().rpush(LARAVEL, job).rpush(`${LARAVEL}:notify`, 1).exec();
  }
  for (let i = 0; i < between(0, 2); i++)
    await redis.lpush(STREAM, streamJob('App\\Mail\\OrderShipped'));
}

async function work(redis: Redis): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  // Due delayed jobs return to the queue, as Laravel's migration of expired jobs does.
  const due = await redis.zrangebyscore(`${LARAVEL}:delayed`, 0, now);
  for (const job of due)
    await redis.multi().zrem(`${LARAVEL}:delayed`, job).rpush(LARAVEL, job).exec();
  // A worker finishes what it reserved, then reserves the next job.
  await redis.zremrangebyscore(`${LARAVEL}:reserved`, 0, now + 85);
  const next = await redis.lpop(LARAVEL);
  if (next)
    await redis
      .multi()
      .zadd(`${LARAVEL}:reserved`, now + 90, next)
      .lpop(`${LARAVEL}:notify`)
      .exec();

  const mail = await redis.rpop(STREAM);
  if (mail && Math.random() < 0.15) {
    const failed = {
      ...(JSON.parse(mail) as object),
      error: 'Connection to smtp.example.test timed out',
      failedAt: Date.now(),
    };
    await redis
      .multi()
      .lpush(`${STREAM}:failed`, JSON.stringify(failed))
      .ltrim(`${STREAM}:failed`, 0, 999)
      .exec();
  }
}

function main(): void {
  const redis = new Redis(env('REDIS_URL', 'redis://127.0.0.1:6379'));
  const timers = [
    setInterval(() => void produce(redis).catch(() => undefined), 700),
    setInterval(() => void work(redis).catch(() => undefined), 1000),
  ];
  process.stdout.write('demo-producer filling Laravel queue default and Stream queue mail\n');
  onShutdown(async () => {
    timers.forEach(clearInterval);
    await redis.quit();
  });
}

try {
  main();
} catch (error) {
  process.stderr.write(
    `demo-producer: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
