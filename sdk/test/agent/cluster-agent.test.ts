/**
 * The agent on a real Redis Cluster: the v2 layout by default (every key of the service in one
 * slot), the service index refreshed at start and not on every beat, the v1 layout when asked
 * for, and an application's own `Cluster` client.
 */
import { Cluster } from 'ioredis';
import { QuasarAgent } from '../../src';
import type { QuasarLogger } from '../../src';
import { keySlot } from '../../src/redis/key-slot';
import { createRedisClient } from '../../src/redis/redis-client';
import type { RedisClient } from '../../src/redis/redis-client';
import { QuasarKeys, parseHeartbeat } from '../../src/schema';
import type { Heartbeat } from '../../src/schema';
import {
  describeWithRedisCluster,
  eventually,
  testClusterUrl,
  uniqueName,
} from '../../../testing/redis';
import { startRedisCluster } from '../../../testing/redis-cluster';
import type { RedisCluster } from '../../../testing/redis-cluster';

const silent: QuasarLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** The heartbeat stored at `key`, once it is there and valid. */
async function heartbeatAt(redis: RedisClient, key: string): Promise<Heartbeat> {
  return eventually(
    async () => {
      const raw = await redis.get(key);
      const parsed = raw ? parseHeartbeat(raw) : undefined;
      return parsed?.ok ? parsed.value : undefined;
    },
    10_000,
    `the heartbeat at ${key}`,
  );
}

describeWithRedisCluster('QuasarAgent on a Redis Cluster (v2 layout)', () => {
  let redis: RedisClient;
  const agents: QuasarAgent[] = [];

  beforeAll(async () => {
    redis = createRedisClient(testClusterUrl() as string, { lazyConnect: true });
    await redis.connect();
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('writes the v2 node key into its service index, and the service into the service index', async () => {
    const service = uniqueName('cl-v2');
    const agent = new QuasarAgent({
      service,
      name: 'web',
      // A beat's deadline is its interval: leave the first one time to reach every primary,
      // on a busy machine too.
      interval: 1000,
      logger: silent,
      otel: { enabled: false },
      transport: { url: testClusterUrl() },
    });
    agents.push(agent);
    expect(await agent.start()).toEqual({ nodeId: agent.getNodeId(), connected: true });
    const key = QuasarKeys.v2.node(service, agent.getNodeId());
    expect(key).toBe(`gravito:quasar:node:{${service}}:${agent.getNodeId()}`);

    const beat = await heartbeatAt(redis, key);
    expect(beat.keyLayout).toBe('v2');
    expect(await redis.zscore(QuasarKeys.v2.nodeIndex(service), key)).not.toBeNull();
    const announced = Number(await redis.zscore(QuasarKeys.services, service));
    expect(announced).toBeGreaterThan(Date.now() - 60_000);
    // Nothing in the v1 layout.
    expect(await redis.exists(QuasarKeys.node(service, agent.getNodeId()))).toBe(0);
    expect(await redis.zscore(QuasarKeys.nodeIndex, key)).toBeNull();
    // The node key and its index share a slot: one node takes the whole beat.
    expect(keySlot(QuasarKeys.v2.nodeIndex(service))).toBe(keySlot(key));

    // Several more beats go by; the service index keeps the start's announcement.
    const firstScore = Number(await redis.zscore(QuasarKeys.v2.nodeIndex(service), key));
    await eventually(
      async () => {
        const score = Number(await redis.zscore(QuasarKeys.v2.nodeIndex(service), key));
        return score >= firstScore + 3000 ? true : undefined;
      },
      15_000,
      'three more beats',
    );
    expect(Number(await redis.zscore(QuasarKeys.services, service))).toBe(announced);

    await agent.stop();
    expect(await redis.exists(key)).toBe(0);
    expect(await redis.zscore(QuasarKeys.v2.nodeIndex(service), key)).toBeNull();
  }, 45_000);

  it('writes queue snapshots to the v2 queue hash and slow entries to the v2 stream', async () => {
    const service = uniqueName('cl-q');
    // A plain list queue without a hash tag: its keys sit in different slots, and the probe
    // still reads every one of them.
    const queue = uniqueName('jobs');
    await redis.rpush(queue, 'a', 'b', 'c');
    await redis.rpush(`${queue}:failed`, 'x');
    await redis.zadd(`${queue}:delayed`, 1, 'd');
    expect(new Set([queue, `${queue}:failed`, `${queue}:delayed`].map(keySlot)).size).toBe(3);

    const agent = new QuasarAgent({
      service,
      interval: 400,
      logger: silent,
      otel: { enabled: false },
      transport: { url: testClusterUrl() },
    });
    agents.push(agent);
    agent.monitorQueue(queue, 'redis');
    await agent.start();

    // A busy machine can make the very first read (new connections to every primary) miss
    // its deadline; the next beat's read is the one that counts.
    const snapshot = await eventually(
      async () => {
        const raw = await redis.hget(QuasarKeys.v2.queues(service), queue);
        const parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
        return parsed && parsed.error === undefined ? parsed : undefined;
      },
      15_000,
      'a queue snapshot without error',
    );
    expect(snapshot).toMatchObject({
      name: queue,
      driver: 'redis',
      size: { waiting: 3, active: 0, failed: 1, delayed: 1 },
    });
    expect(await redis.exists(QuasarKeys.queues(service))).toBe(0);

    expect(agent.recordSlow({ kind: 'request', name: 'GET /slow', durationMs: 5000 })).toBe(true);
    const entries = await eventually(
      async () => {
        const found = await redis.xrange(QuasarKeys.v2.slowLog(service), '-', '+');
        return found.length > 0 ? found : undefined;
      },
      15_000,
      'the slow entry',
    );
    expect(entries[0]?.[1]).toEqual(expect.arrayContaining(['name', 'GET /slow']));
    expect(await redis.exists(QuasarKeys.slowLog(service))).toBe(0);
    for (const key of [queue, `${queue}:failed`, `${queue}:delayed`]) await redis.del(key);
  }, 45_000);

  it("beats on the application's own Cluster client, v2 by default, and leaves it open", async () => {
    const service = uniqueName('cl-client');
    const [seed] = (testClusterUrl() as string).slice('redis+cluster://'.length).split(',');
    const [host, port] = (seed as string).split(':');
    const client: Cluster = new Cluster([{ host: host as string, port: Number(port) }]);
    try {
      const agent = new QuasarAgent({
        service,
        // The first beat's deadline is its interval, and this client is still connecting.
        interval: 1000,
        logger: silent,
        otel: { enabled: false },
        transport: { client },
      });
      agents.push(agent);
      expect(await agent.start()).toMatchObject({ connected: true });
      const beat = await heartbeatAt(redis, QuasarKeys.v2.node(service, agent.getNodeId()));
      expect(beat.keyLayout).toBe('v2');
      await agent.stop();
      expect(client.status).toBe('ready');
    } finally {
      client.disconnect();
    }
  });
});

// The v1 layout writes the fleet-wide node index, so this runs on a cluster of its own.
describeWithRedisCluster('QuasarAgent on a Redis Cluster with keyLayout v1', () => {
  let cluster: RedisCluster;
  let redis: RedisClient;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    redis = createRedisClient(cluster.url, { lazyConnect: true });
    await redis.connect();
  }, 60_000);
  afterAll(async () => {
    await redis.quit();
    await cluster.stop();
  });

  it('writes the v1 keys it was told to, and no service index entry', async () => {
    const agent = new QuasarAgent({
      service: 'orders',
      interval: 200,
      logger: silent,
      otel: { enabled: false },
      transport: { url: cluster.url },
      keyLayout: 'v1',
    });
    try {
      agent.monitorQueue('emails', 'redis');
      await agent.start();
      const key = QuasarKeys.node('orders', agent.getNodeId());
      const beat = await heartbeatAt(redis, key);
      expect(beat).not.toHaveProperty('keyLayout');
      // In v1 the index and the queue hash sit in other slots, on other primaries: their
      // writes of the same beat may land after the node key (a connection still opening).
      await eventually(
        async () => ((await redis.zscore(QuasarKeys.nodeIndex, key)) !== null ? true : undefined),
        10_000,
        'the node in the v1 index',
      );
      await eventually(
        async () =>
          (await redis.hexists(QuasarKeys.queues('orders'), 'emails')) === 1 ? true : undefined,
        10_000,
        'the queue in the v1 queue hash',
      );
      expect(await redis.exists(QuasarKeys.v2.node('orders', agent.getNodeId()))).toBe(0);
      expect(await redis.zscore(QuasarKeys.services, 'orders')).toBeNull();
    } finally {
      await agent.stop();
    }
  });
});
