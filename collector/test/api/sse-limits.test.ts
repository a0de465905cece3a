/**
 * The live stream's bounds, on the real app and a real Redis: streams and distinct filters are
 * each bounded, a stream over a bound is refused with a 503 that says why (and counted), and the
 * streams already open keep their events.
 */
import { startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';
import { describeWithRedis, eventually } from '../../../testing/redis';
import { MAX_STREAM_CLIENTS, MAX_STREAM_FILTERS } from '../../src/api/sse-hub';
import { bearer, startPulse, writeFleet } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';
import { connect } from './sse-client';
import type { StreamClient } from './sse-client';

jest.setTimeout(60_000);

describeWithRedis('GET /api/pulse/stream: bounds', () => {
  let server: RedisServer;
  let pulse: Pulse;
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    pulse = await startPulse(server.urlFor(0));
    await writeFleet(pulse.redis);
    await pulse.collector.discovery.scan();
    await pulse.cycle();
  });

  afterAll(async () => {
    for (const client of clients) client.req.destroy();
    await pulse?.close();
    await server?.stop();
  });

  const open = async (path: string): Promise<number> => {
    const client = connect(pulse.port, path);
    clients.push(client);
    return client.statusCode;
  };

  const refusedTotal = async (): Promise<number> => {
    const metrics = await pulse.get('/metrics', bearer);
    const match = /^quasar_collector_sse_refused_total (\d+)$/m.exec(metrics.body);
    if (!match) throw new Error('no quasar_collector_sse_refused_total in /metrics');
    return Number(match[1]);
  };

  it(`opens ${MAX_STREAM_FILTERS} distinct filters, then refuses a new one but not a known one`, async () => {
    const codes = await Promise.all(
      Array.from({ length: MAX_STREAM_FILTERS }, (_, i) => open(`/api/pulse/stream?q=f${i}`)),
    );
    expect(codes.every((code) => code === 200)).toBe(true);
    expect(pulse.hub.size).toBe(MAX_STREAM_FILTERS);

    const refused = await pulse.get('/api/pulse/stream?q=one-too-many', bearer);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json()).toEqual({
      error: { code: 'QUASAR_TOO_MANY_STREAMS', message: expect.any(String) as string },
    });
    expect(await refusedTotal()).toBe(1);

    // A filter some stream already uses costs no new serialisation: it is let in.
    expect(await open('/api/pulse/stream?q=f0')).toBe(200);
  });

  it(`refuses the stream past ${MAX_STREAM_CLIENTS}, and the open ones keep their events`, async () => {
    const more = MAX_STREAM_CLIENTS - pulse.hub.size;
    const codes = await Promise.all(
      Array.from({ length: more }, () => open('/api/pulse/stream?q=f1')),
    );
    expect(codes.every((code) => code === 200)).toBe(true);
    expect(pulse.hub.size).toBe(MAX_STREAM_CLIENTS);

    const refused = await pulse.get('/api/pulse/stream', bearer);
    expect(refused.statusCode).toBe(503);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('QUASAR_TOO_MANY_STREAMS');
    expect(await refusedTotal()).toBe(2);

    const first = clients[0] as StreamClient;
    const before = first.events.length;
    await pulse.cycle();
    await eventually(
      () => (first.events.length > before ? true : undefined),
      5000,
      'an event for a stream opened before the bound',
    );
  });

  it('lets a new stream in once one closes', async () => {
    (clients[clients.length - 1] as StreamClient).req.destroy();
    await eventually(
      () => (pulse.hub.size < MAX_STREAM_CLIENTS ? true : undefined),
      5000,
      'the closed stream to leave',
    );
    expect(await open('/api/pulse/stream?q=f2')).toBe(200);
  });
});
