/**
 * Sampled wait and run against real BullMQ workers: every job a worker finished lands in its
 * period with the wait and run BullMQ's own `Job` gives, counted as the in-process histograms
 * count; sleeps of known length land in their buckets; a delayed job waits from when it was due;
 * jobs removed on completion leave no period and no error. Periods of 2 s keep the test short;
 * the probe's are minutes (./finished-sample.test.ts).
 */
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions, Job, JobsOptions } from 'bullmq';
import Redis from 'ioredis';
import { DurationHistogram } from '../../../../src/jobs/duration-histogram';
import { bullKeys } from '../../../../src/queues/drivers/bull-family/keys';
import { FinishedSample } from '../../../../src/queues/drivers/bullmq/finished-sample';
import { oneTrip } from '../../../../src/queues/read-batch';
import type { QueuePeriod } from '../../../../src/schema';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
  uniqueName,
} from '../../../../../testing/redis';

const prefix = '{bull}';
const PERIOD = 2_000;
const OPTIONS = { periodMs: PERIOD, marginMs: 300, spreadMs: 0 };

/** Buckets of the durations as the in-process histogram counts them, and their sum. */
function histogram(durations: readonly number[]): { counts: number[]; sum: number } {
  const h = new DurationHistogram();
  for (const ms of durations) h.add(ms);
  return h.snapshot();
}

describeWithRedis('bullmq sampled wait and run (real BullMQ workers)', () => {
  let connection: ConnectionOptions;
  let redis: Redis;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const url = await claimDatabase();
    connection = bullmqConnection(url);
    redis = new Redis(url);
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await redis?.quit();
  });

  const redisMs = async () => {
    const [s, us] = await redis.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000);
  };
  /** A queue and a worker that sleeps `data.ms`, and fails a `flaky` job's first attempt. */
  const queueWithWorker = (name: string) => {
    const q = new Queue(name, { connection, prefix });
    const w = new Worker(
      name,
      async (job: Job<{ ms: number }>) => {
        await new Promise((resolve) => setTimeout(resolve, job.data.ms));
        if (job.name === 'flaky' && job.attemptsMade === 0) throw new Error('again');
      },
      { connection, prefix, concurrency: 1 },
    );
    closers.push(
      () => w.close(),
      () => q.close(),
    );
    return q;
  };
  const settled = (q: Queue, total: number) =>
    eventually(
      async () => {
        const c = await q.getJobCounts('completed', 'failed');
        return (c.completed ?? 0) + (c.failed ?? 0) === total ? true : undefined;
      },
      20_000,
      `${total} jobs to finish`,
    );
  /** One probe read's worth of the sample: `TIME` and the first reads, then the second. */
  const sampleOnce = async (sample: FinishedSample) => {
    const [time] = await oneTrip(redis, (r) => [r.time('any'), sample.start(r)]);
    return sample.finish(redis, time);
  };
  /** Reads until every period up to `untilMs` is closed and read; the periods held then. */
  const sampleUntil = async (sample: FinishedSample, untilMs: number) => {
    await eventually(
      async () => ((await redisMs()) > untilMs + PERIOD + OPTIONS.marginMs ? true : undefined),
      10_000,
      'the last period to close',
    );
    let periods: QueuePeriod[] = [];
    for (let i = 0; i < 7; i++) periods = await sampleOnce(sample);
    return periods;
  };
  /** One finished job, with a first finish before the periods read (see the trimming check). */
  const warmUp = async (q: Queue) => {
    await q.add('warm', { ms: 0 });
    await settled(q, 1);
    const next = Math.ceil((await redisMs()) / PERIOD) * PERIOD;
    await eventually(async () => ((await redisMs()) > next ? true : undefined), 5_000);
    return next;
  };
  const add = (q: Queue, name: string, ms: number, opts: JobsOptions = {}) =>
    q.add(name, { ms }, opts);

  it('reports every finished job with the wait and run BullMQ recorded, in its bucket', async () => {
    const name = uniqueName('timed');
    const q = queueWithWorker(name);
    const sample = new FinishedSample(bullKeys(prefix, name), name, OPTIONS);
    await sampleOnce(sample);
    const from = await warmUp(q);
    // Sleeps with room in their buckets for a busy machine's lateness.
    for (let i = 0; i < 3; i++) await add(q, 'short', 300);
    for (let i = 0; i < 2; i++) await add(q, 'long', 700);
    await add(q, 'flaky', 300, { attempts: 2 });
    await settled(q, 7);
    const jobs = (await q.getJobs(['completed', 'failed'])).filter((j) => j.name !== 'warm');
    const lastFinish = Math.max(...jobs.map((j) => j.finishedOn ?? 0));
    const periods = (await sampleUntil(sample, lastFinish)).filter((p) => p.startMs >= from);

    // Exactly what BullMQ's jobs say, period by period.
    const expected = new Map<number, { runs: number[]; waits: number[] }>();
    for (const job of jobs) {
      const start = Math.floor((job.finishedOn as number) / PERIOD) * PERIOD;
      const entry = expected.get(start) ?? { runs: [], waits: [] };
      expected.set(start, entry);
      const processedOn = job.processedOn as number;
      entry.runs.push((job.finishedOn as number) - processedOn);
      if (job.attemptsStarted === 1) {
        entry.waits.push(Math.max(0, processedOn - job.timestamp - (job.opts.delay ?? 0)));
      }
    }
    expect(periods.map((p) => p.startMs)).toEqual([...expected.keys()].sort((a, b) => a - b));
    for (const period of periods) {
      const { runs, waits } = expected.get(period.startMs)!;
      expect(period).toEqual({
        startMs: period.startMs,
        endMs: period.startMs + PERIOD,
        run: { count: runs.length, ...histogram(runs) },
        wait: { count: waits.length, ...histogram(waits) },
        source: 'sample',
      });
    }
    // The sleeps: 300 ms runs in (250, 500], 700 ms in (500, 1,000], within 200 ms each.
    const runs = histogram(jobs.map((j) => (j.finishedOn as number) - (j.processedOn as number)));
    const total = (i: number) => periods.reduce((n, p) => n + (p.run?.counts?.[i] ?? 0), 0);
    expect([total(6), total(7)]).toEqual([4, 2]);
    const runSum = periods.reduce((n, p) => n + (p.run?.sum ?? 0), 0);
    expect(runSum).toBe(runs.sum);
    expect(runSum).toBeGreaterThanOrEqual(4 * 300 + 2 * 700);
    expect(runSum).toBeLessThan(4 * 300 + 2 * 700 + 6 * 200);
    // One worker, one job at a time: each job waited for those before it (the flaky one retried).
    const waitCount = periods.reduce((n, p) => n + (p.wait?.count ?? 0), 0);
    expect(waitCount).toBe(5);
  }, 45_000);

  it('counts a delayed job from when it was due, not from when it was added', async () => {
    const name = uniqueName('delayed');
    const q = queueWithWorker(name);
    const sample = new FinishedSample(bullKeys(prefix, name), name, OPTIONS);
    await sampleOnce(sample);
    const from = await warmUp(q);
    for (let i = 0; i < 3; i++) await add(q, 'later', 0, { delay: 1500 });
    await settled(q, 4);
    const jobs = (await q.getJobs(['completed'])).filter((j) => j.name === 'later');
    const lastFinish = Math.max(...jobs.map((j) => j.finishedOn ?? 0));
    const periods = (await sampleUntil(sample, lastFinish)).filter((p) => p.startMs >= from);
    const waits = periods.map((p) => p.wait!);
    expect(waits.reduce((n, w) => n + w.count, 0)).toBe(3);
    // Due after 1500 ms, started within 1000 ms of it (a busy machine's lateness): never the
    // 1500 ms of the delay itself.
    const late = (w: (typeof waits)[number]) => w.counts!.slice(8).reduce((n, c) => n + c, 0);
    expect(waits.map(late)).toEqual(waits.map(() => 0));
    const expected = jobs.map((j) => (j.processedOn as number) - j.timestamp - 1500);
    expect(waits.reduce((n, w) => n + w.sum, 0)).toBe(
      expected.reduce((a, b) => a + Math.max(0, b), 0),
    );
  }, 45_000);

  it('reports no period and no error for jobs removed on completion', async () => {
    const name = uniqueName('removed');
    const q = queueWithWorker(name);
    const sample = new FinishedSample(bullKeys(prefix, name), name, OPTIONS);
    await sampleOnce(sample);
    for (let i = 0; i < 4; i++) await add(q, 'gone', 10, { removeOnComplete: true });
    await eventually(async () => {
      const c = await q.getJobCounts('wait', 'active', 'completed');
      return (c.wait ?? 0) + (c.active ?? 0) === 0 ? true : undefined;
    }, 10_000);
    const periods = await sampleUntil(sample, await redisMs());
    expect(periods).toEqual([]);
    expect(await q.getCompletedCount()).toBe(0);
  });
});
