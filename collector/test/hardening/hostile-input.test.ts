/**
 * One agent's Redis credentials, used by an attacker or a broken agent, must not blind the
 * collector: after each hostile write, every honest node is still exported, the API answers,
 * and the live stream keeps flowing. Each case reproduces a defect found in the collector.
 */
import { QuasarKeys } from '@gravito/quasar/schema';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { startRedisServer } from '../../../testing/redis-server';
import type { RedisServer } from '../../../testing/redis-server';
import { HONEST, startHostileFleet } from './hostile-fleet';
import type { HostileFleet } from './hostile-fleet';

const honestIds = HONEST.map((n) => n.id).sort();

describeWithRedis('a hostile agent against the collector', () => {
  let fleet: HostileFleet;

  beforeEach(async () => {
    fleet = await startHostileFleet(await claimDatabase());
    await fleet.redis.flushdb();
    await fleet.beatHonest();
  });

  afterEach(async () => {
    await fleet?.close();
  });

  /** Writes a heartbeat as an agent does: the key, then the index. */
  async function write(key: string, value: string): Promise<void> {
    await fleet.redis.set(key, value, 'EX', 30);
    await fleet.redis.zadd(QuasarKeys.nodeIndex, Date.now(), key);
  }

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'serves and exports a service named %j beside the honest ones',
    async (service) => {
      await write(QuasarKeys.node(service, 'n1'), JSON.stringify(fleet.heartbeat(service, 'n1')));
      const exported = await fleet.exportedCycle();
      expect([...exported].sort()).toEqual([...honestIds, 'n1'].sort());
      const res = await fleet.get('/api/pulse/nodes');
      expect(res.statusCode).toBe(200);
      const nodes = res.json<{ nodes: Record<string, Array<{ id: string }>> }>().nodes;
      expect(Object.hasOwn(nodes, service)).toBe(true);
      expect(nodes[service]?.map((n) => n.id)).toEqual(['n1']);
      expect(({} as Record<string, unknown>).n1).toBeUndefined();
    },
  );

  it('refuses a heartbeat nested 100,000 levels deep, while cycles, exports and the stream go on', async () => {
    const deep = JSON.stringify(fleet.heartbeat('evil', 'deep-1')).replace(
      /}$/,
      `,"meta":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
    );
    await write(QuasarKeys.node('evil', 'deep-1'), deep);
    const exported = await fleet.exportedCycle();
    expect([...exported].sort()).toEqual(honestIds);
    expect((await fleet.get('/api/pulse/nodes')).statusCode).toBe(200);
    expect(fleet.sseText()).toContain('orders-1');
    expect((await fleet.collector.stats()).rejected.invalid).toBe(1);
  });

  it('drops node index members that are not heartbeat keys, without reading them', async () => {
    // An app key with a heartbeat-shaped value, and junk of every kind.
    await fleet.redis.set('app:session:42', JSON.stringify(fleet.heartbeat('app', 'session')));
    const members = [
      'app:session:42',
      'x'.repeat(100_000),
      'gravito:quasar:node:a b:c',
      'gravito:quasar:nodes',
    ];
    for (const member of members) await fleet.redis.zadd(QuasarKeys.nodeIndex, Date.now(), member);

    const exported = await fleet.exportedCycle();
    expect([...exported].sort()).toEqual(honestIds);
    const index = await fleet.redis.zrange(QuasarKeys.nodeIndex, 0, -1);
    expect(index.filter((m) => members.includes(m))).toEqual([]);
    expect((await fleet.collector.stats()).rejected.index).toBe(members.length);
    const warned = fleet.logger.lines.filter((l) => l.message.includes('not heartbeat keys'));
    expect(warned).toHaveLength(1);
    expect(String(warned[0]?.fields.example).length).toBeLessThanOrEqual(120);
  });

  it('refuses a heartbeat whose body names another service than its key (impersonation)', async () => {
    const forged = fleet.heartbeat('orders', 'attacker-1');
    await write(QuasarKeys.node('attacker', 'attacker-1'), JSON.stringify(forged));
    const exported = await fleet.exportedCycle();
    expect([...exported].sort()).toEqual(honestIds);
    const nodes = (await fleet.get('/api/pulse/nodes')).json<{ nodes: Record<string, unknown[]> }>()
      .nodes;
    expect(nodes.orders).toHaveLength(2);
    expect((await fleet.collector.stats()).rejected.mismatch).toBe(1);
  });

  it("refuses a queue snapshot holding 60,000 failed jobs and serves the service's other queues", async () => {
    const failedSample = Array.from({ length: 60_000 }, (_, i) => ({
      id: String(i),
      reason: 'boom',
    }));
    const size = { waiting: 1, active: 0, failed: 60_000, delayed: 0 };
    await fleet.redis.hset(QuasarKeys.queues('orders'), {
      emails: JSON.stringify({
        name: 'emails',
        driver: 'bullmq',
        size,
        failedSample,
        observedAt: Date.now(),
      }),
      reports: JSON.stringify({ name: 'reports', driver: 'bullmq', size, observedAt: Date.now() }),
    });
    await fleet.exportedCycle();
    const res = await fleet.get('/api/pulse/queues');
    expect(res.statusCode).toBe(200);
    expect(res.body.length).toBeLessThan(10_000);
    const queues = res.json<{ queues: Record<string, Array<{ name: string }>> }>().queues;
    // `default` comes from the honest nodes' heartbeats.
    expect(queues.orders?.map((q) => q.name)).toEqual(['default', 'reports']);
    // 60,000 entries are over the field size limit: skipped before they are read.
    expect((await fleet.collector.stats()).rejected.oversized).toBe(1);
  });

  it('refuses a queue hash field that names another queue than its field', async () => {
    const size = { waiting: 1, active: 0, failed: 0, delayed: 0 };
    await fleet.redis.hset(QuasarKeys.queues('orders'), {
      emails: JSON.stringify({ name: 'payments', driver: 'bullmq', size, observedAt: Date.now() }),
    });
    await fleet.exportedCycle();
    const queues = (await fleet.get('/api/pulse/queues')).json<{
      queues: Record<string, Array<{ name: string }>>;
    }>().queues;
    expect(queues.orders?.map((q) => q.name)).toEqual(['default']);
    expect((await fleet.collector.stats()).rejected.mismatch).toBe(1);
  });

  it('keeps exporting when a listener of the snapshots throws', async () => {
    fleet.collector.state.on('update', () => {
      throw new Error('a broken listener');
    });
    const exported = await fleet.exportedCycle();
    expect([...exported].sort()).toEqual(honestIds);
    expect((await fleet.collector.stats()).publishFailures).toBe(1);
  });
});

describeWithRedis('oversized values', () => {
  let server: RedisServer;
  let fleet: HostileFleet;
  const MAX = 64 * 1024;

  beforeAll(async () => {
    server = await startRedisServer();
    fleet = await startHostileFleet(server.urlFor(0), MAX);
    await fleet.beatHonest();
  });

  afterAll(async () => {
    await fleet?.close();
    await server?.stop();
  });

  it('are refused by their length, never read: 40 values of 5 MB cost the cycles no reads', async () => {
    const pad = 'x'.repeat(5 << 20);
    for (let i = 0; i < 40; i++) {
      const hb = fleet.heartbeat('evil', `big-${i}`, { meta: { pad } });
      const key = QuasarKeys.node('evil', `big-${i}`);
      await fleet.redis.set(key, JSON.stringify(hb), 'EX', 60);
      await fleet.redis.zadd(QuasarKeys.nodeIndex, Date.now(), key);
    }
    await fleet.redis.hset(QuasarKeys.queues('orders'), 'huge', pad);
    const before = await fleet.bytesSent();
    for (let i = 0; i < 3; i++) {
      const exported = await fleet.exportedCycle();
      expect([...exported].sort()).toEqual(honestIds);
    }
    // 40 × 5 MB read three times would be 600 MB; the reads of the honest fleet are a few KB.
    expect((await fleet.bytesSent()) - before).toBeLessThan(1 << 20);
    const stats = await fleet.collector.stats();
    // Each key is counted once while it stays the same; the hash once for its skipped field.
    expect(stats.rejected.oversized).toBe(41);
  });
});
