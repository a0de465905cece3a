/**
 * The `stream` `pause` and `promote` executors against a real Redis holding a Gravito Stream
 * queue. No Stream package is installed here, so the consumer is the layout's `workerPop()`,
 * which follows Stream's `RedisDriver.pop()` step by step (lanes in order, due delayed jobs,
 * the paused flag, `RPOP`).
 */
import Redis from 'ioredis';
import { streamPauseExecutor } from '../../../../src/queues/drivers/stream/pause';
import { streamPromoteExecutor } from '../../../../src/queues/drivers/stream/promote';
import { streamProbe } from '../../../../src/queues/drivers/stream/probe';
import type { ExecutionTarget } from '../../../../src/commands/executor';
import { claimDatabase, describeWithRedis } from '../../../../../testing/redis';
import { StreamQueue, streamJob } from '../../layouts/stream';

const target = (over: Partial<ExecutionTarget>): ExecutionTarget => ({
  queue: 'emails',
  scope: 'queue',
  maxJobs: 1000,
  ...over,
});

describeWithRedis('stream pause and promote (real Redis)', () => {
  let redis: Redis;
  let queue: StreamQueue;
  const run = (executor: typeof streamPauseExecutor, t: Partial<ExecutionTarget>) =>
    executor.execute({ redis, options: {} }, target(t));
  const probe = () => streamProbe.create('emails', {}).read({ redis, nowMs: Date.now() });
  const idOf = (raw: string | null) =>
    raw === null ? null : (JSON.parse(raw) as { id: string }).id;

  beforeEach(async () => {
    redis = new Redis(await claimDatabase());
    queue = new StreamQueue(redis, 'emails');
  });
  afterEach(() => redis.quit());

  it("sets every lane's paused flag as Stream does, the worker takes nothing, the probe reads it", async () => {
    const base = streamJob('SendEmail', {}, 1);
    const urgent = streamJob('SendEmail', {}, 2);
    await queue.push(base);
    await queue.push(urgent, 'high');

    await expect(run(streamPauseExecutor, { type: 'PAUSE_QUEUE' })).resolves.toEqual({
      affected: 1,
    });
    for (const lane of ['', ':critical', ':high', ':low']) {
      expect(await redis.get(`queue:emails${lane}:paused`)).toBe('1');
    }
    expect(await redis.ttl('queue:emails:paused')).toBe(-1);
    expect(await queue.workerPop()).toBeNull();
    expect(await probe()).toMatchObject({ paused: true, size: { waiting: 0, paused: 2 } });

    await expect(run(streamPauseExecutor, { type: 'PAUSE_QUEUE' })).resolves.toEqual({
      affected: 0,
      skipped: [{ reason: 'the queue was already paused', count: 1 }],
    });

    await expect(run(streamPauseExecutor, { type: 'RESUME_QUEUE' })).resolves.toEqual({
      affected: 1,
    });
    expect(await redis.exists('queue:emails:paused', 'queue:emails:high:paused')).toBe(0);
    expect(idOf(await queue.workerPop())).toBe(urgent.id);
    expect(idOf(await queue.workerPop())).toBe(base.id);
    expect(await probe()).toMatchObject({ paused: false });
    await expect(run(streamPauseExecutor, { type: 'RESUME_QUEUE' })).resolves.toEqual({
      affected: 0,
      skipped: [{ reason: 'the queue was not paused', count: 1 }],
    });
  });

  it('pauses a queue of which a dashboard paused only one lane', async () => {
    await queue.pause('low');
    await expect(run(streamPauseExecutor, { type: 'PAUSE_QUEUE' })).resolves.toEqual({
      affected: 1,
    });
    expect(await redis.get('queue:emails:paused')).toBe('1');
  });

  it('rejects a pause verb without a type', async () => {
    await expect(run(streamPauseExecutor, {})).rejects.toThrow('PAUSE_QUEUE or RESUME_QUEUE');
    expect(await redis.exists('queue:emails:paused')).toBe(0);
  });

  it('promotes delayed entries unchanged onto their lane, soonest first, bounded', async () => {
    const jobs = [1, 2, 3].map((n) => ({ ...streamJob('Report', {}, n), delaySeconds: 3600 + n }));
    for (const job of jobs) await queue.push(job);
    const high = { ...streamJob('Report', {}, 4), delaySeconds: 3600 };
    await queue.push(high, 'high');
    const rawOf = async (lane: string) => redis.zrange(`queue:emails${lane}:delayed`, 0, -1);
    const [firstRaw] = await rawOf('');
    expect(await queue.workerPop()).toBeNull();

    await expect(run(streamPromoteExecutor, { scope: 'all-delayed', maxJobs: 2 })).resolves.toEqual(
      { affected: 2 },
    );
    expect(await redis.lrange('queue:emails:high', 0, -1)).toHaveLength(1);
    expect(await redis.lrange('queue:emails', 0, -1)).toEqual([firstRaw]);
    expect(idOf(await queue.workerPop())).toBe(high.id);
    expect(idOf(await queue.workerPop())).toBe(jobs[0]!.id);

    await expect(run(streamPromoteExecutor, { scope: 'job', jobId: jobs[2]!.id })).resolves.toEqual(
      { affected: 1 },
    );
    expect(idOf(await queue.workerPop())).toBe(jobs[2]!.id);
    expect(await probe()).toMatchObject({ size: { delayed: 1 } });
    await expect(run(streamPromoteExecutor, { scope: 'job', jobId: jobs[2]!.id })).rejects.toThrow(
      `job ${jobs[2]!.id} is not among the delayed jobs`,
    );
    await expect(run(streamPromoteExecutor, { scope: 'all-delayed', maxJobs: 0 })).rejects.toThrow(
      'maxJobs must be at least 1 (0)',
    );
  });

  it('previews a dry run, promoting nothing, and never dry-runs a pause', async () => {
    const job = { ...streamJob('Report', {}, 1), delaySeconds: 3600 };
    await queue.push(job);
    await redis.zadd('queue:emails:delayed', Date.now() + 7_200_000, 'not json');
    await expect(
      run(streamPromoteExecutor, { scope: 'all-delayed', dryRun: true }),
    ).resolves.toEqual({
      affected: 0,
      preview: { matched: 2, scanned: 2, complete: true, sample: [{ id: job.id }] },
    });
    await expect(run(streamPauseExecutor, { type: 'PAUSE_QUEUE', dryRun: true })).rejects.toThrow(
      'a pause or resume has nothing to preview',
    );
    expect(await redis.zcard('queue:emails:delayed')).toBe(2);
    expect(await redis.exists('queue:emails', 'queue:emails:paused')).toBe(0);
  });

  it('skips an entry that is not JSON only where an id is needed', async () => {
    await redis.zadd('queue:emails:delayed', Date.now() + 3_600_000, 'not json');
    await expect(run(streamPromoteExecutor, { scope: 'job', jobId: 'x' })).rejects.toThrow(
      'job x is not among the delayed jobs',
    );
    await expect(run(streamPromoteExecutor, { scope: 'all-delayed' })).resolves.toEqual({
      affected: 1,
    });
    expect(await redis.lrange('queue:emails', 0, -1)).toEqual(['not json']);
  });
});
