import { QuasarKeys } from '@gravito/quasar/schema';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';
import { original } from '../support/fixtures';
import { bearer, startPulse } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';

interface NodesBody {
  nodes: Record<string, Array<Record<string, unknown>>>;
  serverTime: number;
  total?: number;
  next?: string;
}

/** `service/id` of every node of a reply, in reply order. */
const idsOf = (body: NodesBody) =>
  Object.entries(body.nodes).flatMap(([service, nodes]) =>
    nodes.map((n) => `${service}/${String(n.id)}`),
  );

/** 3 services: api (5 nodes), Billing (4), jobs (3, one gone offline). */
const FLEET = [
  ...Array.from({ length: 5 }, (_, i) => ({
    service: 'api',
    id: `api-${i}`,
    hostname: `web-${i}`,
  })),
  ...Array.from({ length: 4 }, (_, i) => ({
    service: 'Billing',
    id: `bill-${i}`,
    hostname: `pay-${i}`,
  })),
  ...Array.from({ length: 3 }, (_, i) => ({
    service: 'jobs',
    id: `job-${i}`,
    hostname: `WORKER-${i}`,
  })),
];

describeWithRedis('the Pulse filters, pages and summaries', () => {
  let pulse: Pulse;

  beforeAll(async () => {
    pulse = await startPulse(await claimDatabase());
    const now = Date.now();
    for (const node of FLEET) {
      const hb = original('nodeBun', { ...node, interval: 5000 }, now);
      const key = QuasarKeys.node(node.service, node.id);
      await pulse.redis.set(key, JSON.stringify(hb), 'EX', 30);
      await pulse.redis.zadd(QuasarKeys.nodeIndex, now, key);
    }
    for (const service of ['api', 'jobs']) {
      const queue = {
        name: `${service}-q`,
        driver: 'bullmq',
        size: { waiting: 1 },
        observedAt: now,
      };
      await pulse.redis.hset(QuasarKeys.queues(service), queue.name, JSON.stringify(queue));
    }
    await pulse.cycle();
    // jobs/job-2 stops cleanly: its key goes, and the collector reports it offline.
    await pulse.redis.del(QuasarKeys.node('jobs', 'job-2'));
    await pulse.cycle();
  });

  afterAll(async () => {
    await pulse?.close();
  });

  const nodes = async (query: string) => {
    const res = await pulse.get(`/api/pulse/nodes${query}`, bearer);
    expect(res.statusCode).toBe(200);
    return res.json<NodesBody>();
  };

  it('answers without parameters exactly as before: no total, no next', async () => {
    const body = await nodes('');
    expect(body.total).toBeUndefined();
    expect(body.next).toBeUndefined();
    expect(idsOf(body)).toHaveLength(12);
  });

  it('keeps one service, or several when service repeats', async () => {
    expect(idsOf(await nodes('?service=jobs'))).toEqual(['jobs/job-0', 'jobs/job-1', 'jobs/job-2']);
    const two = await nodes('?service=jobs&service=Billing');
    expect(Object.keys(two.nodes)).toEqual(['Billing', 'jobs']);
    expect(two.total).toBe(12);
  });

  it('matches service names exactly', async () => {
    expect(idsOf(await nodes('?service=billing'))).toEqual([]);
  });

  it('keeps the statuses asked for', async () => {
    expect(idsOf(await nodes('?status=offline'))).toEqual(['jobs/job-2']);
    expect(idsOf(await nodes('?status=online&status=offline'))).toHaveLength(12);
    expect(idsOf(await nodes('?status=stale'))).toEqual([]);
  });

  it('searches service, node id and hostname, ignoring case', async () => {
    expect(idsOf(await nodes('?q=worker-1'))).toEqual(['jobs/job-1']);
    expect(idsOf(await nodes('?q=BILL-3'))).toEqual(['Billing/bill-3']);
    expect(idsOf(await nodes('?q=API'))).toHaveLength(5);
    expect(idsOf(await nodes('?q=api&status=online&service=api'))).toHaveLength(5);
  });

  it('pages through every node once, in order, with an opaque cursor', async () => {
    const all = idsOf(await nodes('?fields=full'));
    const seen: string[] = [];
    let query = '?limit=5';
    for (let page = 0; page < 10; page++) {
      const body = await nodes(query);
      seen.push(...idsOf(body));
      if (body.next === undefined) break;
      expect(body.next).toMatch(/^[A-Za-z0-9_-]+$/);
      query = `?limit=5&cursor=${body.next}`;
    }
    expect(seen).toEqual(all);
    expect(seen).toEqual(idsOf(await nodes('')));
  });

  it('pages a filtered list', async () => {
    const first = await nodes('?service=api&limit=3');
    expect(idsOf(first)).toEqual(['api/api-0', 'api/api-1', 'api/api-2']);
    const second = await nodes(`?service=api&limit=3&cursor=${first.next}`);
    expect(idsOf(second)).toEqual(['api/api-3', 'api/api-4']);
    expect(second.next).toBeUndefined();
  });

  it('reduces each node to its summary, which still carries the verdict', async () => {
    const body = await nodes('?fields=summary&service=api&limit=1');
    const [node] = body.nodes.api ?? [];
    expect(Object.keys(node ?? {}).sort()).toEqual(
      [
        'ageMs',
        'cpu',
        'hostname',
        'id',
        'language',
        'lastSeenAt',
        'memory',
        'service',
        'status',
      ].sort(),
    );
    expect(node?.status).toBe('online');
    const full = (await nodes('?service=api&limit=1')).nodes.api?.[0];
    expect(node?.cpu).toEqual(full?.cpu);
    expect((node?.memory as { system: unknown }).system).toEqual(
      (full?.memory as { system: unknown }).system,
    );
    expect(JSON.stringify(node).length * 2).toBeLessThan(JSON.stringify(full).length);
  });

  it('filters the queues by service', async () => {
    const res = await pulse.get('/api/pulse/queues?service=jobs', bearer);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json<{ queues: object }>().queues)).toEqual(['jobs']);
  });

  it.each([
    ['a cursor this API did not issue', '?cursor=bm90LWEtY3Vyc29y'],
    [
      'a cursor naming an invalid service',
      `?cursor=${Buffer.from('["a b","x"]').toString('base64url')}`,
    ],
    ['a cursor that is not base64url', '?cursor=a%2Bb'],
    ['a limit over the bound', '?limit=5001'],
    ['a limit of Infinity', '?limit=Infinity'],
    ['an unknown status', '?status=dead'],
    ['an unknown fields value', '?fields=all'],
    ['a search over 100 characters', `?q=${'x'.repeat(101)}`],
    ['a search with a control character', '?q=a%01b'],
    [
      'more than 50 services',
      `?${Array.from({ length: 51 }, (_, i) => `service=s${i}`).join('&')}`,
    ],
    ['an unknown parameter', '?service=api&page=2'],
  ])('refuses %s with 400 QUASAR_BAD_REQUEST', async (_what, query) => {
    const res = await pulse.get(`/api/pulse/nodes${query}`, bearer);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('QUASAR_BAD_REQUEST');
  });

  it('refuses a cursor, a limit or delta=2 on the stream, and limit on the queues', async () => {
    for (const path of [
      '/api/pulse/stream?cursor=abc',
      '/api/pulse/stream?limit=5',
      '/api/pulse/stream?delta=2',
      '/api/pulse/queues?limit=5',
      '/api/pulse/queues?status=online',
    ]) {
      const res = await pulse.get(path, bearer);
      expect(res.statusCode).toBe(400);
    }
  });
});
