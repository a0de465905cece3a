/**
 * Bulk commands on a bullmq queue against real BullMQ: a worker fails 15 jobs with three kinds
 * of application errors (7/5/3), the probe groups them, and the retry and delete executors
 * select one group by its key: a dry run counts exactly its jobs and moves none, a run moves
 * exactly them, at most `maxJobs`, in paced batches whose boundaries BullMQ's own events record.
 */
import { Job, Queue, Worker } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import Redis from 'ioredis';
import { bullmqDeleteExecutor } from '../../../../src/queues/drivers/bullmq/delete';
import { bullmqRetryExecutor } from '../../../../src/queues/drivers/bullmq/retry';
import { bullmqProbe } from '../../../../src/queues/drivers/bullmq/probe';
import type { CommandExecutor, ExecutionTarget } from '../../../../src/commands/executor';
import type { FailureGroupView } from '../../../../src/schema';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
  uniqueName,
} from '../../../../../testing/redis';
import { MESSAGES, failAs } from '../../failures/app-errors';
import type { Kind } from '../../failures/app-errors';

const prefix = '{bull}';
/** Jobs failed per kind. */
const MIX: Record<Kind, number> = { charge: 7, lookup: 5, sync: 3 };

describeWithRedis('bullmq bulk commands by failure group (real BullMQ)', () => {
  let url: string;
  let connection: ConnectionOptions;
  let redis: Redis;
  const queues: Queue[] = [];

  /** A queue whose 15 jobs a worker failed as their names say; the worker is closed after. */
  async function failedQueue(): Promise<Queue> {
    const name = uniqueName('orders');
    const queue = new Queue(name, { connection, prefix });
    queues.push(queue);
    const worker = new Worker(name, (job) => failAs(job.name, (job.data as { n: number }).n), {
      connection,
      prefix,
      concurrency: 20,
    });
    try {
      const jobs = (Object.keys(MIX) as Kind[]).flatMap((kind) =>
        Array.from({ length: MIX[kind] }, (_, n) => ({ name: kind, data: { n } })),
      );
      await queue.addBulk(jobs);
      await eventually(
        async () => ((await queue.getFailedCount()) === 15 ? true : undefined),
        30_000,
        '15 failed jobs',
      );
    } finally {
      await worker.close();
    }
    return queue;
  }

  /** The probe's group of `kind`: its key is what the page sends as the fingerprint. */
  async function groupOf(queue: Queue, kind: Kind): Promise<FailureGroupView> {
    const reading = await bullmqProbe
      .create(queue.name, { prefix })
      .read({ redis, nowMs: Date.now() });
    const group = reading.failureGroups?.groups.find((g) => g.message === MESSAGES[kind]);
    if (!group) throw new Error(`no group for ${kind}`);
    return group;
  }

  const run = (executor: CommandExecutor, queue: Queue, target: Partial<ExecutionTarget>) =>
    executor.execute(
      { redis, options: { prefix } },
      { queue: queue.name, scope: 'all-failed', maxJobs: 1000, batchPauseMs: 0, ...target },
    );

  /** Each job's state, by its name (its kind). */
  async function statesByKind(queue: Queue): Promise<Record<string, Record<string, number>>> {
    const jobs = await queue.getJobs(['failed', 'waiting']);
    const states: Record<string, Record<string, number>> = Object.create(null);
    for (const job of jobs) {
      const state = await job.getState();
      states[job.name] ??= Object.create(null);
      states[job.name]![state] = (states[job.name]![state] ?? 0) + 1;
    }
    return { ...states };
  }

  beforeAll(async () => {
    url = await claimDatabase();
    connection = bullmqConnection(url);
    redis = new Redis(url);
  });

  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await redis?.quit();
  });

  it('groups the three errors, and a dry run of the middle group counts exactly its 5 jobs and moves none', async () => {
    const queue = await failedQueue();
    const reading = await bullmqProbe
      .create(queue.name, { prefix })
      .read({ redis, nowMs: Date.now() });
    expect(reading.failureGroups?.groups.map((g) => [g.message, g.count])).toEqual([
      [MESSAGES.charge, 7],
      [MESSAGES.lookup, 5],
      [MESSAGES.sync, 3],
    ]);
    const lookup = await groupOf(queue, 'lookup');

    const outcome = await run(bullmqRetryExecutor, queue, {
      fingerprint: lookup.key,
      dryRun: true,
    });

    expect(outcome).toMatchObject({
      affected: 0,
      preview: { matched: 5, scanned: 15, complete: true },
    });
    expect(outcome.skipped).toBeUndefined();
    const failed = await queue.getFailed(0, -1);
    const newestLookups = failed.filter((j) => j.name === 'lookup').map((j) => j.id);
    expect(outcome.preview?.sample.map((s) => s.id)).toEqual(newestLookups);
    expect(outcome.preview?.sample.every((s) => s.name === 'lookup' && s.reason)).toBe(true);
    expect(await queue.getFailedCount()).toBe(15);
  });

  it('retries exactly the jobs of one group; the other groups stay failed', async () => {
    const queue = await failedQueue();
    const lookup = await groupOf(queue, 'lookup');

    const outcome = await run(bullmqRetryExecutor, queue, { fingerprint: lookup.key });

    expect(outcome).toMatchObject({ affected: 5, preview: { matched: 5, complete: true } });
    expect(outcome.skipped).toBeUndefined();
    expect(await statesByKind(queue)).toEqual({
      charge: { failed: 7 },
      lookup: { waiting: 5 },
      sync: { failed: 3 },
    });
  });

  it('deletes exactly the jobs of one group', async () => {
    const queue = await failedQueue();
    const sync = await groupOf(queue, 'sync');

    await expect(
      run(bullmqDeleteExecutor, queue, { fingerprint: sync.key }),
    ).resolves.toMatchObject({ affected: 3 });
    expect(await statesByKind(queue)).toEqual({ charge: { failed: 7 }, lookup: { failed: 5 } });
  });

  it('moves at most maxJobs, the newest, and reports the rest as skipped over maxJobsPerCommand', async () => {
    const queue = await failedQueue();
    const lookup = await groupOf(queue, 'lookup');
    const newest = (await queue.getFailed(0, -1)).filter((j) => j.name === 'lookup');

    const outcome = await run(bullmqRetryExecutor, queue, { fingerprint: lookup.key, maxJobs: 3 });

    expect(outcome).toMatchObject({
      affected: 3,
      skipped: [{ reason: 'over maxJobsPerCommand', count: 2 }],
      preview: { matched: 5 },
    });
    const states = await Promise.all(newest.map((j) => j.getState()));
    expect(states).toEqual(['waiting', 'waiting', 'waiting', 'failed', 'failed']);
  });

  it('a dry run over the cap says so too, and a scan bound leaves the preview incomplete', async () => {
    const queue = await failedQueue();
    const charge = await groupOf(queue, 'charge');
    const capped = await run(bullmqRetryExecutor, queue, {
      fingerprint: charge.key,
      dryRun: true,
      maxJobs: 4,
    });
    expect(capped).toMatchObject({
      affected: 0,
      skipped: [{ reason: 'over maxJobsPerCommand', count: 3 }],
      preview: { matched: 7, complete: true },
    });
    const failed = await queue.getFailed(0, 5);
    const bounded = await run(bullmqRetryExecutor, queue, {
      fingerprint: charge.key,
      dryRun: true,
      maxScan: 6,
    });
    expect(bounded.preview).toMatchObject({
      matched: failed.filter((j) => j.name === 'charge').length,
      scanned: 6,
      complete: false,
    });
  });

  it('a dry run without a fingerprint counts every failed job and changes nothing', async () => {
    const queue = await failedQueue();
    const outcome = await run(bullmqDeleteExecutor, queue, { dryRun: true, maxJobs: 10 });
    expect(outcome).toMatchObject({
      affected: 0,
      skipped: [{ reason: 'over maxJobsPerCommand', count: 5 }],
      preview: { matched: 15, scanned: 15, complete: true },
    });
    expect(outcome.preview?.sample).toHaveLength(10);
    expect(await queue.getFailedCount()).toBe(15);
  });

  // A pause long enough that two moves of one batch (a round trip each) stay closer together
  // than it on a busy machine.
  it('paces the moves: batches of 2 with 1000 ms between them, as BullMQ stamps its events', async () => {
    const queue = await failedQueue();
    const lookup = await groupOf(queue, 'lookup');
    const events = `${prefix}:${queue.name}:events`;
    const before = await redis.xrevrange(events, '+', '-', 'COUNT', 1);
    const from = before[0]?.[0] ?? '0';

    await expect(
      run(bullmqRetryExecutor, queue, {
        fingerprint: lookup.key,
        jobsPerBatch: 2,
        batchPauseMs: 1000,
      }),
    ).resolves.toMatchObject({ affected: 5 });

    // Each `waiting` event from `failed` is one move; its stream id starts with Redis's clock.
    const moves = (await redis.xrange(events, `(${from}`, '+'))
      .filter(
        ([, fields]) => fields.join(' ').includes('event waiting') && fields.includes('failed'),
      )
      .map(([id]) => Number(id.split('-')[0]));
    expect(moves).toHaveLength(5);
    const gaps = moves.slice(1).map((at, i) => at - moves[i]!);
    // Moves 2→3 and 4→5 cross a batch boundary; the others are in one batch.
    expect(gaps[1]).toBeGreaterThanOrEqual(1000);
    expect(gaps[3]).toBeGreaterThanOrEqual(1000);
    expect(moves[4]! - moves[0]!).toBeGreaterThanOrEqual(2000);
    expect(Math.max(gaps[0]!, gaps[2]!)).toBeLessThan(1000);
  }, 30_000);

  it('skips a job that left the failed jobs after the selection, and moves the others', async () => {
    const queue = await failedQueue();
    const lookup = await groupOf(queue, 'lookup');
    const [first, second] = (await queue.getFailed(0, -1)).filter((j) => j.name === 'lookup');
    // Between the first batch and the second, someone else retries a selected job: a pause
    // long enough for this test to do so on a busy machine.
    const pausing = run(bullmqRetryExecutor, queue, {
      fingerprint: lookup.key,
      jobsPerBatch: 1,
      batchPauseMs: 1500,
    });
    await eventually(async () => ((await first!.getState()) === 'waiting' ? true : undefined));
    const other = await Job.fromId(queue, second!.id!);
    await other?.retry('failed');

    const outcome = await pausing;
    expect(outcome).toMatchObject({
      affected: 4,
      skipped: [{ reason: 'no longer failed', count: 1 }],
    });
    expect(await statesByKind(queue)).toMatchObject({ lookup: { waiting: 5 } });
  }, 30_000);
});
