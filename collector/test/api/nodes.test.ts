import { QuasarKeys } from '@gravito/quasar/schema';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { original } from '../support/fixtures';
import { BROKEN_KEY, bearer, startPulse, writeFleet } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';

interface NodesBody {
  nodes: Record<string, Array<Record<string, unknown>>>;
  serverTime: number;
}

/** A paused BullMQ queue, as a current agent stores it in its service's queue hash. */
const pausedQueue = {
  name: 'emails',
  driver: 'bullmq',
  size: { waiting: 3, active: 0, failed: 0, delayed: 0 },
  paused: true,
  observedAt: Date.now(),
};

describeWithRedis('GET /api/pulse/nodes', () => {
  let pulse: Pulse;

  beforeAll(async () => {
    pulse = await startPulse(await claimDatabase());
    await writeFleet(pulse.redis);
    await pulse.redis.hset(QuasarKeys.queues('billing'), 'emails', JSON.stringify(pausedQueue));
  });

  afterAll(async () => {
    await pulse?.close();
  });

  it('answers 503 QUASAR_NOT_READY before the first cycle', async () => {
    const res = await pulse.get('/api/pulse/nodes', bearer);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      error: { code: 'QUASAR_NOT_READY', message: expect.any(String) },
    });
  });

  describe('after a scan and a cycle', () => {
    let body: NodesBody;
    let status: number;

    beforeAll(async () => {
      await pulse.collector.discovery.scan();
      await pulse.cycle();
      const res = await pulse.get('/api/pulse/nodes', bearer);
      status = res.statusCode;
      body = res.json<NodesBody>();
    });

    it('answers 200 even with a malformed heartbeat in Redis', () => {
      expect(status).toBe(200);
      expect(JSON.stringify(body)).not.toContain('broken-1');
      expect(pulse.logger.lines.filter((l) => l.fields.key === BROKEN_KEY)).toHaveLength(1);
    });

    it('groups nodes by service, sorted by service then id', () => {
      expect(Object.keys(body.nodes)).toEqual(['billing', 'my-laravel-app', 'worker-orders']);
      expect(body.nodes.billing?.map((n) => n.id)).toEqual(['billing-a-1', 'billing-b-2']);
    });

    it('includes both original agents, which never write the index', () => {
      expect(body.nodes['my-laravel-app']?.[0]).toMatchObject({
        id: 'app-server-01-3121',
        language: 'go',
        meta: { laravel: { workerCount: 1 } },
      });
      expect(body.nodes['worker-orders']?.[0]).toMatchObject({
        id: 'worker-01-48213',
        language: 'bun',
      });
    });

    it("adds the collector's verdict on the Redis clock to each heartbeat", () => {
      for (const list of Object.values(body.nodes)) {
        for (const node of list) {
          expect(node.status).toBe('online');
          expect(node.ageMs).toEqual(expect.any(Number));
          expect(node.ageMs as number).toBeLessThan(5000);
          expect(node.lastSeenAt as number).toBeLessThanOrEqual(body.serverTime);
        }
      }
    });

    it('reports the Redis server time', () => {
      expect(Math.abs(body.serverTime - Date.now())).toBeLessThan(5000);
    });

    it('serves the queues by service', async () => {
      const res = await pulse.get('/api/pulse/queues', bearer);
      expect(res.statusCode).toBe(200);
      const queues = res.json<{
        queues: Record<string, Array<Record<string, unknown>>>;
        serverTime: number;
      }>();
      expect(queues.serverTime).toBe(body.serverTime);
      expect(queues.queues['my-laravel-app']).toEqual([
        expect.objectContaining({
          name: 'default',
          driver: 'redis',
          size: { waiting: 5, active: 2, failed: 0, delayed: 3 },
          source: 'heartbeat',
          reportedBy: 'app-server-01-3121',
        }),
      ]);
    });

    it('passes the paused flag of a queue snapshot through unchanged', async () => {
      const res = await pulse.get('/api/pulse/queues', bearer);
      const { queues } = res.json<{ queues: Record<string, Array<Record<string, unknown>>> }>();
      const emails = queues.billing?.find((q) => q.name === 'emails');
      expect(emails).toEqual({ ...pausedQueue, source: 'hash' });
    });

    it('answers 404 QUASAR_NOT_FOUND for an unknown route', async () => {
      for (const url of ['/nope', '/api/pulse/nope']) {
        const res = await pulse.get(url, bearer);
        expect(res.statusCode).toBe(404);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('QUASAR_NOT_FOUND');
      }
    });
  });
});

describeWithRedis('the read routes with hostile input', () => {
  let pulse: Pulse;

  beforeAll(async () => {
    pulse = await startPulse(await claimDatabase());
    const now = Date.now();
    // A service named like the prototype key: data, so just another key of the reply.
    const hb = original('nodeBun', { service: '__proto__', id: 'proto-1' }, now);
    const key = QuasarKeys.node('__proto__', 'proto-1');
    await pulse.redis.set(key, JSON.stringify(hb), 'EX', 30);
    await pulse.redis.zadd(QuasarKeys.nodeIndex, now, key);
    await pulse.redis.hset(QuasarKeys.queues('__proto__'), 'emails', JSON.stringify(pausedQueue));
    await pulse.cycle();
  });

  afterAll(async () => {
    await pulse?.close();
  });

  it('serves a service named __proto__ as an ordinary key of the nodes reply', async () => {
    const res = await pulse.get('/api/pulse/nodes', bearer);
    expect(res.statusCode).toBe(200);
    // JSON.parse keeps `__proto__` as an own key, so the reply can be checked as data.
    const body = JSON.parse(res.body) as { nodes: Record<string, unknown[]> };
    expect(Object.hasOwn(body.nodes, '__proto__')).toBe(true);
    expect(res.body).toContain('"__proto__":[{');
    expect(res.body).toContain('"proto-1"');
  });

  it('serves the queues of a service named __proto__', async () => {
    const res = await pulse.get('/api/pulse/queues', bearer);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('"__proto__":[{');
  });

  it.each(['/api/pulse/nodes', '/api/pulse/queues', '/api/pulse/stream'])(
    'rejects unknown query parameters on %s with 400 QUASAR_BAD_REQUEST',
    async (path) => {
      for (const query of ['?__proto__=1', '?x=1&x=2', '?service=billing&x=1']) {
        const res = await pulse.get(`${path}${query}`, bearer);
        expect(res.statusCode).toBe(400);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('QUASAR_BAD_REQUEST');
      }
    },
  );
});
