/**
 * The per-verb command routes, `GET /api/pulse/me` and the request's own read-only header, over
 * real HTTP against the real server on a real Redis: each verb route takes its own command types
 * only, checks scopes as the generic route does, shares its rate limit, and a request that asks
 * to be read-only issues nothing.
 */
import type Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { ApiTokenSpec } from '../../src/auth/principal';
import { SCOPES } from '../../src/auth/scopes';
import type { Scope } from '../../src/auth/scopes';
import { claimDatabase, connectedSubscriber, describeWithRedis } from '../../../testing/redis';
import { COMMAND_PATH, WRITE_TOKEN, commands, retry, startApi, write } from './command-fixture';
import type { CommandApi } from './command-fixture';

const token = (name: string, scopes: readonly Scope[]): ApiTokenSpec => ({
  name,
  scopes,
  secret: `${name}-secret-0123456789abcdef`,
});

const TOKENS = [
  token('reader', ['read']),
  token('retrier', ['retry']),
  token('pauser', ['pause']),
  token('admin', SCOPES),
];

const as = (name: string) => ({ authorization: `Bearer ${name}-secret-0123456789abcdef` });

const RETRY = { ...retry, jobId: 'job-7' };
const DELETE = { ...retry, type: 'DELETE_JOB', jobId: 'job-7' };
const PAUSE = { ...retry, type: 'PAUSE_QUEUE', scope: 'queue' };
const PROMOTE = { ...retry, type: 'PROMOTE_JOB', scope: 'all-delayed' };
const INSPECT = { ...retry, type: 'INSPECT_JOB', jobId: 'job-7' };

const verbPath = (verb: string) => `${COMMAND_PATH}/${verb}`;
const codeOf = (body: string) => (JSON.parse(body) as { error?: { code?: string } }).error?.code;

describeWithRedis('per-verb command routes', () => {
  let api: CommandApi;
  let agent: Redis;

  beforeAll(async () => {
    const url = await claimDatabase();
    api = await startApi(url, {
      apiTokens: TOKENS,
      apiWriteToken: WRITE_TOKEN,
      commands: commands(),
    });
    agent = await connectedSubscriber(url);
    await agent.subscribe(QuasarKeys.commandChannel('billing', 'node-1'));
  });

  afterAll(async () => {
    agent?.disconnect();
    await api?.close();
  });

  const auditLength = () => api.redis.xlen(QuasarKeys.audit);

  it.each([
    ['retry', RETRY],
    ['delete', DELETE],
    ['inspect', INSPECT],
    ['pause', PAUSE],
    ['pause', { ...PAUSE, type: 'RESUME_QUEUE' }],
    ['promote', PROMOTE],
  ])('issues a command of its own verb on /command/%s', async (verb, body) => {
    const before = await auditLength();
    const res = await api.post(body, write, verbPath(verb));
    expect(res.statusCode).toBe(202);
    expect(await auditLength()).toBe(before + 1);
  });

  it.each([
    ['retry', DELETE, 'delete'],
    ['delete', RETRY, 'retry'],
    ['inspect', RETRY, 'retry'],
    ['pause', PROMOTE, 'promote'],
    ['promote', PAUSE, 'pause'],
  ])(
    'refuses on /command/%s a command of another verb with 403 QUASAR_VERB_MISMATCH, and audits nothing',
    async (verb, body, own) => {
      const before = await auditLength();
      const res = await api.post(body, as('admin'), verbPath(verb));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        success: false,
        error: {
          code: 'QUASAR_VERB_MISMATCH',
          message: `${body.type} is not a ${verb} command: send it to /api/pulse/command/${own}`,
          verb,
        },
      });
      expect(await auditLength()).toBe(before);
    },
  );

  it("still checks the token's scope on its own verb's route", async () => {
    const res = await api.post(DELETE, as('retrier'), verbPath('delete'));
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { scope: string } }>().error).toMatchObject({
      code: 'QUASAR_MISSING_SCOPE',
      scope: 'delete',
    });
    expect((await api.post(PROMOTE, as('pauser'), verbPath('promote'))).statusCode).toBe(202);
  });

  it('answers 404 to a verb it does not know, and 400 to a body that is no command', async () => {
    const unknown = await api.post(RETRY, write, verbPath('purge'));
    expect(unknown.statusCode).toBe(404);
    const invalid = await api.post({ type: 'RETRY_JOB' }, write, verbPath('retry'));
    expect(invalid.statusCode).toBe(400);
    expect(codeOf(invalid.body)).toBe('QUASAR_INVALID_COMMAND');
  });

  it('refuses every command of a request sent with X-Quasar-Read-Only: true, on every route', async () => {
    const before = await auditLength();
    for (const value of ['true', 'TRUE', ' true ', 'false, true']) {
      for (const path of [COMMAND_PATH, verbPath('retry')]) {
        const res = await api.post(RETRY, { ...write, 'x-quasar-read-only': value }, path);
        expect(res.statusCode).toBe(403);
        expect(codeOf(res.body)).toBe('QUASAR_READ_ONLY');
      }
    }
    expect(await auditLength()).toBe(before);
  });

  it('lets a request whose read-only header is anything but true issue commands', async () => {
    for (const value of ['false', '<no value>', '', 'yes']) {
      const headers = { ...write, 'x-quasar-read-only': value };
      expect((await api.post(RETRY, headers, verbPath('retry'))).statusCode).toBe(202);
    }
  });

  it('still reads with the read-only header', async () => {
    const res = await api.get('/api/pulse/audit', {
      ...as('reader'),
      'x-quasar-read-only': 'true',
    });
    expect(res.statusCode).toBe(200);
  });

  it('tells a token who it is and what it may do, without its secret, whatever its scopes', async () => {
    const reader = await api.get('/api/pulse/me', as('reader'));
    expect(reader.statusCode).toBe(200);
    expect(reader.json()).toEqual({
      token: 'reader',
      credential: 'named-token',
      scopes: ['read'],
      readOnly: false,
    });
    // No `read` scope, yet it may ask who it is.
    const retrier = await api.get('/api/pulse/me', as('retrier'));
    expect(retrier.json()).toMatchObject({ token: 'retrier', scopes: ['retry'] });
    const admin = await api.get('/api/pulse/me', { ...as('admin'), 'x-quasar-read-only': 'true' });
    expect(admin.json()).toMatchObject({ scopes: [...SCOPES], readOnly: true });
    const legacy = await api.get('/api/pulse/me', write);
    expect(legacy.json()).toMatchObject({ token: 'write-token', credential: 'write-token' });
    for (const res of [reader, retrier, admin, legacy]) {
      expect(res.body).not.toContain('secret-0123456789abcdef');
      expect(res.body).not.toContain(WRITE_TOKEN);
    }
  });

  it('answers 401 to /me without a known token', async () => {
    const res = await api.get('/api/pulse/me', {
      authorization: 'Bearer nobody-at-all-0123456789',
    });
    expect(res.statusCode).toBe(401);
    expect((await api.get('/api/pulse/me', {})).statusCode).toBe(401);
  });
});

describeWithRedis('per-verb command routes on a read-only collector', () => {
  it('refuses them with QUASAR_READ_ONLY and says so on /me', async () => {
    const api = await startApi(await claimDatabase(), {
      apiTokens: TOKENS,
      apiWriteToken: WRITE_TOKEN,
      commands: commands(),
      readOnly: true,
    });
    try {
      const res = await api.post(RETRY, write, verbPath('retry'));
      expect(res.statusCode).toBe(403);
      expect(codeOf(res.body)).toBe('QUASAR_READ_ONLY');
      expect((await api.get('/api/pulse/me', as('reader'))).json()).toMatchObject({
        readOnly: true,
      });
    } finally {
      await api.close();
    }
  });
});

describeWithRedis('per-verb command routes and the rate limit', () => {
  it('share one bucket per credential with the generic route', async () => {
    const api = await startApi(await claimDatabase(), {
      apiWriteToken: WRITE_TOKEN,
      commands: commands(),
      commandRate: { perMinute: 1, burst: 1 },
    });
    try {
      // No agent listens: 409, but past the limiter, which took the one token of the bucket.
      expect((await api.post(RETRY, write, COMMAND_PATH)).statusCode).toBe(409);
      const limited = await api.post(RETRY, write, verbPath('retry'));
      expect(limited.statusCode).toBe(429);
      expect(codeOf(limited.body)).toBe('QUASAR_RATE_LIMITED');
    } finally {
      await api.close();
    }
  });
});
