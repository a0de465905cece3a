import Redis from 'ioredis';
import { UNREADY_AFTER_FAILURES } from '../../src/cycle/cycle-health';
import { startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';
import { claimDatabase, describeWithRedis, testRedisUrl } from '../../../testing/redis';
import { parsePrometheus, sampleValue } from '../self/prometheus-parse';
import { bearer, startPulse, writeFleet } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';

describeWithRedis('/metrics', () => {
  let pulse: Pulse;

  beforeAll(async () => {
    pulse = await startPulse(await claimDatabase());
    await writeFleet(pulse.redis);
    await pulse.collector.discovery.scan();
    await pulse.cycle();
    await pulse.cycle();
  });

  afterAll(async () => {
    await pulse?.close();
  });

  it('serves valid Prometheus text with the collector counters', async () => {
    const res = await pulse.get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parsePrometheus(res.body);
    expect(sampleValue(samples, 'quasar_collector_cycles_total')).toBe(2);
    expect(
      sampleValue(samples, 'quasar_collector_payloads_rejected_total', { reason: 'invalid' }),
    ).toBeGreaterThan(0);
    expect(
      sampleValue(samples, 'quasar_collector_payloads_rejected_total', { reason: 'oversized' }),
    ).toBe(0);
    expect(sampleValue(samples, 'quasar_collector_nodes', { status: 'online' })).toBe(4);
    expect(sampleValue(samples, 'quasar_collector_cycle_failures_total')).toBe(0);
  });

  it('serves the slow-log counters, entries claimed on acquiring a service among them', async () => {
    const samples = parsePrometheus((await pulse.get('/metrics')).body);
    expect(sampleValue(samples, 'quasar_collector_slowlog_reclaimed_total')).toBe(0);
    expect(sampleValue(samples, 'quasar_collector_slowlog_claimed_on_acquire_total')).toBe(0);
  });

  it('counts the connected stream clients', async () => {
    const samples = parsePrometheus((await pulse.get('/metrics')).body);
    expect(sampleValue(samples, 'quasar_collector_sse_clients')).toBe(0);
  });

  it('reports readiness once Redis answers and a cycle ran', async () => {
    const res = await pulse.get('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', redis: 'ok', cycled: true });
  });
});

describeWithRedis('when Redis goes down', () => {
  let server: RedisServer;
  let pulse: Pulse;

  beforeAll(async () => {
    expect(testRedisUrl()).toBeDefined();
    server = await startRedisServer();
    pulse = await startPulse(server.urlFor(0));
    await writeFleet(pulse.redis);
    await pulse.cycle();
    expect((await pulse.get('/readyz')).statusCode).toBe(200);
    await server.stop();
  });

  afterAll(async () => {
    await pulse?.close();
    await server?.stop();
  });

  it('answers /readyz with 503 QUASAR_REDIS_UNAVAILABLE within its timeout', async () => {
    const started = Date.now();
    const res = await pulse.get('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('QUASAR_REDIS_UNAVAILABLE');
    // A hang guard: the ping's own timeout is 1 s; a loaded machine may add to it, but a
    // reply that waited on Redis coming back would never arrive.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('keeps serving the last picture of the fleet', async () => {
    const res = await pulse.get('/api/pulse/nodes', bearer);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json<{ nodes: object }>().nodes)).toContain('billing');
  });

  it('counts the failed cycle on /metrics and stays alive', async () => {
    await expect(pulse.collector.cycle()).rejects.toThrow();
    const samples = parsePrometheus((await pulse.get('/metrics')).body);
    expect(sampleValue(samples, 'quasar_collector_cycle_failures_total')).toBe(1);
    expect((await pulse.get('/healthz')).statusCode).toBe(200);
  });

  it('answers a slow-log query with 503 QUASAR_REDIS_UNAVAILABLE', async () => {
    const res = await pulse.get('/api/pulse/slow', bearer);
    expect(res.statusCode).toBe(503);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('QUASAR_REDIS_UNAVAILABLE');
  });
});

describeWithRedis('when Redis answers but every cycle fails', () => {
  let server: RedisServer;
  let pulse: Pulse;

  beforeAll(async () => {
    server = await startRedisServer();
    const admin = new Redis(server.urlFor(0));
    // A user that may PING but not read the namespace: Redis is up, the cycles cannot work.
    await admin.acl(
      'SETUSER',
      'blind',
      'on',
      '>blind-pass',
      '+ping',
      '+time',
      '+client',
      '+select',
      '+info',
    );
    await admin.quit();
    const url = new URL(server.urlFor(0));
    url.username = 'blind';
    url.password = 'blind-pass';
    pulse = await startPulse(url.toString());
  });

  afterAll(async () => {
    await pulse?.close();
    await server?.stop();
  });

  it(`answers /readyz with 503 QUASAR_CYCLES_FAILING after ${UNREADY_AFTER_FAILURES} failed cycles`, async () => {
    for (let i = 0; i < UNREADY_AFTER_FAILURES; i++) {
      await expect(pulse.collector.cycle()).rejects.toThrow(/NOPERM/);
    }
    const res = await pulse.get('/readyz');
    expect(res.statusCode).toBe(503);
    const error = res.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe('QUASAR_CYCLES_FAILING');
    expect(error.message).toMatch(/^3 cycles failed in a row: .*NOPERM/);
  });
});
