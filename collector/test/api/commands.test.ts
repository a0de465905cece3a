import type Redis from 'ioredis';
import { verifyCommand } from '@gravito/quasar';
import { QuasarKeys, parseCommand } from '@gravito/quasar/schema';
import type { QuasarCommand } from '@gravito/quasar/schema';
import {
  claimDatabase,
  describeWithRedis,
  eventually,
  connectedSubscriber,
} from '../../../testing/redis';
import {
  API_TOKEN,
  COMMAND_TOKEN,
  WRITE_TOKEN,
  commands,
  read,
  retry,
  startApi,
  write,
} from './command-fixture';
import type { CommandApi } from './command-fixture';

describeWithRedis('POST /api/pulse/command', () => {
  let api: CommandApi;
  let agent: Redis;
  const received: Array<{ channel: string; command: QuasarCommand }> = [];

  beforeAll(async () => {
    const url = await claimDatabase();
    api = await startApi(url, { apiWriteToken: WRITE_TOKEN, commands: commands() });
    // A subscriber standing in for the agent: it listens where a real agent would.
    agent = await connectedSubscriber(url);
    await agent.subscribe(
      QuasarKeys.commandChannel('billing', 'node-1'),
      QuasarKeys.broadcastChannel('billing'),
    );
    agent.on('message', (channel: string, text: string) => {
      const parsed = parseCommand(text);
      if (parsed.ok) received.push({ channel, command: parsed.value });
    });
  });

  beforeEach(() => {
    received.length = 0;
  });

  afterAll(async () => {
    agent?.disconnect();
    await api?.close();
  });

  const auditedJobIds = async () =>
    (await api.redis.xrange(QuasarKeys.audit, '-', '+')).map(([, fields]) => {
      const at = fields.indexOf('jobId');
      return at >= 0 ? fields[at + 1] : undefined;
    });

  it('delivers a signed command to the node channel and answers 202 with its id', async () => {
    const res = await api.post({ ...retry, jobKey: 'job-42' });
    expect(res.statusCode).toBe(202);
    const body = res.json<{ success: boolean; commandId: string; message: string }>();
    expect(body).toMatchObject({ success: true, commandId: expect.any(String) });
    const { channel, command } = await eventually(() => received[0], 10_000, 'the command');
    expect(channel).toBe(QuasarKeys.commandChannel('billing', 'node-1'));
    expect(command).toMatchObject({
      id: body.commandId,
      type: 'RETRY_JOB',
      targetNodeId: 'node-1',
      payload: { queue: 'emails', jobKey: 'job-42', jobId: 'job-42', driver: 'redis' },
      scope: 'job',
      issuer: 'quasar-collector',
    });
    expect(command.expiresAt).toBe(command.timestamp + 60_000);
    expect(verifyCommand(command, COMMAND_TOKEN)).toBe(true);
    expect(verifyCommand(command, 'another-secret')).toBe(false);
  });

  it('sends a service-wide all-failed command on the broadcast channel', async () => {
    const res = await api.post({ ...retry, nodeId: '*', type: 'DELETE_JOB', jobKey: '*' });
    expect(res.statusCode).toBe(202);
    const { channel, command } = await eventually(() => received[0], 10_000, 'the command');
    expect(channel).toBe(QuasarKeys.broadcastChannel('billing'));
    expect(command).toMatchObject({
      targetNodeId: '*',
      scope: 'all-failed',
      payload: { jobKey: '*' },
    });
    expect(command.payload.jobId).toBeUndefined();
  });

  it.each([
    [{ ...retry, service: undefined, jobKey: 'j' }, 'service: missing'],
    [{ ...retry, queue: '', jobKey: 'j' }, 'queue: expected a non-empty string'],
    [{ ...retry }, 'jobKey: missing'],
    [
      { ...retry, type: 'LARAVEL_ACTION', jobKey: 'j' },
      'type: expected one of RETRY_JOB, DELETE_JOB, INSPECT_JOB, PAUSE_QUEUE, RESUME_QUEUE, PROMOTE_JOB',
    ],
    [
      { ...retry, jobKey: 'j', scope: 'everything' },
      'scope: expected job or all-failed or all-delayed or queue',
    ],
    [{ ...retry, scope: 'all-failed', jobId: 'j' }, 'jobId: not allowed with scope "all-failed"'],
    [[retry], 'body: expected a JSON object'],
  ])('rejects an invalid body with 400 and the field at fault (%#)', async (body, message) => {
    const res = await api.post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      success: false,
      error: { code: 'QUASAR_INVALID_COMMAND', message },
    });
  });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await api.post('{"service":');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'QUASAR_BAD_REQUEST' } });
  });

  it('refuses a body over 16 KiB with 400, even when its fields are valid', async () => {
    const res = await api.post({ ...retry, jobKey: 'padded', padding: 'x'.repeat(20_000) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'QUASAR_BAD_REQUEST' } });
    expect(await auditedJobIds()).not.toContain('padded');
  });

  it('refuses a 10 MB job id with 400 and stores nothing of it', async () => {
    const huge = 'j'.repeat(10 * 1024 * 1024);
    const before = await api.redis.xlen(QuasarKeys.audit);
    const res = await api.post({ ...retry, jobId: huge, scope: 'job' });
    expect(res.statusCode).toBe(400);
    expect(await api.redis.xlen(QuasarKeys.audit)).toBe(before);
    expect(api.log.join('\n')).not.toContain('j'.repeat(1000));
  });

  it.each([
    ['a job id over 512 characters', { jobId: 'j'.repeat(513) }, 'jobId: longer than 512'],
    [
      'a service over 512 characters',
      { service: 's'.repeat(513), jobKey: 'j' },
      'service: longer than 512',
    ],
    [
      'a node id over 512 characters',
      { nodeId: 'n'.repeat(513), jobKey: 'j' },
      'nodeId: longer than 512',
    ],
    [
      'a queue over 512 characters',
      { queue: 'q'.repeat(513), jobKey: 'j' },
      'queue: longer than 512',
    ],
    ['a job key over 512 characters', { jobKey: 'k'.repeat(513) }, 'jobKey: longer than 512'],
    [
      'a service with a line break',
      { service: 'billing\nforged', jobKey: 'j' },
      'service: control characters are not allowed',
    ],
    ['a job id with a NUL', { jobId: 'j\u0000' }, 'jobId: control characters are not allowed'],
  ])('refuses %s with 400, and audits nothing', async (_what, fields, message) => {
    const before = await api.redis.xlen(QuasarKeys.audit);
    const res = await api.post({ ...retry, ...fields });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      success: false,
      error: { code: 'QUASAR_INVALID_COMMAND', message },
    });
    expect(await api.redis.xlen(QuasarKeys.audit)).toBe(before);
  });

  it('refuses a query string on the command route', async () => {
    const res = await api.post({ ...retry, jobKey: 'j' }, write, '/api/pulse/command?service=x');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'QUASAR_BAD_REQUEST' } });
  });

  it('answers 409 when no agent listens, and records the command as rejected', async () => {
    const res = await api.post({ ...retry, nodeId: 'node-gone', jobKey: 'j' });
    expect(res.statusCode).toBe(409);
    const body = res.json<{ commandId: string; error: { message: string } }>();
    expect(body).toMatchObject({ success: false, error: { code: 'QUASAR_NO_SUBSCRIBER' } });
    expect(body.error.message).toBe(
      `no agent is listening on ${QuasarKeys.commandChannel('billing', 'node-gone')}`,
    );
    const status = await api.get(`/api/pulse/commands/${body.commandId}`);
    expect(status.json()).toMatchObject({
      status: 'rejected',
      result: {
        status: 'rejected',
        reason: 'no agent subscribed to the command channel',
        affected: 0,
      },
    });
  });

  it('writes the audit entry before publishing, and sends nothing when the audit fails', async () => {
    const res = await api.post({ ...retry, jobKey: 'audited' });
    const { commandId } = res.json<{ commandId: string }>();
    const [entry] = await api.redis.xrevrange(QuasarKeys.audit, '+', '-', 'COUNT', 1);
    expect(entry?.[1]).toEqual(expect.arrayContaining(['id', commandId]));
    // Its delivery reaches the subscriber on a connection of its own: in before the slate is
    // wiped, so only what the refusal below might send can follow.
    await eventually(
      () => received.find((r) => r.command.id === commandId),
      10_000,
      'the audited command',
    );

    await api.redis.del(QuasarKeys.audit);
    await api.redis.set(QuasarKeys.audit, 'not a stream');
    try {
      received.length = 0;
      const refused = await api.post({ ...retry, jobKey: 'unaudited' });
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toMatchObject({
        success: false,
        error: { code: 'QUASAR_AUDIT_UNAVAILABLE' },
      });
      // A marker published after the refusal arrives after anything the refusal might have sent.
      const marker = {
        id: 'marker',
        type: 'MARKER',
        targetNodeId: 'node-1',
        timestamp: 1,
        issuer: 'test',
        payload: { queue: 'q', jobKey: 'j', driver: 'redis' },
      };
      await api.redis.publish(
        QuasarKeys.commandChannel('billing', 'node-1'),
        JSON.stringify(marker),
      );
      await eventually(() => received.find((r) => r.command.id === 'marker'), 10_000, 'the marker');
      expect(received.map((r) => r.command.id)).toEqual(['marker']);
    } finally {
      await api.redis.del(QuasarKeys.audit);
    }
  });

  it('lets only the write token issue commands, while reads accept either token', async () => {
    const refused = await api.post({ ...retry, jobKey: 'j' }, read);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({
      error: {
        code: 'QUASAR_WRITE_TOKEN_REQUIRED',
        message: 'this route needs the write token (QUASAR_API_WRITE_TOKEN)',
      },
    });
    expect((await api.post({ ...retry, jobKey: 'j' }, {})).statusCode).toBe(401);
    expect((await api.post({ ...retry, jobKey: 'j' }, write)).statusCode).toBe(202);
    expect((await api.get('/api/pulse/audit', read)).statusCode).toBe(200);
    expect((await api.get('/api/pulse/audit', write)).statusCode).toBe(200);
  });

  it('never logs a token or the signing secret', async () => {
    await api.post({ ...retry, jobKey: 'logged' });
    await api.post({ ...retry, jobKey: 'logged' }, read);
    await api.post({ ...retry, nodeId: 'node-gone', jobKey: 'logged' });
    expect(api.log.join('\n')).toContain('command issued');
    for (const secret of [API_TOKEN, WRITE_TOKEN, COMMAND_TOKEN]) {
      expect(api.log.join('\n')).not.toContain(secret);
    }
  });
});

describeWithRedis('POST /api/pulse/command without QUASAR_TOKEN', () => {
  it('refuses to issue commands unless unsigned commands were allowed', async () => {
    const url = await claimDatabase();
    const off = await startApi(url, { commands: commands({ token: undefined }) });
    const unsigned = await startApi(url, {
      commands: commands({ token: undefined, allowUnsigned: true }),
    });
    const agent = await connectedSubscriber(url);
    try {
      const res = await off.post({ ...retry, jobKey: 'j' }, read);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        success: false,
        error: { code: 'QUASAR_COMMANDS_DISABLED' },
      });
      const got: string[] = [];
      await agent.subscribe(QuasarKeys.commandChannel('billing', 'node-1'));
      agent.on('message', (_channel: string, text: string) => got.push(text));
      expect((await unsigned.post({ ...retry, jobKey: 'j' }, read)).statusCode).toBe(202);
      const text = await eventually(() => got[0], 10_000, 'the command');
      expect(JSON.parse(text)).not.toHaveProperty('sig');
    } finally {
      agent.disconnect();
      await Promise.all([off.close(), unsigned.close()]);
    }
  });
});

describeWithRedis('GET /api/pulse/commands/:id and /api/pulse/audit', () => {
  let api: CommandApi;
  let agent: Redis;
  let url: string;

  beforeAll(async () => {
    url = await claimDatabase();
    // A long deadline, so `pending` holds however slow the machine; the expiry test has its own.
    api = await startApi(url, { commands: commands({ resultTimeoutMs: 60_000 }) });
    // A subscriber standing in for the agent, so that commands are delivered.
    agent = await connectedSubscriber(url);
    await agent.subscribe(QuasarKeys.commandChannel('billing', 'node-1'));
  });

  afterAll(async () => {
    agent?.disconnect();
    await api?.close();
  });

  const issue = async (jobKey: string, headers: Record<string, string> = read) => {
    const res = await api.post({ ...retry, jobKey }, headers);
    expect(res.statusCode).toBe(202);
    return res.json<{ commandId: string }>().commandId;
  };
  const statusOf = async (id: string) => (await api.get(`/api/pulse/commands/${id}`)).json();

  it('reads pending, then the result the agent wrote', async () => {
    const id = await issue('job-1');
    expect(await statusOf(id)).toMatchObject({ commandId: id, status: 'pending' });
    const result = {
      commandId: id,
      status: 'succeeded',
      affected: 1,
      nodeId: 'node-1',
      finishedAt: Date.now(),
    };
    await api.redis.set(QuasarKeys.commandResult(id), JSON.stringify(result), 'EX', 3600);
    expect(await statusOf(id)).toMatchObject({ status: 'succeeded', result });
  });

  it('reads expired once the result deadline passed without a result', async () => {
    const shortLived = await startApi(url, { commands: commands({ resultTimeoutMs: 1000 }) });
    try {
      const res = await shortLived.post({ ...retry, jobKey: 'job-2' }, read);
      expect(res.statusCode).toBe(202);
      const id = res.json<{ commandId: string }>().commandId;
      await eventually(
        async () =>
          (await shortLived.get(`/api/pulse/commands/${id}`)).json().status === 'expired'
            ? true
            : undefined,
        15_000,
        'the command to expire',
      );
    } finally {
      await shortLived.close();
    }
  });

  it('answers 404 for a command it never issued', async () => {
    const res = await api.get('/api/pulse/commands/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'QUASAR_COMMAND_UNKNOWN' } });
  });

  it('lists who did what, newest first, with each outcome', async () => {
    const first = await issue('job-3', { ...read, 'x-grafana-user': 'alice' });
    const second = await issue('job-4', {
      ...read,
      'x-grafana-context': JSON.stringify({ user: { login: 'bob' } }),
    });
    const failed = {
      commandId: first,
      status: 'failed',
      reason: 'boom',
      affected: 0,
      nodeId: 'node-1',
      finishedAt: 1,
    };
    await api.redis.set(QuasarKeys.commandResult(first), JSON.stringify(failed));
    const res = await api.get('/api/pulse/audit?limit=2');
    const { entries } = res.json<{ entries: Array<Record<string, unknown>> }>();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      id: second,
      actor: 'bob',
      actorKind: 'grafana-user',
      credential: 'api-token',
      action: 'RETRY_JOB',
      service: 'billing',
      nodeId: 'node-1',
      queue: 'emails',
      scope: 'job',
      jobId: 'job-4',
      outcome: { status: 'pending' },
    });
    expect(entries[1]).toMatchObject({
      id: first,
      actor: 'alice',
      outcome: { status: 'failed', result: { reason: 'boom' } },
    });
  });

  it('audits a grouped dry run, and reads back what it skipped and its preview', async () => {
    const fingerprint = '0123456789abcdef';
    const res = await api.post(
      { ...retry, jobKey: '*', scope: 'all-failed', fingerprint, dryRun: true },
      read,
    );
    expect(res.statusCode).toBe(202);
    const id = res.json<{ commandId: string }>().commandId;
    const result = {
      commandId: id,
      status: 'succeeded',
      affected: 0,
      nodeId: 'node-1',
      finishedAt: Date.now(),
      skipped: [{ reason: 'over maxJobsPerCommand', count: 2 }],
      preview: {
        matched: 5,
        scanned: 15,
        complete: true,
        sample: [{ id: '9', name: 'lookup', failedAt: 1, reason: 'User not found' }],
      },
    };
    await api.redis.set(QuasarKeys.commandResult(id), JSON.stringify(result), 'EX', 3600);
    expect(await statusOf(id)).toEqual({
      commandId: id,
      status: 'succeeded',
      result,
      deadline: expect.any(Number),
    });
    const { entries } = (await api.get('/api/pulse/audit?limit=1')).json<{
      entries: Array<Record<string, unknown>>;
    }>();
    expect(entries[0]).toMatchObject({ id, scope: 'all-failed', fingerprint, dryRun: true });
    const plain = await issue('job-5');
    const [latest] = (await api.get('/api/pulse/audit?limit=1')).json<{
      entries: Array<Record<string, unknown>>;
    }>().entries;
    expect(latest?.id).toBe(plain);
    expect(latest).not.toHaveProperty('fingerprint');
    expect(latest).not.toHaveProperty('dryRun');
  });

  it('rejects an audit limit out of range', async () => {
    expect((await api.get('/api/pulse/audit?limit=0')).statusCode).toBe(400);
    expect((await api.get('/api/pulse/audit?limit=1001')).statusCode).toBe(400);
  });
});
