import Redis from 'ioredis';
import { QuasarKeys } from '@gravito/quasar/schema';
import { buildApp } from '../../src/api/app';
import { AccessControl } from '../../src/api/auth';
import { PulseState } from '../../src/cycle/pulse-state';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { API_TOKEN, WRITE_TOKEN, commands, read, retry, startApi, write } from './command-fixture';
import { TOKEN, bearer, startPulse } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';

describeWithRedis('API authentication', () => {
  let pulse: Pulse;

  beforeAll(async () => {
    pulse = await startPulse(await claimDatabase());
    await pulse.cycle();
  });

  afterAll(async () => {
    await pulse?.close();
  });

  async function expectUnauthorized(headers: Record<string, string>, path = '/api/pulse/nodes') {
    const res = await pulse.get(path, headers);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="quasar"');
    expect(res.json()).toEqual({
      error: { code: 'QUASAR_UNAUTHORIZED', message: 'missing or invalid bearer token' },
    });
    return res;
  }

  it('rejects a request without an Authorization header', async () => {
    await expectUnauthorized({});
  });

  it('rejects a wrong token, and never echoes it', async () => {
    const res = await expectUnauthorized({ authorization: 'Bearer not-the-token-abcdef' });
    expect(res.body).not.toContain('not-the-token');
  });

  it('rejects the right token under another scheme', async () => {
    await expectUnauthorized({ authorization: `Basic ${TOKEN}` });
    await expectUnauthorized({ authorization: TOKEN });
  });

  it('rejects tokens of another length without failing', async () => {
    await expectUnauthorized({ authorization: 'Bearer x' });
    await expectUnauthorized({ authorization: `Bearer ${TOKEN}${'y'.repeat(500)}` });
    await expectUnauthorized({ authorization: `Bearer ${TOKEN.slice(0, -1)}` });
  });

  it('accepts the right token, whatever the case of the scheme', async () => {
    expect((await pulse.get('/api/pulse/nodes', bearer)).statusCode).toBe(200);
    expect(
      (await pulse.get('/api/pulse/nodes', { authorization: `bearer ${TOKEN}` })).statusCode,
    ).toBe(200);
  });

  it('guards every /api route, the stream and unknown ones included', async () => {
    for (const path of ['/api/pulse/queues', '/api/pulse/slow', '/api/pulse/stream', '/api/nope']) {
      await expectUnauthorized({}, path);
    }
  });

  it('guards a route reached through a percent-encoded path', async () => {
    for (const path of ['/%61pi/pulse/nodes', '/%61pi/pulse/queues', '/%61pi/pulse/stream']) {
      await expectUnauthorized({}, path);
    }
  });

  it('serves /healthz, /readyz and /metrics without a token', async () => {
    expect((await pulse.get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await pulse.get('/readyz')).statusCode).toBe(200);
    const metrics = await pulse.get('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
  });
});

describeWithRedis('buildApp', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(await claimDatabase(), { lazyConnect: true });
  });

  afterAll(() => {
    redis?.disconnect();
  });

  const deps = () => ({
    state: new PulseState(),
    redis,
    stats: () => Promise.reject(new Error('not used')),
    readiness: () => ({ ready: true, failingCycles: 0 }),
  });

  it('refuses to build without a token', () => {
    expect(() => buildApp(deps(), { apiToken: undefined, noAuth: false })).toThrow(/apiToken/);
    expect(() => buildApp(deps(), { apiToken: '', noAuth: false })).toThrow(/apiToken/);
  });

  it('builds without a token when noAuth is explicit, and then serves /api openly', async () => {
    const noAuth = await startPulse(await claimDatabase(), { apiToken: undefined, noAuth: true });
    try {
      await noAuth.cycle();
      expect((await noAuth.get('/api/pulse/nodes')).statusCode).toBe(200);
    } finally {
      await noAuth.close();
    }
  });
});

describe('who may use a route under the legacy settings (unchanged by scopes)', () => {
  const open = { apiToken: undefined, noAuth: true };
  const apiOnly = { apiToken: 'a', noAuth: false };
  const both = { apiToken: 'a', noAuth: false, apiWriteToken: 'w' };
  const headers = { 'api-token': 'Bearer a', 'write-token': 'Bearer w', none: undefined };
  it.each([
    ['a read route, with either token', false, both, 'api-token', undefined],
    ['a read route, with the write token', false, both, 'write-token', undefined],
    ['a read route, without a token', false, apiOnly, 'none', 'unauthorized'],
    ['a read route, without a token under --no-auth', false, open, 'none', undefined],
    [
      'the write route, with the API token and no write token set',
      true,
      apiOnly,
      'api-token',
      undefined,
    ],
    [
      'the write route, without a token and no write token set',
      true,
      apiOnly,
      'none',
      'unauthorized',
    ],
    ['the write route, with the write token', true, both, 'write-token', undefined],
    [
      'the write route, with the API token once a write token is set',
      true,
      both,
      'api-token',
      'write-token-required',
    ],
    [
      'the write route, without a token once a write token is set',
      true,
      both,
      'none',
      'unauthorized',
    ],
    ['the write route under --no-auth without a write token', true, open, 'none', 'writes-closed'],
    [
      'the write route under --no-auth, even with the API token',
      true,
      { ...open, apiToken: 'a' },
      'api-token',
      'writes-closed',
    ],
    [
      'the write route under --no-auth, with its write token',
      true,
      { ...open, apiWriteToken: 'w' },
      'write-token',
      undefined,
    ],
    [
      'the write route under --no-auth, without its write token',
      true,
      { ...open, apiWriteToken: 'w' },
      'none',
      'unauthorized',
    ],
  ] as const)('decides %s', (_what, writeRoute, config, sent, refusal) => {
    const access = new AccessControl(config);
    const principal = access.principalOf(headers[sent]);
    expect(access.refusal(principal, writeRoute)?.kind).toBe(refusal);
  });

  it('lets the write token win when both legacy tokens are the same secret, as it did', () => {
    const access = new AccessControl({ apiToken: 'same', apiWriteToken: 'same', noAuth: false });
    expect(access.principalOf('Bearer same')?.name).toBe('write-token');
  });
});

describeWithRedis('--no-auth and the command route', () => {
  it('stays closed without a write token, whatever the request carries, and audits nothing', async () => {
    const api = await startApi(await claimDatabase(), {
      apiToken: undefined,
      noAuth: true,
      commands: commands(),
    });
    try {
      for (const headers of [{}, read, { authorization: 'Bearer anything' }]) {
        const res = await api.post({ ...retry, jobKey: 'j' }, headers);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toEqual({
          error: {
            code: 'QUASAR_WRITE_TOKEN_REQUIRED',
            message:
              '--no-auth opens the read routes only: set QUASAR_API_WRITE_TOKEN to issue commands',
          },
        });
      }
      expect(await api.redis.exists(QuasarKeys.audit)).toBe(0);
      expect((await api.get('/api/pulse/audit', {})).statusCode).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('opens to the write token alone when one is set', async () => {
    const api = await startApi(await claimDatabase(), {
      apiToken: API_TOKEN,
      noAuth: true,
      apiWriteToken: WRITE_TOKEN,
      commands: commands(),
    });
    try {
      expect((await api.post({ ...retry, jobKey: 'j' }, {})).statusCode).toBe(401);
      expect((await api.post({ ...retry, jobKey: 'j' }, read)).statusCode).toBe(403);
      // No agent listens: the command was audited and published to nobody.
      expect((await api.post({ ...retry, jobKey: 'j' }, write)).statusCode).toBe(409);
      expect(await api.redis.xlen(QuasarKeys.audit)).toBe(1);
    } finally {
      await api.close();
    }
  });
});
