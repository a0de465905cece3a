import Redis from 'ioredis';
import { startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';
import { describeWithRedis, eventually } from '../../../testing/redis';
import { startPulse, writeFleet } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';
import { connect } from './sse-client';
import type { StreamClient } from './sse-client';

/** Calls of each command the fleet reads are made of, from `INFO commandstats`. */
async function readCalls(admin: Redis): Promise<Record<string, number>> {
  const info = await admin.info('commandstats');
  const calls: Record<string, number> = {};
  for (const cmd of ['evalsha', 'eval', 'zrange', 'scan', 'time', 'hgetall', 'get', 'mget']) {
    calls[cmd] = Number(new RegExp(`^cmdstat_${cmd}:calls=(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  }
  return calls;
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

describeWithRedis('GET /api/pulse/stream', () => {
  // A private server: commandstats count every database, and other test files share the run's.
  let server: RedisServer;
  let admin: Redis;
  let pulse: Pulse;
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.urlFor(0));
    pulse = await startPulse(server.urlFor(0));
    await writeFleet(pulse.redis);
    await pulse.collector.discovery.scan();
    await pulse.cycle();
  });

  afterAll(async () => {
    for (const client of clients) client.req.destroy();
    await pulse?.close();
    await admin?.quit();
    await server?.stop();
  });

  it('sends each client the current picture at once, then every new cycle', async () => {
    const pair = [connect(pulse.port), connect(pulse.port)];
    clients.push(...pair);
    for (const client of pair) expect(await client.statusCode).toBe(200);
    await eventually(
      () => (pair.every((c) => c.events.length === 1) ? true : undefined),
      5000,
      'the first events',
    );
    for (const client of pair) {
      const [first] = client.events;
      expect(first?.event).toBe('pulse');
      const data = JSON.parse(first?.data ?? '{}') as {
        nodes: Record<string, unknown>;
        queues: object;
      };
      expect(Object.keys(data.nodes)).toEqual(['billing', 'my-laravel-app', 'worker-orders']);
      expect(data.queues).toHaveProperty('my-laravel-app');
    }

    await pulse.cycle();
    await eventually(
      () => (pair.every((c) => c.events.length === 2) ? true : undefined),
      5000,
      'the second events',
    );
    for (const client of pair) {
      expect(client.events[1]?.event).toBe('pulse');
      expect(Number(client.events[1]?.id)).toBeGreaterThan(Number(client.events[0]?.id));
    }
    expect(pulse.hub.size).toBe(2);
  });

  it('reads Redis once per cycle, however many clients are connected', async () => {
    await pulse.collector.discovery.idle();
    const before = await readCalls(admin);
    const more = Array.from({ length: 10 }, () => connect(pulse.port));
    clients.push(...more);
    await eventually(
      () => (more.every((c) => c.events.length === 1) ? true : undefined),
      5000,
      '10 clients',
    );
    expect(pulse.hub.size).toBe(12);
    expect(await readCalls(admin)).toEqual(before);

    await pulse.cycle();
    const after = await readCalls(admin);
    const scripts = (calls: Record<string, number>) => (calls.evalsha ?? 0) + (calls.eval ?? 0);
    expect(scripts(after)).toBeGreaterThan(scripts(before));
    // One cycle's reads, not one per client: TIME, ZRANGE, the read script, HGETALL per service.
    expect(total(after) - total(before)).toBeLessThan(12);
    await eventually(
      () => (clients.every((c) => c.events.length >= 2) ? true : undefined),
      5000,
      'all clients',
    );
  });

  it('drops a client that disconnects', async () => {
    const leaving = clients.pop();
    leaving?.req.destroy();
    await eventually(
      () => (pulse.hub.size === clients.length ? true : undefined),
      5000,
      'the hub to shrink',
    );
  });

  it('lets the server close while streams are open, ending them', async () => {
    const open = connect(pulse.port);
    await eventually(() => (open.events.length > 0 ? true : undefined), 5000, 'a first event');
    const ended = new Promise<void>((resolve) => open.req.on('close', () => resolve()));
    const closed = pulse.app.close().then(() => 'closed');
    const timeout = new Promise((resolve) => setTimeout(() => resolve('hung'), 3000).unref());
    expect(await Promise.race([closed, timeout])).toBe('closed');
    await ended;
    expect(pulse.hub.size).toBe(0);
  });
});
