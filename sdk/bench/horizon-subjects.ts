/**
 * The `horizon` probe in the probe benchmark. It reads the benchmark's Laravel queues (Horizon
 * runs Laravel's `redis` queue), plus Horizon's metrics of each: the live `queue:{name}` hash and
 * its `snapshot:queue:{name}` zset, written as Horizon writes them. The small queue has
 * Horizon's default 24 snapshots; the large one 10,000 (a `trim_snapshots` set far above the
 * default), so a read that grew with the zset would show.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Redis } from 'ioredis';
import { horizonProbe } from '../src/queues/drivers/horizon/probe';
import { HorizonRepository } from '../test/queues/layouts/horizon';
import type { LaravelMix } from './probe-fixtures';
import type { Subject } from './probe-report';

/** Snapshots kept per size. */
const SNAPSHOTS: Record<'1k' | '100k', number> = { '1k': 24, '100k': 10_000 };
/** Members per pipeline when writing the older snapshots. */
const CHUNK = 1_000;
/** Five minutes, Horizon's documented snapshot schedule, s. */
const EVERY_S = 300;

/**
 * Writes `count` snapshots of `queue` ending an interval before `nowS`: the older ones as
 * Horizon's members in bulk, the newest six through Horizon's own metrics and snapshot calls.
 */
async function fillHorizonMetrics(
  redis: Redis,
  queue: string,
  count: number,
  nowS: number,
): Promise<void> {
  const horizon = new HorizonRepository(redis, {
    horizonPrefix: 'laravel_horizon:',
    cluster: false,
  });
  const firstS = nowS - count * EVERY_S;
  const key = `${horizon.prefix}snapshot:queue:${queue}`;
  for (let start = 0; start < count - 6; start += CHUNK) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(start + CHUNK, count - 6); i++) {
      const time = firstS + i * EVERY_S;
      pipeline.zadd(key, time, `{"throughput":"3","runtime":"12.5","wait":0,"time":${time}}`);
    }
    await pipeline.exec();
  }
  for (let i = Math.max(count - 6, 0); i < count; i++) {
    for (const ms of [10, 20, 30]) await horizon.measure(queue, ms);
    await horizon.snapshot([queue], firstS + i * EVERY_S, { trimSnapshots: count });
  }
  for (const ms of [10, 20, 30]) await horizon.measure(queue, ms);
}

/**
 * The `horizon` probe on each Laravel queue, after checking what it reads.
 * @returns the subjects, and a failure per size where the reading is wrong.
 */
export async function horizonSubjects(
  redis: Redis,
  sizes: Readonly<Record<'1k' | '100k', LaravelMix>>,
): Promise<{ subjects: Subject[]; failures: string[] }> {
  const subjects: Subject[] = [];
  const failures: string[] = [];
  const nowS = Math.floor(Date.now() / 1000);
  for (const size of ['1k', '100k'] as const) {
    const queue = `invoices-${size}`;
    await fillHorizonMetrics(redis, queue, SNAPSHOTS[size], nowS);
    const probe = horizonProbe.create(queue, {});
    const reading = await probe.read({ redis, nowMs: Date.now() });
    const periods = reading.periods?.map((p) => [p.completed, p.run]);
    const expected = Array.from({ length: 5 }, () => [3, { count: 3, sum: 60 }]);
    if (
      reading.size.waiting !== sizes[size].waiting ||
      !isDeepStrictEqual(periods, expected) ||
      reading.throughput?.meanRunMs !== 20
    ) {
      failures.push(
        `at ${size} the horizon probe read ${JSON.stringify(reading)}; expected ${sizes[size].waiting} waiting, 5 periods of 3 jobs and a mean run of 20 ms`,
      );
    }
    subjects.push({
      name: `horizon probe ${size}`,
      op: () => probe.read({ redis, nowMs: Date.now() }),
    });
  }
  return { subjects, failures };
}
