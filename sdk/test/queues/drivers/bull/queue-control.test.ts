/**
 * The bull `pause` and `promote` executors against a real (legacy) Bull processor that keeps
 * running: a global pause stops it taking jobs, a resume restarts it, and promoted delayed jobs
 * are processed.
 */
import { randomUUID } from 'node:crypto';
import Bull from 'bull';
import Redis from 'ioredis';
import { bullPauseExecutor } from '../../../../src/queues/drivers/bull/pause';
import { bullPromoteExecutor } from '../../../../src/queues/drivers/bull/promote';
import { bullProbe } from '../../../../src/queues/drivers/bull/probe';
import type { CommandExecutor, ExecutionTarget } from '../../../../src/commands/executor';
import { claimDatabase, describeWithRedis, eventually } from '../../../../../testing/redis';

describeWithRedis('bull pause and promote (real Bull processor)', () => {
  let url: string;
  let redis: Redis;
  let queue: Bull.Queue;
  let processor: Bull.Queue;
  let processed: string[];
  let name: string;

  const run = (executor: CommandExecutor, target: Partial<ExecutionTarget>) =>
    executor.execute(
      { redis, options: {} },
      { queue: name, scope: 'queue', maxJobs: 1000, ...target },
    );

  beforeEach(async () => {
    url = await claimDatabase();
    redis = new Redis(url);
    name = `q${randomUUID().slice(0, 8)}`;
    processed = [];
    queue = new Bull(name, url);
    processor = new Bull(name, url);
    processor
      .process((job) => {
        processed.push(String(job.id));
        return Promise.resolve();
      })
      .catch(() => undefined);
  });

  afterEach(async () => {
    await processor.close();
    await queue.close();
    await redis.quit();
  });

  it('stops the running processor taking jobs while paused, and restarts it on resume', async () => {
    const first = await queue.add({});
    await eventually(() => (processed.includes(String(first.id)) ? true : undefined));

    await expect(run(bullPauseExecutor, { type: 'PAUSE_QUEUE' })).resolves.toEqual({
      affected: 1,
    });
    expect(await queue.isPaused()).toBe(true);
    const probe = bullProbe.create(name, {});
    expect((await probe.read({ redis, nowMs: Date.now() })).paused).toBe(true);

    const added = await Promise.all([1, 2].map(() => queue.add({})));
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      expect(processed).toEqual([String(first.id)]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Bull's global pause renames `wait` to `paused`: new jobs wait there.
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 0, paused: 2, completed: 1 });

    await expect(run(bullPauseExecutor, { type: 'PAUSE_QUEUE' })).resolves.toEqual({
      affected: 0,
      skipped: [{ reason: 'the queue was already paused', count: 1 }],
    });
    await expect(run(bullPauseExecutor, { type: 'RESUME_QUEUE' })).resolves.toEqual({
      affected: 1,
    });
    const ids = added.map((j) => String(j.id));
    await eventually(() => (ids.every((id) => processed.includes(id)) ? true : undefined));
    expect((await probe.read({ redis, nowMs: Date.now() })).paused).toBe(false);
  });

  it('promotes delayed jobs (delay 1 h), soonest first and bounded, and they are processed', async () => {
    const hour = 3_600_000;
    const delayed: Bull.Job[] = [];
    for (const n of [1, 2, 3]) delayed.push(await queue.add({}, { delay: hour + n * 1000 }));
    const ids = delayed.map((j) => String(j.id));

    await expect(run(bullPromoteExecutor, { scope: 'all-delayed', maxJobs: 2 })).resolves.toEqual({
      affected: 2,
    });
    await eventually(() =>
      ids.slice(0, 2).every((id) => processed.includes(id)) ? true : undefined,
    );
    expect(await queue.getDelayedCount()).toBe(1);

    await expect(run(bullPromoteExecutor, { scope: 'job', jobId: ids[2] })).resolves.toEqual({
      affected: 1,
    });
    await eventually(() => (processed.includes(ids[2]!) ? true : undefined));
    // Processed, then moved to completed once the processor's promise settles.
    await eventually(async () =>
      (await (await queue.getJob(ids[2]!))?.getState()) === 'completed' ? true : undefined,
    );
    await expect(run(bullPromoteExecutor, { scope: 'job', jobId: ids[2] })).rejects.toThrow(
      `job ${ids[2]} is not delayed (state: completed)`,
    );
    await expect(run(bullPromoteExecutor, { scope: 'job', jobId: '999' })).rejects.toThrow(
      'job 999 not found',
    );
  });
});
