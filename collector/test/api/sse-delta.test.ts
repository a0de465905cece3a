import { QuasarKeys } from '@gravito/quasar/schema';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { original } from '../support/fixtures';
import { startPulse } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';
import { connect } from './sse-client';
import type { StreamClient } from './sse-client';

interface Data {
  nodes: Record<string, Array<Record<string, unknown>>>;
  left?: Record<string, string[]>;
  queues: Record<string, unknown>;
  queuesLeft?: string[];
  total?: number;
}

const dataOf = (client: StreamClient, index: number) =>
  JSON.parse(client.events[index]?.data ?? '{}') as Data;

const idsOf = (data: Data) =>
  Object.entries(data.nodes).flatMap(([service, nodes]) =>
    nodes.map((n) => `${service}/${String(n.id)}`),
  );

describeWithRedis('GET /api/pulse/stream with parameters', () => {
  let pulse: Pulse;
  const clients: StreamClient[] = [];

  const beat = async (service: string, id: string, cpu = 1) => {
    const now = Date.now();
    const hb = original(
      'nodeBun',
      {
        service,
        id,
        hostname: `${id}.local`,
        interval: 5000,
        cpu: { system: cpu, process: 1, cores: 2 },
      },
      now,
    );
    const key = QuasarKeys.node(service, id);
    await pulse.redis.set(key, JSON.stringify(hb), 'EX', 30);
    await pulse.redis.zadd(QuasarKeys.nodeIndex, now, key);
  };

  const open = async (query: string, events = 1) => {
    const client = connect(pulse.port, `/api/pulse/stream${query}`);
    clients.push(client);
    expect(await client.statusCode).toBe(200);
    await eventually(() => (client.events.length >= events ? true : undefined), 5000, query);
    return client;
  };

  /** Runs a cycle and waits until every open client has `count` events. */
  const cycleTo = async (count: number) => {
    await pulse.cycle();
    await eventually(
      () => (clients.every((c) => c.events.length >= count) ? true : undefined),
      5000,
      `${count} events each`,
    );
  };

  beforeAll(async () => {
    pulse = await startPulse(await claimDatabase());
    for (const id of ['a-1', 'a-2', 'a-3']) await beat('api', id);
    await beat('jobs', 'j-1');
    const queue = { name: 'mail', driver: 'bullmq', size: { waiting: 1 }, observedAt: Date.now() };
    await pulse.redis.hset(QuasarKeys.queues('jobs'), 'mail', JSON.stringify(queue));
    await pulse.cycle();
  });

  afterAll(async () => {
    for (const client of clients) client.req.destroy();
    await pulse?.close();
  });

  it('sends a filtered snapshot, then deltas of only what changed, left or went', async () => {
    const all = await open('?delta=1');
    const api = await open('?delta=1&service=api&fields=summary');
    const plain = await open('');
    expect(all.events[0]?.event).toBe('pulse');
    expect(idsOf(dataOf(all, 0))).toEqual(['api/a-1', 'api/a-2', 'api/a-3', 'jobs/j-1']);
    expect(all.events[0]?.data).not.toContain('"ageMs"');
    expect(dataOf(all, 0).total).toBe(4);
    expect(idsOf(dataOf(api, 0))).toEqual(['api/a-1', 'api/a-2', 'api/a-3']);
    expect(Object.keys(dataOf(api, 0).queues)).toEqual(['api']);
    expect(Object.keys(dataOf(all, 0).queues)).toEqual(['api', 'jobs']);
    expect(Object.keys(dataOf(api, 0).nodes.api?.[0] ?? {})).not.toContain('runtime');

    // Nothing changed: a delta with no node, where the plain client gets the whole fleet again.
    await cycleTo(2);
    expect(all.events[1]?.event).toBe('delta');
    expect(dataOf(all, 1)).toMatchObject({ nodes: {}, left: {}, queues: {}, queuesLeft: [] });
    expect(plain.events[1]?.event).toBe('pulse');
    expect(all.events[1]!.data!.length * 5).toBeLessThan(plain.events[1]!.data!.length);

    // One new beat, one new node, one node gone, the queues gone.
    await beat('api', 'a-2', 55);
    await beat('api', 'a-4');
    await pulse.redis.del(QuasarKeys.node('jobs', 'j-1'), QuasarKeys.queues('jobs'));
    await cycleTo(3);
    const delta = dataOf(all, 2);
    // j-1's key is gone: it stays, offline, until forgotten; that is a change of verdict.
    expect(idsOf(delta)).toEqual(['api/a-2', 'api/a-4', 'jobs/j-1']);
    expect(delta.nodes.jobs?.[0]?.status).toBe('offline');
    expect((delta.nodes.api?.[0]?.cpu as { system: number }).system).toBe(55);
    expect(delta.queuesLeft).toEqual(['jobs']);
    expect(idsOf(dataOf(api, 2))).toEqual(['api/a-2', 'api/a-4']);
    expect(dataOf(api, 2).queuesLeft).toEqual([]);
  });

  it('tells a filtered client when a node stops matching its filter', async () => {
    const online = await open('?delta=1&status=online');
    expect(idsOf(dataOf(online, 0))).not.toContain('jobs/j-1');
    await pulse.redis.del(QuasarKeys.node('api', 'a-3'));
    const count = online.events.length + 1;
    await cycleTo(count);
    expect(online.events[count - 1]?.event).toBe('delta');
    expect(dataOf(online, count - 1).left).toEqual({ api: ['a-3'] });
  });

  it('gives a reconnecting client a whole snapshot, equal to what deltas built', async () => {
    const fresh = await open('?delta=1');
    const first = dataOf(fresh, 0);
    const again = await open('?delta=1');
    expect(again.events[0]?.event).toBe('pulse');
    expect(dataOf(again, 0).nodes).toEqual(first.nodes);
  });
});
