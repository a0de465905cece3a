import Redis from 'ioredis';
import { buildApp } from '../../src/api/app';
import { PulseState } from '../../src/cycle/pulse-state';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
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
