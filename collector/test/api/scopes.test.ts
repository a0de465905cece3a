/**
 * Named tokens and their scopes, over real HTTP against the real server on a real Redis: each
 * scope is refused where it should be (with its status and code) and allowed where it should be,
 * and every audit entry carries the name of the token that issued it.
 */
import type Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { ApiTokenSpec } from '../../src/auth/principal';
import { SCOPES } from '../../src/auth/scopes';
import type { Scope } from '../../src/auth/scopes';
import type { AuditEntry } from '../../src/commands/audit-log';
import { claimDatabase, connectedSubscriber, describeWithRedis } from '../../../testing/redis';
import { WRITE_TOKEN, commands, read, retry, startApi, write } from './command-fixture';
import type { CommandApi } from './command-fixture';

const token = (name: string, scopes: readonly Scope[]): ApiTokenSpec => ({
  name,
  scopes,
  secret: `${name}-secret-0123456789abcdef`,
});

const TOKENS = [
  token('reader', ['read']),
  token('retrier', ['retry']),
  token('deleter', ['read', 'delete']),
  token('inspector', ['inspect']),
  token('pauser', ['pause']),
  token('admin', SCOPES),
];

const as = (name: string) => ({ authorization: `Bearer ${name}-secret-0123456789abcdef` });

/** A retry of one job and a delete of every failed job, on `billing/node-1`. */
const RETRY = { ...retry, jobKey: 'job-7' };
const DELETE_ALL = { ...retry, type: 'DELETE_JOB', scope: 'all-failed' };

describeWithRedis('API tokens with scopes', () => {
  let api: CommandApi;
  let agent: Redis;

  beforeAll(async () => {
    const url = await claimDatabase();
    api = await startApi(url, {
      apiTokens: TOKENS,
      apiWriteToken: WRITE_TOKEN,
      commands: commands(),
    });
    // Stands in for the agent, so an allowed command answers 202.
    agent = await connectedSubscriber(url);
    await agent.subscribe(QuasarKeys.commandChannel('billing', 'node-1'));
  });

  afterAll(async () => {
    agent?.disconnect();
    await api?.close();
  });

  const auditLength = () => api.redis.xlen(QuasarKeys.audit);

  it.each([
    ['reader', '/api/pulse/audit'],
    ['deleter', '/api/pulse/audit'],
    ['admin', '/api/pulse/audit'],
    ['reader', '/api/pulse/commands/not-issued'],
  ])('lets %s, holding read, use the read route %s', async (name, path) => {
    const res = await api.get(path, as(name));
    expect([200, 404]).toContain(res.statusCode);
    expect(res.body).not.toContain('QUASAR_MISSING_SCOPE');
  });

  it.each(['retrier', 'inspector', 'pauser'])(
    'refuses the read routes to %s, which lacks read, with 403 naming the scope',
    async (name) => {
      for (const path of ['/api/pulse/audit', '/api/pulse/nodes', '/api/pulse/stream']) {
        const res = await api.get(path, as(name));
        expect(res.statusCode).toBe(403);
        expect(res.json()).toEqual({
          error: {
            code: 'QUASAR_MISSING_SCOPE',
            message: 'this token lacks the scope "read", which this route needs',
            scope: 'read',
          },
        });
      }
    },
  );

  it.each([
    ['retrier', RETRY],
    ['admin', RETRY],
    ['deleter', DELETE_ALL],
    ['admin', DELETE_ALL],
  ])('lets %s issue the command its scope covers', async (name, body) => {
    const before = await auditLength();
    const res = await api.post(body, as(name));
    expect(res.statusCode).toBe(202);
    expect(await auditLength()).toBe(before + 1);
  });

  it.each([
    ['reader', RETRY, 'retry'],
    ['deleter', RETRY, 'retry'],
    ['inspector', RETRY, 'retry'],
    ['pauser', RETRY, 'retry'],
    ['reader', DELETE_ALL, 'delete'],
    ['retrier', DELETE_ALL, 'delete'],
    ['retrier', { ...DELETE_ALL, scope: 'job', jobId: 'j-1' }, 'delete'],
    ['pauser', DELETE_ALL, 'delete'],
  ])(
    'refuses %s a command it has no scope for, naming the scope, and audits nothing',
    async (name, body, scope) => {
      const before = await auditLength();
      const res = await api.post(body, as(name));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        success: false,
        error: {
          code: 'QUASAR_MISSING_SCOPE',
          message: `this token lacks the scope "${scope}", which ${body.type} needs`,
          scope,
        },
      });
      expect(await auditLength()).toBe(before);
    },
  );

  it('answers 401 to a missing or unknown token, on reads and commands alike', async () => {
    const unknown = { authorization: 'Bearer reader-secret-0123456789abcdeX' };
    for (const headers of [{}, unknown] as Array<Record<string, string>>) {
      const reads = await api.get('/api/pulse/audit', headers);
      const command = await api.post(RETRY, headers);
      for (const res of [reads, command]) {
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="quasar"');
        expect(res.json<{ error: { code: string } }>().error.code).toBe('QUASAR_UNAUTHORIZED');
      }
    }
  });

  it("keeps the legacy tokens' meaning beside named ones: the API token reads, the write token does all", async () => {
    expect((await api.get('/api/pulse/audit', read)).statusCode).toBe(200);
    expect((await api.get('/api/pulse/audit', write)).statusCode).toBe(200);
    const refused = await api.post(RETRY, read);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe(
      'QUASAR_WRITE_TOKEN_REQUIRED',
    );
    expect((await api.post(RETRY, write)).statusCode).toBe(202);
    expect((await api.post(DELETE_ALL, write)).statusCode).toBe(202);
  });

  it("records the token's name in the audit entry, never its secret, beside the Grafana user", async () => {
    const plain = await api.post(RETRY, as('retrier'));
    const annotated = await api.post(DELETE_ALL, { ...as('admin'), 'x-grafana-user': 'alice' });
    const legacy = await api.post(RETRY, write);
    const ids = [plain, annotated, legacy].map((r) => r.json<{ commandId: string }>().commandId);
    const { entries } = (await api.get('/api/pulse/audit?limit=20', as('reader'))).json<{
      entries: AuditEntry[];
    }>();
    const byId = (id: string | undefined) => entries.find((e) => e.id === id);
    expect(byId(ids[0])).toMatchObject({
      actor: 'retrier',
      actorKind: 'token',
      credential: 'named-token',
      tokenName: 'retrier',
    });
    expect(byId(ids[1])).toMatchObject({
      actor: 'alice',
      actorKind: 'grafana-user',
      tokenName: 'admin',
    });
    expect(byId(ids[2])).toMatchObject({ credential: 'write-token', tokenName: 'write-token' });
    const stream = JSON.stringify(await api.redis.xrange(QuasarKeys.audit, '-', '+'));
    expect(stream).not.toContain('secret-0123456789abcdef');
    expect(stream).not.toContain(WRITE_TOKEN);
    expect(api.log.join('')).toContain('"token":"retrier"');
    expect(api.log.join('')).not.toContain('secret-0123456789abcdef');
  });
});

describeWithRedis('read-only mode', () => {
  let api: CommandApi;

  beforeAll(async () => {
    api = await startApi(await claimDatabase(), {
      apiTokens: TOKENS,
      apiWriteToken: WRITE_TOKEN,
      commands: commands(),
      readOnly: true,
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('refuses every command with 403 QUASAR_READ_ONLY, whatever the token, and audits nothing', async () => {
    for (const headers of [write, as('admin'), as('retrier'), as('reader'), read]) {
      for (const body of [RETRY, DELETE_ALL]) {
        const res = await api.post(body, headers);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toEqual({
          error: {
            code: 'QUASAR_READ_ONLY',
            message: 'the collector is read-only (--read-only): it issues no command',
          },
        });
      }
    }
    expect(await api.redis.exists(QuasarKeys.audit)).toBe(0);
  });

  it('still reads, and still answers 401 to an unknown token first', async () => {
    expect((await api.get('/api/pulse/audit', as('reader'))).statusCode).toBe(200);
    expect((await api.post(RETRY, { authorization: 'Bearer nobody' })).statusCode).toBe(401);
  });
});

describeWithRedis('the legacy single API token', () => {
  it('still reads and issues both commands, audited under the name api-token', async () => {
    const api = await startApi(await claimDatabase(), { commands: commands() });
    try {
      expect((await api.get('/api/pulse/audit', read)).statusCode).toBe(200);
      // No agent listens: audited, then refused for want of a subscriber, past every auth check.
      expect((await api.post(RETRY, read)).statusCode).toBe(409);
      expect((await api.post(DELETE_ALL, read)).statusCode).toBe(409);
      const { entries } = (await api.get('/api/pulse/audit', read)).json<{
        entries: AuditEntry[];
      }>();
      expect(entries.map((e) => [e.credential, e.tokenName, e.actor])).toEqual([
        ['api-token', 'api-token', 'api-token'],
        ['api-token', 'api-token', 'api-token'],
      ]);
    } finally {
      await api.close();
    }
  });
});
