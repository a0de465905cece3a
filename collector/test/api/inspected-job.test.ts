/**
 * `GET /api/pulse/commands/:id/job` over real HTTP on a real Redis: the job an `INSPECT_JOB`
 * returned, opened with the command token and shown only to the `inspect` scope; the status
 * route and the audit trail say only that there is a job, and neither the audit stream nor the
 * collector's log ever holds the payload. The agent's answer is written as an agent writes it,
 * sealed with the SDK's own `sealJob`.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { sealJob } from '@gravito/quasar';
import {
  COMMAND_KEY_TTL_SECONDS,
  INSPECTED_JOB_TTL_SECONDS,
  QuasarKeys,
} from '@gravito/quasar/schema';
import type { InspectedJob } from '@gravito/quasar/schema';
import type { ApiTokenSpec } from '../../src/auth/principal';
import type { Scope } from '../../src/auth/scopes';
import { claimDatabase, connectedSubscriber, describeWithRedis } from '../../../testing/redis';
import { COMMAND_TOKEN, commands, retry, startApi } from './command-fixture';
import type { CommandApi } from './command-fixture';

/** What the payload holds that must never reach the audit stream or a log line. */
const SECRET = 'payload-secret-7f3e9a1c';
const OLD_TOKEN = 'former-command-secret-0b77';

const token = (name: string, scopes: readonly Scope[]): ApiTokenSpec => ({
  name,
  scopes,
  secret: `${name}-secret-0123456789abcdef`,
});
const TOKENS = [
  token('reader', ['read']),
  token('retrier', ['retry']),
  token('inspector', ['read', 'inspect']),
  token('inspect-only', ['inspect']),
];
const as = (name: string) => ({ authorization: `Bearer ${name}-secret-0123456789abcdef` });

const INSPECT = { ...retry, type: 'INSPECT_JOB', jobId: 'job-42' };

const inspected = (over: Partial<InspectedJob> = {}): InspectedJob => ({
  queue: 'emails',
  id: 'job-42',
  name: 'welcome',
  state: 'failed',
  data: JSON.stringify({ to: 'a@example.test', note: SECRET, password: '[REDACTED]' }),
  attemptsMade: 3,
  timestamps: { createdAt: 1_700_000_000_000 },
  failedReason: 'SMTP 550',
  stacktrace: ['Error: SMTP 550'],
  redacted: 1,
  truncated: [],
  ...over,
});

describeWithRedis('GET /api/pulse/commands/:id/job', () => {
  let api: CommandApi;
  let agent: Redis;

  beforeAll(async () => {
    const url = await claimDatabase();
    api = await startApi(url, {
      apiTokens: TOKENS,
      commands: commands({ previousTokens: [OLD_TOKEN] }),
    });
    // Stands in for the agent's subscription, so the command is published (202).
    agent = await connectedSubscriber(url);
    await agent.subscribe(QuasarKeys.commandChannel('billing', 'node-1'));
  });

  afterAll(async () => {
    agent?.disconnect();
    await api?.close();
  });

  /** Command `commandId`'s result, with `over` in it. */
  const resultOf = (commandId: string, over: Record<string, unknown> = {}) => ({
    commandId,
    status: 'succeeded',
    affected: 1,
    nodeId: 'node-1',
    finishedAt: Date.now(),
    ...over,
  });

  /**
   * Writes command `commandId`'s answer as an agent does: `job` at its own key for five
   * minutes, and the result, saying `hasJob`, for the hour.
   */
  const answer = async (commandId: string, job?: unknown) => {
    if (job !== undefined) {
      await api.redis.set(
        QuasarKeys.commandJob(commandId),
        JSON.stringify(job),
        'EX',
        INSPECTED_JOB_TTL_SECONDS,
      );
    }
    const result = resultOf(commandId, job !== undefined ? { hasJob: true } : {});
    await api.redis.set(
      QuasarKeys.commandResult(commandId),
      JSON.stringify(result),
      'EX',
      COMMAND_KEY_TTL_SECONDS,
    );
  };

  /** Writes the answer as an agent of the first inspect release did: the job in the result. */
  const answerInResult = async (commandId: string, job: unknown) => {
    const result = resultOf(commandId, { job });
    await api.redis.set(QuasarKeys.commandResult(commandId), JSON.stringify(result), 'EX', 300);
  };

  const auditOutcome = async (commandId: string) => {
    const audit = await api.get('/api/pulse/audit', as('inspector'));
    return audit
      .json<{ entries: Array<Record<string, unknown>> }>()
      .entries.find((e) => e.id === commandId)?.outcome;
  };

  const issue = async (): Promise<string> => {
    const res = await api.post(INSPECT, as('inspector'));
    expect(res.statusCode).toBe(202);
    return res.json<{ commandId: string }>().commandId;
  };

  const jobOf = (commandId: string, who = 'inspector') =>
    api.get(`/api/pulse/commands/${commandId}/job`, as(who));

  it('opens a sealed job for the inspect scope; status, audit, stream and log never hold it', async () => {
    const commandId = await issue();
    const sealed = sealJob(JSON.stringify(inspected()), COMMAND_TOKEN, commandId);
    await answer(commandId, sealed);

    const res = await jobOf(commandId);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ commandId, job: inspected() });

    const status = await api.get(`/api/pulse/commands/${commandId}`, as('inspector'));
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ commandId, status: 'succeeded', hasJob: true });
    expect(status.json<{ result: object }>().result).not.toHaveProperty('job');
    const audit = await api.get('/api/pulse/audit', as('inspector'));
    const entry = audit
      .json<{ entries: Array<Record<string, unknown>> }>()
      .entries.find((e) => e.id === commandId);
    // Who, what and which job; the outcome says a job exists, never what it holds.
    expect(entry).toMatchObject({
      action: 'INSPECT_JOB',
      tokenName: 'inspector',
      service: 'billing',
      nodeId: 'node-1',
      queue: 'emails',
      jobId: 'job-42',
      outcome: { status: 'succeeded', hasJob: true },
    });
    const stream = JSON.stringify(await api.redis.xrange(QuasarKeys.audit, '-', '+'));
    for (const text of [status.body, audit.body, stream, api.log.join('')]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(sealed.data);
    }
    expect(api.log.join('')).toContain('inspected job read');
  });

  it('keeps the outcome succeeded once the job expired, and answers 404 for the job', async () => {
    const commandId = await issue();
    await answer(commandId, sealJob(JSON.stringify(inspected()), COMMAND_TOKEN, commandId));
    expect((await jobOf(commandId)).statusCode).toBe(200);
    // The job outlives nothing: its five minutes pass; the result keeps its hour.
    expect(await api.redis.ttl(QuasarKeys.commandJob(commandId))).toBeLessThanOrEqual(300);
    await api.redis.pexpire(QuasarKeys.commandJob(commandId), 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await api.redis.exists(QuasarKeys.commandJob(commandId))).toBe(0);

    const res = await jobOf(commandId);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'QUASAR_JOB_UNKNOWN' } });
    const status = await api.get(`/api/pulse/commands/${commandId}`, as('inspector'));
    expect(status.json()).toMatchObject({ commandId, status: 'succeeded', hasJob: true });
    expect(await auditOutcome(commandId)).toMatchObject({ status: 'succeeded', hasJob: true });
  });

  it('still opens a job an agent of the first inspect release left inside its result', async () => {
    const sealed = await issue();
    await answerInResult(sealed, sealJob(JSON.stringify(inspected()), COMMAND_TOKEN, sealed));
    const clear = await issue();
    await answerInResult(clear, inspected());
    for (const commandId of [sealed, clear]) {
      const res = await jobOf(commandId);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ commandId, job: inspected() });
      const status = await api.get(`/api/pulse/commands/${commandId}`, as('inspector'));
      expect(status.json()).toMatchObject({ status: 'succeeded', hasJob: true });
      expect(status.json<{ result: object }>().result).not.toHaveProperty('job');
      expect(await auditOutcome(commandId)).toMatchObject({ status: 'succeeded', hasJob: true });
    }
  });

  it('answers 404 for a job key that holds no job or too much', async () => {
    const junk = await issue();
    await api.redis.set(QuasarKeys.commandJob(junk), '[1,2]');
    await api.redis.set(QuasarKeys.commandResult(junk), JSON.stringify(resultOf(junk)));
    const huge = await issue();
    await api.redis.set(
      QuasarKeys.commandJob(huge),
      JSON.stringify({ ...inspected(), pad: 'x'.repeat(200_000) }),
    );
    for (const commandId of [junk, huge]) {
      expect((await jobOf(commandId)).statusCode).toBe(404);
    }
  });

  it('refuses the job to a token without inspect with 403 naming the scope', async () => {
    const commandId = await issue();
    await answer(commandId, sealJob(JSON.stringify(inspected()), COMMAND_TOKEN, commandId));
    for (const who of ['reader', 'retrier']) {
      const res = await jobOf(commandId, who);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        error: {
          code: 'QUASAR_MISSING_SCOPE',
          message: 'this token lacks the scope "inspect", which this route needs',
          scope: 'inspect',
        },
      });
      expect(res.body).not.toContain(SECRET);
    }
    // The inspect scope alone opens it; a retrier still follows the outcome of its commands.
    expect((await jobOf(commandId, 'inspect-only')).statusCode).toBe(200);
    const status = await api.get(`/api/pulse/commands/${commandId}`, as('retrier'));
    expect(status.statusCode).toBe(200);
  });

  it('opens a job sealed with a former token during a rotation', async () => {
    const commandId = await issue();
    await answer(commandId, sealJob(JSON.stringify(inspected()), OLD_TOKEN, commandId));
    const res = await jobOf(commandId);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ job: InspectedJob }>().job.id).toBe('job-42');
  });

  it('answers 409 QUASAR_JOB_SEALED for another token, another command, or a tampered envelope', async () => {
    const foreign = await issue();
    await answer(foreign, sealJob(JSON.stringify(inspected()), 'some-other-secret', foreign));
    const moved = await issue();
    // A sealed job copied from another command's result: the command id is its additional data.
    await answer(moved, sealJob(JSON.stringify(inspected()), COMMAND_TOKEN, foreign));
    const tampered = await issue();
    const envelope = sealJob(JSON.stringify(inspected()), COMMAND_TOKEN, tampered);
    const bytes = Buffer.from(envelope.data, 'base64');
    bytes[0] = (bytes[0] as number) ^ 1;
    await answer(tampered, { ...envelope, data: bytes.toString('base64') });
    for (const commandId of [foreign, moved, tampered]) {
      const res = await jobOf(commandId);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'QUASAR_JOB_SEALED' } });
    }
  });

  it('answers 404 QUASAR_JOB_UNKNOWN without a result, without a job, or for a result filed elsewhere', async () => {
    const pending = await issue();
    const retried = randomUUID();
    await answer(retried);
    const misfiled = randomUUID();
    await api.redis.set(
      QuasarKeys.commandResult(misfiled),
      JSON.stringify({
        commandId: randomUUID(),
        status: 'succeeded',
        affected: 1,
        nodeId: 'node-1',
        finishedAt: Date.now(),
        job: inspected(),
      }),
    );
    for (const commandId of [pending, retried, misfiled, 'never-issued']) {
      const res = await jobOf(commandId);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'QUASAR_JOB_UNKNOWN' } });
    }
  });

  it('validates what a sealed or clear job holds: a job in clear is rebuilt, a broken one is 502', async () => {
    const clear = await issue();
    const hostile = {
      ...inspected(),
      id: 'job-42',
      __proto__: { admin: true },
      html: '<script>alert(1)</script>',
      stacktrace: Array.from({ length: 500 }, (_, i) => `frame ${i}`),
    };
    await answer(clear, hostile);
    const res = await jobOf(clear);
    expect(res.statusCode).toBe(200);
    const { job } = res.json<{ job: InspectedJob & Record<string, unknown> }>();
    expect(job.html).toBeUndefined();
    expect(job.stacktrace).toHaveLength(100);

    const broken = await issue();
    await answer(broken, sealJob('[1,2,3]', COMMAND_TOKEN, broken));
    const bad = await jobOf(broken);
    expect(bad.statusCode).toBe(502);
    expect(bad.json()).toEqual({
      error: {
        code: 'QUASAR_JOB_INVALID',
        message:
          'the agent answered with an inspected job that does not validate: expected an object, got an array',
      },
    });
  });

  it('refuses an over-long or malformed command id before reading Redis', async () => {
    expect((await jobOf('x'.repeat(129))).statusCode).toBe(400);
    expect((await jobOf('a%20b')).statusCode).toBe(400);
  });
});
