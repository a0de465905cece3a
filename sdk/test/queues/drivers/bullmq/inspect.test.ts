/**
 * The bullmq inspect executor against jobs a real BullMQ worker failed, logged and completed:
 * every field read from BullMQ's own layout, secrets redacted, a 5 MB payload capped, a job
 * too large to read left unread, and nothing written.
 */
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions, Job } from 'bullmq';
import Redis from 'ioredis';
import { bullmqInspectExecutor } from '../../../../src/queues/drivers/bullmq/inspect';
import { CommandRejectedError } from '../../../../src/commands/executor';
import { keyMatcher } from '../../../../src/commands/inspect/redact';
import { MAX_FIELD_READ_BYTES } from '../../../../src/commands/inspect/inspected-job';
import { MAX_INSPECTED_JOB_BYTES } from '../../../../src/schema/inspected-job';
import type { InspectedJob } from '../../../../src/schema/inspected-job';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
} from '../../../../../testing/redis';
import { auditRead } from '../../../support/read-only-audit';

/** A payload holding what must never leave the agent in clear, and what may. */
export const SECRET_PAYLOAD = {
  user: { email: 'ada@example.com', password: 'hunter2-very-secret' },
  headers: { Authorization: 'Bearer abc-live-token' },
  card: { number: '4111111111111111' },
};

describeWithRedis('bullmq inspect executor (real BullMQ)', () => {
  let url: string;
  let connection: ConnectionOptions;
  let redis: Redis;
  const queues: Queue[] = [];

  /** Adds `data` as job `charge`, lets a worker log twice and fail it (twice: attempts 2). */
  async function failedJob(name: string, data: unknown): Promise<string> {
    const queue = new Queue(name, { connection, skipMetasUpdate: true });
    queues.push(queue);
    const worker = new Worker(
      name,
      async (job: Job) => {
        await job.log(`attempt ${job.attemptsMade + 1} for ${job.id}`);
        await job.log('calling the gateway with Authorization: Bearer abc-live-token');
        throw new Error('card declined');
      },
      { connection },
    );
    try {
      const job = await queue.add('charge', data, { attempts: 2 });
      await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
      return job.id as string;
    } finally {
      await worker.close();
    }
  }

  const inspect = (queue: string, jobId: string) =>
    bullmqInspectExecutor
      .execute({ redis, options: {} }, { queue, scope: 'job', jobId, maxJobs: 1000 })
      .then((outcome) => ({ ...outcome, job: outcome.job as InspectedJob }));

  beforeAll(async () => {
    url = await claimDatabase();
    connection = bullmqConnection(url);
    redis = new Redis(url);
  });
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await redis?.quit();
  });

  it('reads a failed job whole, with its secrets redacted and its email intact', async () => {
    const id = await failedJob('charges', SECRET_PAYLOAD);
    const { affected, job } = await inspect('charges', id);
    expect(affected).toBe(1);
    expect(JSON.parse(job.data ?? '')).toEqual({
      user: { email: 'ada@example.com', password: '[REDACTED]' },
      headers: { Authorization: '[REDACTED]' },
      card: '[REDACTED]',
    });
    expect(job).toMatchObject({
      queue: 'charges',
      id,
      name: 'charge',
      state: 'failed',
      attemptsMade: 2,
      maxAttempts: 2,
      failedReason: 'card declined',
      truncated: [],
    });
    expect(JSON.parse(job.opts ?? '')).toMatchObject({ attempts: 2 });
    expect(job.stacktrace).toHaveLength(2);
    expect(job.stacktrace?.[1]).toMatch(/^Error: card declined\n\s+at /);
    expect(job.logs).toEqual([
      `attempt 1 for ${id}`,
      'calling the gateway with Authorization: Bearer [REDACTED]',
      `attempt 2 for ${id}`,
      'calling the gateway with Authorization: Bearer [REDACTED]',
    ]);
    // password, Authorization, card, and the token in two log lines.
    expect(job.redacted).toBe(5);
    const { createdAt, processedAt, finishedAt } = job.timestamps;
    expect(createdAt).toBeLessThanOrEqual(processedAt ?? 0);
    expect(processedAt).toBeLessThanOrEqual(finishedAt ?? 0);
    const text = JSON.stringify(job);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abc-live-token');
    expect(text).not.toContain('4111111111111111');
  });

  it('redacts the keys an operator adds', async () => {
    const id = await failedJob('extra-keys', { email: 'ada@example.com', dob: '1990-01-01' });
    const { job } = await bullmqInspectExecutor
      .execute(
        { redis, options: {}, redact: keyMatcher(['email']) },
        { queue: 'extra-keys', scope: 'job', jobId: id, maxJobs: 1 },
      )
      .then((o) => o as { job: InspectedJob });
    expect(JSON.parse(job.data ?? '')).toEqual({ email: '[REDACTED]', dob: '1990-01-01' });
  });

  it('caps a 5 MB payload and names data as cut, the rest whole', async () => {
    const big = { password: 'p', blob: 'x'.repeat(5 * 1024 * 1024) };
    const id = await failedJob('big', big);
    const started = performance.now();
    const { job } = await inspect('big', id);
    const ms = performance.now() - started;
    expect(Buffer.byteLength(JSON.stringify(job))).toBeLessThanOrEqual(MAX_INSPECTED_JOB_BYTES);
    expect(job.truncated).toEqual(['data']);
    expect(job.data?.startsWith('{"password":"[REDACTED]","blob":"xxx')).toBe(true);
    expect(job.logs).toHaveLength(4);
    expect(job.failedReason).toBe('card declined');
    expect(ms).toBeLessThan(1000);
    process.stdout.write(`inspect of a 5 MB BullMQ job: ${ms.toFixed(0)} ms\n`);
  });

  it('does not read a field over the read bound, and says so', async () => {
    const id = await failedJob('huge', { n: 1 });
    const hash = `bull:huge:${id}`;
    await redis.hset(hash, 'data', 'y'.repeat(MAX_FIELD_READ_BYTES + 1));
    const { job } = await inspect('huge', id);
    expect(job.data).toBe(`[not read: ${MAX_FIELD_READ_BYTES + 1} bytes]`);
    expect(job.truncated).toEqual(['data']);
  });

  it('reports waiting, delayed and completed jobs in their state', async () => {
    const queue = new Queue('states', { connection, skipMetasUpdate: true });
    queues.push(queue);
    const waiting = await queue.add('w', { a: 1 });
    const delayed = await queue.add('d', { a: 2 }, { delay: 60_000 });
    const worker = new Worker('states', () => Promise.resolve({ token: 't', ok: true }), {
      connection,
    });
    const done = await new Promise<string>((resolve) => {
      worker.on('completed', (job: Job) => resolve(job.id as string));
    });
    await worker.close();
    expect((await inspect('states', delayed.id as string)).job).toMatchObject({ state: 'delayed' });
    expect((await inspect('states', done)).job).toMatchObject({
      state: 'completed',
      returnValue: '{"token":"[REDACTED]","ok":true}',
    });
    expect(waiting.id).toBe(done);
    const fresh = await queue.add('w', { a: 3 });
    const read = (await inspect('states', fresh.id as string)).job;
    expect(read.state).toBe('waiting');
    expect(read.timestamps.delayUntil).toBeUndefined();
    const late = (await inspect('states', delayed.id as string)).job.timestamps;
    expect(late.delayUntil).toBe((late.createdAt ?? 0) + 60_000);
  });

  it('reads a hostile hash without failing: binary, __proto__, broken JSON, bad numbers', async () => {
    const hash = 'bull:hostile:h1';
    await redis.hset(hash, {
      name: 'x',
      data: '{"__proto__":{"password":"p","polluted":1},"b":"\\ud800"}',
      opts: '{not json token=abc',
      stacktrace: '"not an array"',
      timestamp: '-5',
      processedOn: 'NaN',
      atm: 'lots',
    });
    await redis.hset(
      Buffer.from(hash),
      Buffer.from('failedReason'),
      Buffer.from([0xff, 0xfe, 0x00, 0x41]),
    );
    const { job } = await inspect('hostile', 'h1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(job.data ?? '')).toEqual(
      JSON.parse('{"__proto__":{"password":"[REDACTED]","polluted":1},"b":"\\ud800"}'),
    );
    expect(job.data).toContain('"__proto__":{"password":"[REDACTED]","polluted":1}');
    expect(job.redacted).toBe(2);
    expect(job.opts).toBe('{not json token=[REDACTED]');
    expect(job.stacktrace).toEqual(['"not an array"']);
    expect(job.timestamps).toEqual({});
    expect(job.attemptsMade).toBeUndefined();
    expect(job.failedReason).toBe('\ufffd\ufffd\u0000A');
    expect(JSON.parse(JSON.stringify(job))).toEqual(job);
  });

  it('rejects a job that is not in the queue, and one of another queue', async () => {
    const id = await failedJob('mine', { a: 1 });
    await expect(inspect('mine', '999')).rejects.toThrow(
      new CommandRejectedError('job 999 not found in queue mine'),
    );
    await expect(inspect('theirs', id)).rejects.toThrow(
      new CommandRejectedError(`job ${id} not found in queue theirs`),
    );
  });

  it('writes nothing', async () => {
    const id = await failedJob('read-only', SECRET_PAYLOAD);
    const audit = await auditRead(redis, url, (reader) =>
      bullmqInspectExecutor.execute(
        { redis: reader, options: {} },
        { queue: 'read-only', scope: 'job', jobId: id, maxJobs: 1 },
      ),
    );
    expect(audit.after).toEqual(audit.before);
  });
});
