/**
 * Pause, resume and promote end to end on the agent's side: a real agent subscribed on a real
 * Redis, signed commands PUBLISHed as the collector does, and a real BullMQ worker processing
 * the queue throughout, so a pause is shown by the jobs it stops taking.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import Redis from 'ioredis';
import { QuasarAgent } from '../../src';
import type { QuasarLogger } from '../../src';
import { signCommand } from '../../src/commands/signature';
import { bullmqProbe } from '../../src/queues/drivers/bullmq/probe';
import { QuasarKeys } from '../../src/schema';
import type { CommandResult, QuasarCommand } from '../../src/schema/command';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
} from '../../../testing/redis';

const TOKEN = 'queue-control-test-token';
const SERVICE = 'shop';
const QUEUE = 'payments';
const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };
/** How long jobs must stay waiting on a paused queue while its worker runs. */
const WINDOW_MS = 1500;

describeWithRedis('pause, resume and promote (real agent, real BullMQ worker)', () => {
  let url: string;
  let redis: Redis;
  let connection: ConnectionOptions;
  let queue: Queue;
  let worker: Worker;
  let agent: QuasarAgent;
  /** The ids the worker has processed, in order. */
  let processed: string[];

  const command = (type: string, jobKey = '*'): QuasarCommand => {
    const now = Date.now();
    return signCommand(
      {
        id: randomUUID(),
        type,
        targetNodeId: agent.getNodeId(),
        payload: { queue: QUEUE, jobKey, driver: 'bullmq' },
        timestamp: now,
        expiresAt: now + 60_000,
        issuer: 'quasar-collector',
      },
      TOKEN,
    );
  };

  /** Sends `c` on the node's channel and waits for its result. */
  async function run(c: QuasarCommand): Promise<CommandResult> {
    await redis.publish(QuasarKeys.commandChannel(SERVICE, agent.getNodeId()), JSON.stringify(c));
    const raw = await eventually(
      async () => (await redis.get(QuasarKeys.commandResult(c.id))) ?? undefined,
      5000,
      `the result of ${c.type}`,
    );
    return JSON.parse(raw) as CommandResult;
  }

  const probe = () => bullmqProbe.create(QUEUE, {}).read({ redis, nowMs: Date.now() });

  /** Polls for `ms` and fails as soon as the worker processes any of `ids`. */
  async function staysUnprocessed(ids: string[], ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      expect(processed.filter((id) => ids.includes(id))).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
    connection = bullmqConnection(url);
    processed = [];
    queue = new Queue(QUEUE, { connection });
    worker = new Worker(
      QUEUE,
      (job) => {
        processed.push(job.id as string);
        return Promise.resolve();
      },
      { connection },
    );
    agent = new QuasarAgent({
      service: SERVICE,
      name: 'web-1',
      interval: 60_000,
      logger: silent,
      otel: { enabled: false },
      transport: { url },
    });
    agent.monitorQueue(QUEUE, 'bullmq');
    await agent.enableRemoteControl({
      queues: { [QUEUE]: ['pause', 'promote'] },
      token: TOKEN,
      maxJobsPerCommand: 3,
    });
    await agent.start();
  });

  afterEach(async () => {
    await agent.stop();
    await worker.close();
    await queue.close();
    await redis.quit();
  });

  it('stops a running worker taking jobs on PAUSE_QUEUE, and restarts it on RESUME_QUEUE', async () => {
    const before = await queue.add('charge', {});
    await eventually(() => (processed.includes(before.id!) ? true : undefined));

    const pause = command('PAUSE_QUEUE');
    expect(await run(pause)).toMatchObject({ status: 'succeeded', affected: 1 });
    expect((await probe()).paused).toBe(true);

    const added = await Promise.all([1, 2, 3].map(() => queue.add('charge', {})));
    const ids = added.map((j) => j.id!);
    await staysUnprocessed(ids, WINDOW_MS);
    expect(worker.isRunning()).toBe(true);
    expect(await queue.getJobCounts('wait', 'completed')).toEqual({ wait: 3, completed: 1 });

    expect(await run(command('RESUME_QUEUE'))).toMatchObject({ status: 'succeeded', affected: 1 });
    await eventually(() => (ids.every((id) => processed.includes(id)) ? true : undefined));
    expect((await probe()).paused).toBe(false);
    // The worker calls the processor before it moves the job to completed.
    const counts = await eventually(async () => {
      const c = await queue.getJobCounts('wait', 'completed');
      return c.completed === 4 ? c : undefined;
    });
    expect(counts).toEqual({ wait: 0, completed: 4 });
  });

  it('succeeds with none affected, and says why, on a queue already paused or not paused', async () => {
    expect(await run(command('RESUME_QUEUE'))).toMatchObject({
      status: 'succeeded',
      affected: 0,
      skipped: [{ reason: 'the queue was not paused', count: 1 }],
    });
    await run(command('PAUSE_QUEUE'));
    expect(await run(command('PAUSE_QUEUE'))).toMatchObject({
      status: 'succeeded',
      affected: 0,
      skipped: [{ reason: 'the queue was already paused', count: 1 }],
    });
    expect(await queue.isPaused()).toBe(true);
  });

  it('promotes delayed jobs (delay 1 h), at most maxJobsPerCommand, and the worker processes them', async () => {
    const hour = 3_600_000;
    const delayed = await Promise.all(
      [1, 2, 3, 4].map((n) => queue.add('report', {}, { delay: hour + n * 1000 })),
    );
    const ids = delayed.map((j) => j.id!);
    expect(await queue.getDelayedCount()).toBe(4);

    expect(await run(command('PROMOTE_JOB'))).toMatchObject({ status: 'succeeded', affected: 3 });
    // The three due soonest: BullMQ's own promoteJobs() order.
    await eventually(() =>
      ids.slice(0, 3).every((id) => processed.includes(id)) ? true : undefined,
    );
    expect(processed).not.toContain(ids[3]);
    expect(await queue.getDelayedCount()).toBe(1);

    expect(await run(command('PROMOTE_JOB', ids[3]))).toMatchObject({
      status: 'succeeded',
      affected: 1,
    });
    await eventually(() => (processed.includes(ids[3]!) ? true : undefined));
    // Processed, then moved to completed once the processor's promise settles.
    await eventually(async () =>
      (await queue.getJobState(ids[3]!)) === 'completed' ? true : undefined,
    );
    expect(await run(command('PROMOTE_JOB', ids[3]))).toMatchObject({
      status: 'rejected',
      reason: `job ${ids[3]} is not delayed (state: completed)`,
    });
  });

  it('previews a dry-run promotion without promoting, and refuses a dry-run pause', async () => {
    const hour = 3_600_000;
    const delayed = await Promise.all(
      [1, 2].map((n) => queue.add('report', {}, { delay: hour + n })),
    );
    const dry = (type: string) => {
      const c = command(type);
      return signCommand({ ...c, payload: { ...c.payload, dryRun: true } }, TOKEN);
    };
    expect(await run(dry('PROMOTE_JOB'))).toMatchObject({
      status: 'succeeded',
      affected: 0,
      preview: {
        matched: 2,
        scanned: 2,
        complete: true,
        sample: delayed.map((j) => ({ id: j.id })),
      },
    });
    expect(await queue.getDelayedCount()).toBe(2);
    expect(await run(dry('PAUSE_QUEUE'))).toMatchObject({
      status: 'rejected',
      // The listener refuses it before any executor: a dry run previews bulk scopes only.
      reason: 'payload.dryRun applies to scopes all-failed and all-delayed only',
    });
    expect(await queue.isPaused()).toBe(false);
  });

  it('returns the refusal of a system with no such operation: Horizon, plain Laravel', async () => {
    agent.monitorQueue('default', 'horizon');
    agent.monitorQueue('mail', 'laravel');
    await agent.enableRemoteControl({
      queues: { default: ['pause', 'promote'], mail: ['pause', 'promote'] },
      token: TOKEN,
    });
    const on = (queue: string, type: string, driver: string) => {
      const c = command(type);
      return signCommand({ ...c, payload: { ...c.payload, queue, driver } }, TOKEN);
    };
    expect(await run(on('default', 'PAUSE_QUEUE', 'horizon'))).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('Horizon pauses supervisors, not queues'),
    });
    expect(await run(on('mail', 'RESUME_QUEUE', 'laravel'))).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining("a Laravel queue's pause lives in the cache store"),
    });
    expect(await run(on('mail', 'PROMOTE_JOB', 'laravel'))).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('Laravel has no promotion'),
    });
    expect(await redis.keys('*paused*')).toEqual([]);
  });

  it('refuses a verb the queue does not allow', async () => {
    await agent.enableRemoteControl({ queues: { [QUEUE]: ['pause'] }, token: TOKEN });
    const result = await run(command('PROMOTE_JOB'));
    expect(result.status).toBe('rejected');
    expect(await queue.getDelayedCount()).toBe(0);
  });
});
