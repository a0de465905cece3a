/**
 * Queues for the probe benchmark, filled the way their systems fill them: a BullMQ queue
 * through the real `bullmq` API (a real `Worker` completes and fails jobs), and a Laravel
 * `redis` queue with payloads as `RedisQueue` pushes them.
 */
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { LaravelRedisQueue, laravelPayloadJson } from '../test/queues/layouts/laravel';

/** How many jobs a BullMQ queue holds in each state. */
export interface BullmqMix {
  readonly waiting: number;
  readonly delayed: number;
  readonly prioritized: number;
  readonly completed: number;
  readonly failed: number;
}

/** How many jobs a Laravel queue holds in each state. */
export interface LaravelMix {
  readonly waiting: number;
  readonly reserved: number;
  readonly delayed: number;
}

/** Jobs per `addBulk` call or pipeline: large enough to be fast, small enough to stay cheap. */
const CHUNK = 1_000;
const HOUR_MS = 3_600_000;
const FILL_DEADLINE_MS = 300_000;
/** What the failing jobs throw; BullMQ stores it with the stack trace in the job's hash. */
const DECLINED = 'card declined by the issuer (code 51): do not honour';

/** Total jobs of a mix. */
export function jobsIn<State extends string>(mix: Readonly<Record<State, number>>): number {
  return Object.values<number>(mix).reduce((sum, n) => sum + n, 0);
}

/** An order payload of a realistic size (≈ 200 bytes of JSON). */
function order(n: number): Record<string, unknown> {
  return {
    orderId: n,
    customer: `customer-${n}@example.com`,
    amountCents: 1_000 + (n % 9_000),
    currency: 'EUR',
    items: [
      { sku: `SKU-${n % 97}`, qty: 1 + (n % 3) },
      { sku: `SKU-${n % 89}`, qty: 1 },
    ],
  };
}

/** Adds `count` jobs in chunks of `CHUNK`; `opts` gives each job's options by its number. */
async function addJobs(
  queue: Queue,
  count: number,
  name: (n: number) => string,
  opts: (n: number) => Record<string, unknown> = () => ({}),
): Promise<void> {
  for (let start = 0; start < count; start += CHUNK) {
    const size = Math.min(CHUNK, count - start);
    await queue.addBulk(
      Array.from({ length: size }, (_, i) => {
        const n = start + i;
        return { name: name(n), data: order(n), opts: opts(n) };
      }),
    );
  }
}

/** Polls `done` every 100 ms until it holds, or throws after `FILL_DEADLINE_MS`. */
async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + FILL_DEADLINE_MS;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out filling the queue: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A BullMQ queue (default prefix) holding `mix`. A worker first completes and fails jobs (one
 * failing job spread evenly among the completed ones), then stops; the waiting, delayed and
 * prioritized jobs are added after it, so they stay where they are.
 */
export async function fillBullmqQueue(
  connection: ConnectionOptions,
  name: string,
  mix: BullmqMix,
): Promise<Queue> {
  const queue = new Queue(name, { connection });
  const worker = new Worker(
    name,
    (job) =>
      job.name === 'charge-card'
        ? Promise.reject(new Error(DECLINED))
        : Promise.resolve({ sent: true }),
    { connection, concurrency: 50 },
  );
  try {
    const processed = mix.completed + mix.failed;
    const every = mix.failed > 0 ? Math.max(1, Math.floor(processed / mix.failed)) : Infinity;
    const fails = (n: number) => n % every === 0 && n / every < mix.failed;
    await addJobs(queue, processed, (n) => (fails(n) ? 'charge-card' : 'send-receipt'));
    await until(async () => {
      const counts = await queue.getJobCounts('completed', 'failed');
      return counts.completed === mix.completed && counts.failed === mix.failed;
    }, `${name}: ${mix.completed} completed and ${mix.failed} failed`);
  } finally {
    await worker.close();
  }
  await addJobs(
    queue,
    mix.delayed,
    () => 'send-reminder',
    () => ({ delay: HOUR_MS }),
  );
  await addJobs(
    queue,
    mix.prioritized,
    () => 'refund',
    (n) => ({ priority: 1 + (n % 10) }),
  );
  await addJobs(queue, mix.waiting, () => 'send-receipt');
  return queue;
}

/**
 * A Laravel `redis` queue (no connection prefix) holding `mix`: payloads pushed with their
 * notify tokens, the reserved ones popped by Laravel's own pop script, the delayed ones due in
 * an hour. `createdAt` rises by one second per job from `createdAt`.
 * @returns the key of its list of waiting jobs.
 */
export async function fillLaravelQueue(
  redis: Redis,
  name: string,
  mix: LaravelMix,
  createdAt: number,
): Promise<string> {
  const queue = new LaravelRedisQueue(redis, name, { prefix: '', cluster: false });
  const payload = (n: number) =>
    laravelPayloadJson({ className: 'App\\Jobs\\SendInvoice', createdAt: createdAt + n }, name);
  const pushed = mix.waiting + mix.reserved;
  for (let start = 0; start < pushed; start += CHUNK) {
    const pipeline = redis.pipeline();
    for (let n = start; n < Math.min(pushed, start + CHUNK); n++) {
      pipeline.rpush(queue.key, payload(n)).rpush(`${queue.key}:notify`, 1);
    }
    await pipeline.exec();
  }
  const expiresAt = createdAt + pushed + 90;
  for (let n = 0; n < mix.reserved; n++) await queue.pop(expiresAt);
  for (let start = 0; start < mix.delayed; start += CHUNK) {
    const pipeline = redis.pipeline();
    for (let n = start; n < Math.min(mix.delayed, start + CHUNK); n++) {
      pipeline.zadd(`${queue.key}:delayed`, createdAt + pushed + 3_600, payload(pushed + n));
    }
    await pipeline.exec();
  }
  return queue.key;
}
