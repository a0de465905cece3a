/**
 * A real BullMQ Worker on a real Redis, instrumented: the heartbeat the agent writes carries
 * exactly the attempts the worker finished, by outcome, with wait and run histograms whose
 * counts add up.
 */
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import Redis from 'ioredis';
import { QuasarAgent } from '../../src';
import { JOB_DURATION_BOUNDS_MS, QuasarKeys, parseHeartbeat } from '../../src/schema';
import type { JobDurationHistogram, JobStats } from '../../src/schema';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
} from '../../../testing/redis';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const total = (h: JobDurationHistogram | undefined) => (h?.counts ?? []).reduce((a, b) => a + b, 0);
/** Durations counted above `ms` (a bound), from the bucket after it on. */
const above = (h: JobDurationHistogram | undefined, ms: number) =>
  (h?.counts ?? []).slice(JOB_DURATION_BOUNDS_MS.indexOf(ms) + 1).reduce((a, b) => a + b, 0);

type Kind = 'ok' | 'fail' | 'flaky' | 'unrecoverable';

async function processJob(job: Job<{ kind: Kind; sleepMs?: number }>) {
  const { kind, sleepMs = 0 } = job.data;
  if (sleepMs > 0) await sleep(sleepMs);
  if (kind === 'fail') throw new Error('failed on purpose');
  if (kind === 'flaky' && job.attemptsMade === 0) throw new Error('first attempt fails');
  if (kind === 'unrecoverable') throw new UnrecoverableError('no point retrying');
  return 'done';
}

describeWithRedis('instrumentBullMQWorker', () => {
  let url: string;
  let redis: Redis;
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  afterAll(async () => {
    await redis.quit();
  });

  function queueAndWorker(name: string, concurrency = 50) {
    const connection = bullmqConnection(url);
    const queue = new Queue(name, { connection });
    const worker = new Worker(name, processJob, { connection, concurrency, autorun: false });
    closers.push(
      () => queue.close(),
      () => worker.close(),
    );
    return { queue, worker };
  }

  function agentFor(service: string) {
    const agent = new QuasarAgent({
      service,
      interval: 300,
      transport: { url },
      logger: silent,
      otel: { enabled: false },
    });
    closers.push(() => agent.stop());
    return agent;
  }

  async function storedJobs(agent: QuasarAgent, service: string, done: (j: JobStats) => boolean) {
    return eventually(
      async () => {
        const raw = await redis.get(QuasarKeys.node(service, agent.getNodeId()));
        const parsed = parseHeartbeat(raw);
        if (!parsed.ok) return undefined;
        const jobs = parsed.value.jobs?.[0];
        return jobs && done(jobs)
          ? { jobs, all: parsed.value.jobs, warnings: parsed.warnings }
          : undefined;
      },
      15_000,
      'a heartbeat with every attempt',
    );
  }

  it('writes the exact outcome counts and histograms of a real worker into the heartbeat', async () => {
    const { queue, worker } = queueAndWorker('orders');
    const agent = agentFor('shop');
    // Instrumented before the agent starts: attempts are counted either way.
    agent.instrumentBullMQWorker(worker);
    await queue.addBulk([
      ...Array.from({ length: 30 }, () => ({
        name: 'ok',
        data: { kind: 'ok', sleepMs: 300 },
      })),
      ...Array.from({ length: 10 }, () => ({
        name: 'fail',
        data: { kind: 'fail' },
        opts: { attempts: 1 },
      })),
      ...Array.from({ length: 5 }, () => ({
        name: 'flaky',
        data: { kind: 'flaky' },
        opts: { attempts: 2 },
      })),
      // Attempts left, but BullMQ gives up at once: failed, not retried.
      { name: 'unrecoverable', data: { kind: 'unrecoverable' as Kind }, opts: { attempts: 3 } },
    ]);
    void worker.run();
    await agent.start();
    await eventually(
      () => (agent.getJobRecordStats().recorded === 51 ? true : undefined),
      15_000,
      '51 attempts',
    );

    const { jobs, all, warnings } = await storedJobs(
      agent,
      'shop',
      (j) => j.completed + j.failed + j.retried === 51,
    );
    expect(warnings).toEqual([]);
    expect(all).toHaveLength(1);
    expect(jobs).toMatchObject({
      queue: 'orders',
      system: 'bullmq',
      completed: 35,
      failed: 11,
      retried: 5,
    });
    expect(total(jobs.run)).toBe(51);
    expect(total(jobs.wait)).toBe(51);
    // The 30 sleeping jobs ran over 250 ms; the others are done at once.
    expect(above(jobs.run, 250)).toBe(30);
    expect(jobs.run!.sum).toBeGreaterThanOrEqual(30 * 300);
    expect(jobs.since).toBeLessThanOrEqual(Date.now());
    expect(agent.getJobRecordStats()).toEqual({
      recorded: 51,
      invalid: 0,
      droppedQueues: 0,
      queues: 1,
    });
  }, 30_000);

  it("counts a delayed job's and a backed-off retry's wait from when each became ready", async () => {
    const { queue, worker } = queueAndWorker('reminders');
    const agent = agentFor('calendar');
    await agent.start();
    agent.instrumentBullMQWorker(worker);
    void worker.run();
    // Delays well above the bound below, so that a busy machine's late pick-up of a ready job
    // stays under it while a wait counted from enqueue could not.
    await queue.add('later', { kind: 'ok' }, { delay: 3000 });
    await queue.add(
      'flaky',
      { kind: 'flaky' },
      { attempts: 2, backoff: { type: 'fixed', delay: 3000 } },
    );
    const { jobs } = await storedJobs(agent, 'calendar', (j) => j.completed === 2);
    expect(jobs).toMatchObject({ completed: 2, failed: 0, retried: 1 });
    expect(total(jobs.wait)).toBe(3);
    // Counted from enqueue, the delayed job and the retry would have waited 3000 ms or more.
    expect(above(jobs.wait, 1000)).toBe(0);
    expect(jobs.wait!.sum).toBeLessThan(3 * 1000);
  }, 30_000);

  it('stops counting once uninstrumented, and never throws into the worker', async () => {
    const { queue, worker } = queueAndWorker('audits', 1);
    const agent = agentFor('audit');
    const uninstrument = agent.instrumentBullMQWorker(worker);
    expect(agent.instrumentBullMQWorker(worker)).toBe(uninstrument);
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('hostile job');
        },
      },
    );
    expect(() => worker.emit('failed', hostile as Job, new Error('x'), 'active')).not.toThrow();
    expect(() =>
      worker.emit('completed', undefined as unknown as Job, 'r', 'active'),
    ).not.toThrow();
    void worker.run();
    await queue.add('ok', { kind: 'ok' });
    await eventually(
      () => (agent.getJobRecordStats().recorded === 1 ? true : undefined),
      10_000,
      'one attempt',
    );
    uninstrument();
    const finished = new Promise((resolve) => worker.once('completed', resolve));
    await queue.add('ok', { kind: 'ok' });
    await finished;
    expect(agent.getJobRecordStats().recorded).toBe(1);
  }, 30_000);
});
