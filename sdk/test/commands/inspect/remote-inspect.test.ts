/**
 * `INSPECT_JOB` end to end on the agent's side: a real agent subscribed on a real Redis, a job
 * a real BullMQ worker failed, the command PUBLISHed as the collector does, and the result
 * stored sealed (signed mode) or in clear but redacted (unsigned mode) under its own key for five
 * minutes, beside a result that says `hasJob` and keeps the hour every result keeps.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions, Job } from 'bullmq';
import Redis from 'ioredis';
import { QuasarAgent } from '../../../src';
import type { QuasarLogger, RemoteControlOptions } from '../../../src';
import { signCommand } from '../../../src/commands/signature';
import { unsealJob } from '../../../src/commands/inspect/seal';
import {
  COMMAND_KEY_TTL_SECONDS,
  INSPECTED_JOB_TTL_SECONDS,
  QuasarKeys,
} from '../../../src/schema';
import type { CommandResult, QuasarCommand } from '../../../src/schema/command';
import { parseCommandResult } from '../../../src/schema/command-result';
import { isSealedJob } from '../../../src/schema/inspected-job';
import type { InspectedJob, SealedJob } from '../../../src/schema/inspected-job';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
} from '../../../../testing/redis';

const TOKEN = 'inspect-test-token';
const SERVICE = 'shop';

const SECRET_PAYLOAD = {
  user: { email: 'ada@example.com', password: 'hunter2-very-secret' },
  headers: { Authorization: 'Bearer abc-live-token' },
  card: { number: '4111111111111111' },
};

describeWithRedis('INSPECT_JOB through the listener (real Redis, real BullMQ)', () => {
  let url: string;
  let connection: ConnectionOptions;
  let redis: Redis;
  let logged: string[];
  const agents: QuasarAgent[] = [];
  const queues: Queue[] = [];

  const logger: QuasarLogger = {
    debug: (m: string) => logged.push(m),
    info: (m: string) => logged.push(m),
    warn: (m: string) => logged.push(m),
    error: (m: string) => logged.push(m),
  };

  /** A job of `queue` that a worker logged from and failed for good. */
  async function failedJob(queue: string, data: unknown): Promise<string> {
    const q = new Queue(queue, { connection, skipMetasUpdate: true });
    queues.push(q);
    const worker = new Worker(
      queue,
      async (job: Job) => {
        await job.log('charging with Authorization: Bearer abc-live-token');
        throw new Error('card declined');
      },
      { connection },
    );
    try {
      const job = await q.add('charge', data);
      await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
      return job.id as string;
    } finally {
      await worker.close();
    }
  }

  async function startAgent(remote: Partial<RemoteControlOptions>): Promise<QuasarAgent> {
    const agent = new QuasarAgent({
      service: SERVICE,
      name: 'web-1',
      interval: 60_000,
      logger,
      otel: { enabled: false },
      transport: { url },
    });
    agents.push(agent);
    agent.monitorQueue('emails', 'bullmq');
    agent.monitorQueue('charges', 'bullmq');
    agent.monitorQueue('legacy', 'redis');
    await agent.enableRemoteControl({
      queues: { emails: ['retry', 'inspect'], charges: ['inspect'], legacy: ['retry'] },
      token: TOKEN,
      ...remote,
    });
    await agent.start();
    return agent;
  }

  function inspectCommand(agent: QuasarAgent, queue: string, jobId: string): QuasarCommand {
    const now = Date.now();
    return {
      id: randomUUID(),
      type: 'INSPECT_JOB',
      targetNodeId: agent.getNodeId(),
      payload: { queue, jobKey: jobId, jobId, driver: 'bullmq' },
      timestamp: now,
      expiresAt: now + 60_000,
      issuer: 'quasar-collector',
    };
  }

  async function run(agent: QuasarAgent, command: QuasarCommand) {
    await redis.publish(
      QuasarKeys.commandChannel(SERVICE, agent.getNodeId()),
      JSON.stringify(command),
    );
    const stored = await eventually(
      async () => (await redis.get(QuasarKeys.commandResult(command.id))) ?? undefined,
      5000,
      `the result of ${command.id}`,
    );
    // Written before the result (in one MULTI here), so it is there once the result is.
    const storedJob = (await redis.get(QuasarKeys.commandJob(command.id))) ?? '';
    const result = JSON.parse(stored) as CommandResult;
    const job = storedJob === '' ? undefined : (JSON.parse(storedJob) as InspectedJob | SealedJob);
    return { stored, storedJob, result, job };
  }

  const opened = (sealed: SealedJob, commandId: string) =>
    JSON.parse(unsealJob(sealed, [TOKEN], commandId) ?? 'null') as InspectedJob;

  beforeEach(async () => {
    url = await claimDatabase();
    connection = bullmqConnection(url);
    redis = new Redis(url);
    logged = [];
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await Promise.all(queues.splice(0).map((q) => q.close()));
    await redis.quit();
  });

  it('returns the job sealed: no secret and no email in the stored result, all after unsealing', async () => {
    const id = await failedJob('charges', SECRET_PAYLOAD);
    const agent = await startAgent({});
    const command = signCommand(inspectCommand(agent, 'charges', id), TOKEN);
    const { stored, storedJob, result, job: sealed } = await run(agent, command);

    expect(result).toMatchObject({ status: 'succeeded', affected: 1, hasJob: true });
    expect(result).not.toHaveProperty('job');
    for (const clear of ['hunter2', 'ada@example.com', 'abc-live-token', '4111111111111111']) {
      const found = { stored: stored.includes(clear), storedJob: storedJob.includes(clear) };
      expect({ clear, ...found }).toEqual({ clear, stored: false, storedJob: false });
    }
    expect(isSealedJob(sealed)).toBe(true);
    const job = opened(sealed as SealedJob, command.id);
    expect(JSON.parse(job.data ?? '')).toEqual({
      user: { email: 'ada@example.com', password: '[REDACTED]' },
      headers: { Authorization: '[REDACTED]' },
      card: '[REDACTED]',
    });
    expect(job).toMatchObject({
      queue: 'charges',
      id,
      state: 'failed',
      attemptsMade: 1,
      failedReason: 'card declined',
      logs: ['charging with Authorization: Bearer [REDACTED]'],
    });
    expect(job.stacktrace?.[0]).toMatch(/^Error: card declined/);
    // Sealed for this command only.
    expect(unsealJob(sealed as SealedJob, [TOKEN], 'another-command')).toBeUndefined();
    // The payload lives five minutes; the outcome the hour every result keeps.
    const jobTtl = await redis.ttl(QuasarKeys.commandJob(command.id));
    expect(jobTtl).toBeGreaterThan(0);
    expect(jobTtl).toBeLessThanOrEqual(INSPECTED_JOB_TTL_SECONDS);
    expect(await redis.ttl(QuasarKeys.commandResult(command.id))).toBeGreaterThan(
      COMMAND_KEY_TTL_SECONDS - 60,
    );
    expect(logged.join('\n')).not.toMatch(/hunter2|ada@example|abc-live|4111/);
  });

  it('seals a capped 5 MB job into a result the collector parses whole', async () => {
    // The worker fails a small job; its stored data then grows to 5 MB (the executor's own test
    // has BullMQ fail a 5 MB job; here the size is what the result must survive).
    const id = await failedJob('charges', { password: 'p' });
    const big = JSON.stringify({ password: 'p', blob: 'x'.repeat(5 * 1024 * 1024) });
    await redis.hset(`bull:charges:${id}`, 'data', big);
    const agent = await startAgent({});
    const command = signCommand(inspectCommand(agent, 'charges', id), TOKEN);
    const { stored, storedJob } = await run(agent, command);
    const parsed = parseCommandResult(stored);
    expect(parsed.ok && parsed.warnings).toEqual([]);
    expect(parsed.ok && parsed.value.hasJob).toBe(true);
    // The sealed job, read back through the parser the collector uses, keeps every byte.
    const field = parseCommandResult({ ...JSON.parse(stored), job: JSON.parse(storedJob) });
    expect(field.ok && field.warnings).toEqual([]);
    const job = opened((field.ok ? field.value.job : undefined) as SealedJob, command.id);
    expect(job.truncated).toEqual(['data']);
    expect(job.data).toMatch(/^\{"password":"\[REDACTED\]","blob":"x+$/);
  });

  it('stores the job in clear, redacted, when the agent runs unsigned without a token', async () => {
    const id = await failedJob('charges', SECRET_PAYLOAD);
    const agent = await startAgent({ token: undefined, allowUnsigned: true });
    const { stored, storedJob, result, job } = await run(
      agent,
      inspectCommand(agent, 'charges', id),
    );
    expect(result).toMatchObject({ status: 'succeeded', hasJob: true });
    expect(isSealedJob(job)).toBe(false);
    expect((job as InspectedJob).id).toBe(id);
    expect(storedJob).toContain('ada@example.com');
    expect(storedJob).not.toContain('hunter2');
    expect(storedJob).not.toContain('abc-live-token');
    expect(stored).not.toContain('ada@example.com');
  });

  it("finds a job by exact id in the second of two queues with queue '*'", async () => {
    await failedJob('emails', { a: 1 });
    await failedJob('charges', { b: 2 });
    const id = await failedJob('charges', SECRET_PAYLOAD);
    expect(id).toBe('2');
    const agent = await startAgent({});
    const command = signCommand(inspectCommand(agent, '*', id), TOKEN);
    const { result, job: sealed } = await run(agent, command);
    expect(result.status).toBe('succeeded');
    const job = opened(sealed as SealedJob, command.id);
    expect(job).toMatchObject({ queue: 'charges', id: '2' });
    expect(JSON.parse(job.data ?? '')).toMatchObject({ user: { email: 'ada@example.com' } });
  });

  it('goes on past a queue whose Redis fails, and fails only when no queue has the job', async () => {
    const id = await failedJob('charges', { b: 2 });
    // A key of the wrong type where emails' job hash would be: HMGET there fails (WRONGTYPE).
    await redis.set(`bull:emails:${id}`, 'not a hash');
    const agent = await startAgent({});
    const found = signCommand(inspectCommand(agent, '*', id), TOKEN);
    const { result, job } = await run(agent, found);
    expect(result.status).toBe('succeeded');
    expect(opened(job as SealedJob, found.id)).toMatchObject({ queue: 'charges', id });
    await redis.set('bull:emails:9', 'not a hash');
    const missing = await run(agent, signCommand(inspectCommand(agent, '*', '9'), TOKEN));
    expect(missing.result).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/WRONGTYPE/),
    });
  });

  it("rejects '*' when no queue has the job, and a job missing from its queue", async () => {
    await failedJob('emails', { a: 1 });
    const agent = await startAgent({});
    const across = await run(agent, signCommand(inspectCommand(agent, '*', '77'), TOKEN));
    expect(across.result).toMatchObject({
      status: 'rejected',
      reason: 'job 77 not found in any queue with inspect enabled (emails, charges)',
    });
    const one = await run(agent, signCommand(inspectCommand(agent, 'emails', '77'), TOKEN));
    expect(one.result).toMatchObject({
      status: 'rejected',
      reason: 'job 77 not found in queue emails',
    });
  });

  it("rejects '*' where inspect is enabled nowhere, and inspect on a queue without it", async () => {
    const agent = await startAgent({ queues: { emails: ['retry'], legacy: ['retry'] } });
    const across = await run(agent, signCommand(inspectCommand(agent, '*', '1'), TOKEN));
    expect(across.result).toMatchObject({
      status: 'rejected',
      reason: 'inspect is not enabled on any monitored queue',
    });
    const one = await run(agent, signCommand(inspectCommand(agent, 'emails', '1'), TOKEN));
    expect(one.result).toMatchObject({
      status: 'rejected',
      reason: 'inspect is not enabled on queue emails',
    });
    const retryAll = signCommand({ ...inspectCommand(agent, '*', '1'), type: 'RETRY_JOB' }, TOKEN);
    expect((await run(agent, retryAll)).result).toMatchObject({
      status: 'rejected',
      reason: 'retry is not enabled on queue *',
    });
  });
});
