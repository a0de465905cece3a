/**
 * Failure groups in the Pulse API, end to end: a real BullMQ worker fails jobs with three kinds
 * of errors, a real SDK agent probes the queue and writes its snapshot, the collector reads it,
 * and `GET /api/pulse/queues` serves the groups with exact counts. A hostile snapshot in the
 * queue hash reaches the reply only as bounded, validated groups.
 */
import { Queue, Worker } from 'bullmq';
import { QuasarAgent } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { FailureGroupsView, QueueSnapshot } from '@gravito/quasar/schema';
import {
  bullmqConnection,
  claimDatabase,
  describeWithRedis,
  eventually,
} from '../../../testing/redis';
import { bearer, startPulse } from './pulse-fixture';
import type { Pulse } from './pulse-fixture';

const prefix = '{bull}';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function declineCard(n: number): never {
  throw new Error(`Card ending ${1000 + n} declined`);
}
function lockRow(n: number): never {
  throw new Error(`Deadlock on row ${n * 13} of "orders"`);
}
function callCarrier(n: number): never {
  throw new Error(`Carrier API answered 50${n % 4} after ${900 + n} ms`);
}
const FAILS: Record<string, (n: number) => never> = {
  charge: declineCard,
  reserve: lockRow,
  ship: callCarrier,
};

type Queues = Record<string, QueueSnapshot[]>;

describeWithRedis('failure groups in GET /api/pulse/queues', () => {
  let pulse: Pulse;
  let queue: Queue;
  let worker: Worker;
  let agent: QuasarAgent;

  const queuesOf = async (): Promise<Queues> => {
    await pulse.cycle();
    return (await pulse.get('/api/pulse/queues', bearer)).json<{ queues: Queues }>().queues;
  };

  beforeAll(async () => {
    const url = await claimDatabase();
    pulse = await startPulse(url);
    const connection = bullmqConnection(url);
    queue = new Queue('orders', { connection, prefix });
    worker = new Worker(
      'orders',
      (job) => (FAILS[job.name] ?? declineCard)((job.data as { n: number }).n),
      { connection, prefix, concurrency: 10 },
    );
    const counts: Record<string, number> = { charge: 5, reserve: 3, ship: 2 };
    await queue.addBulk(
      Object.entries(counts).flatMap(([name, count]) =>
        Array.from({ length: count }, (_, n) => ({ name, data: { n } })),
      ),
    );
    await eventually(
      async () => ((await queue.getFailedCount()) === 10 ? true : undefined),
      20_000,
      '10 failed jobs',
    );
    agent = new QuasarAgent({
      service: 'shop',
      name: 'shop-1',
      interval: 500,
      transport: { url },
      logger: silent,
      otel: { enabled: false },
    });
    agent.monitorQueue('orders', 'bullmq', { prefix });
    await agent.start();
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    await worker?.close();
    await queue?.close();
    await pulse?.close();
  });

  it('serves the groups an agent read from real BullMQ, with exact counts', async () => {
    const groups = await eventually(
      async () => (await queuesOf()).shop?.find((q) => q.name === 'orders')?.failureGroups,
      15_000,
      'the orders queue with failure groups',
    );
    expect(groups).toMatchObject({ others: 0, scanned: 10 });
    expect(groups.groups.map((g) => [g.message, g.count, g.frame?.split(' ')[0]])).toEqual([
      ['Card ending <n> declined', 5, 'declineCard'],
      ['Deadlock on row <n> of <str>', 3, 'lockRow'],
      ['Carrier API answered <n> after <n> ms', 2, 'callCarrier'],
    ]);
    for (const group of groups.groups) {
      expect(group.key).toMatch(/^[0-9a-f]{16}$/);
      expect(group.example.id).toEqual(expect.any(String));
      expect(group.lastSeen).toBeGreaterThanOrEqual(group.firstSeen ?? Infinity);
    }
  });

  it('serves a hostile snapshot only as bounded, validated groups', async () => {
    const good = {
      key: 'abc',
      message: '<img src=x onerror=alert(1)>',
      count: 2,
      example: { id: '1', reason: 'x'.repeat(1_500) },
    };
    const hostile = {
      name: 'evil',
      driver: 'bullmq',
      size: { waiting: 0, active: 0, failed: 40, delayed: 0 },
      observedAt: Date.now(),
      failureGroups: {
        groups: [
          { ...good, key: '__proto__' },
          { ...good, count: NaN },
          ...Array.from({ length: 30 }, (_, i) => ({ ...good, key: `k${i}` })),
        ],
        others: 0,
        scanned: 40,
      },
    };
    // Into the hash of either key layout: the collector reads the one the service's nodes use.
    for (const key of [QuasarKeys.queues('shop'), QuasarKeys.v2.queues('shop')]) {
      await pulse.redis.hset(key, 'evil', JSON.stringify(hostile));
    }

    const evil = await eventually(
      async () => (await queuesOf()).shop?.find((q) => q.name === 'evil'),
      10_000,
      'the evil queue',
    );
    const groups = evil.failureGroups as FailureGroupsView;
    expect(groups.groups).toHaveLength(10);
    expect(groups.groups.map((g) => g.key)).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`));
    expect(groups.groups[0]?.message).toBe(good.message);
    expect(groups.groups[0]?.example.reason).toHaveLength(200);
  });
});
