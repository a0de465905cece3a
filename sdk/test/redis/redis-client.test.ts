/**
 * `createRedisClient` and `duplicateRedisClient` against the run's real Redis Cluster
 * (3 primaries, 3 replicas) and the run's single Redis.
 */
import Redis from 'ioredis';
import type { Cluster } from 'ioredis';
import {
  createRedisClient,
  duplicateRedisClient,
  isClusterClient,
} from '../../src/redis/redis-client';
import type { RedisClient } from '../../src/redis/redis-client';
import { QuasarKeys } from '../../src/schema';
import {
  claimDatabase,
  describeWithRedis,
  describeWithRedisCluster,
  testClusterUrl,
  uniqueName,
} from '../../../testing/redis';

const open: RedisClient[] = [];
function track<T extends RedisClient>(client: T): T {
  open.push(client);
  return client;
}
afterEach(() => {
  for (const client of open.splice(0)) client.disconnect();
});

describeWithRedisCluster('a redis+cluster:// URL, on a real Redis Cluster', () => {
  it('opens a cluster client that follows slots across every primary', async () => {
    const client = track(createRedisClient(testClusterUrl() as string, { lazyConnect: true }));
    expect(isClusterClient(client)).toBe(true);
    await client.connect();
    const prefix = uniqueName('url');
    // 200 keys spread over the three primaries: a single-endpoint client would get MOVED.
    for (let i = 0; i < 200; i += 1) await client.set(`${prefix}:${i}`, String(i));
    for (let i = 0; i < 200; i += 1) expect(await client.get(`${prefix}:${i}`)).toBe(String(i));
    const primaries = (client as Cluster).nodes('master');
    expect(primaries).toHaveLength(3);
    const perPrimary = await Promise.all(primaries.map((node) => node.dbsize()));
    expect(perPrimary.filter((n) => n > 0)).toHaveLength(3);
  });

  it('puts every v2 key of one service in one slot, and different services apart', async () => {
    const client = track(createRedisClient(testClusterUrl() as string, { lazyConnect: true }));
    await client.connect();
    const slotOf = async (key: string) => Number(await client.call('CLUSTER', 'KEYSLOT', key));
    const slots = await Promise.all(
      [
        QuasarKeys.v2.node('orders', 'web-1-123'),
        QuasarKeys.v2.node('orders', 'worker-9-1'),
        QuasarKeys.v2.nodeIndex('orders'),
        QuasarKeys.v2.queues('orders'),
        QuasarKeys.v2.slowLog('orders'),
      ].map(slotOf),
    );
    expect(new Set(slots).size).toBe(1);
    const services = Array.from({ length: 20 }, (_, i) => `svc-${i}`);
    const serviceSlots = await Promise.all(services.map((s) => slotOf(QuasarKeys.v2.nodeIndex(s))));
    expect(new Set(serviceSlots).size).toBeGreaterThan(15);
  });

  it('keeps credentials and options when duplicated', async () => {
    const admin = track(createRedisClient(testClusterUrl() as string, { lazyConnect: true }));
    await admin.connect();
    const user = uniqueName('quasar-dup');
    // An ACL user on every primary and replica (ACLs are per node).
    const all = (admin as Cluster).nodes('all');
    await Promise.all(
      all.map((node) =>
        node.call('ACL', 'SETUSER', user, 'on', '>dup-secret', '~*', '&*', '+@all'),
      ),
    );
    const url = (testClusterUrl() as string).replace('://', `://${user}:dup-secret@`);
    const client = track(
      createRedisClient(url, { lazyConnect: true, connectionName: 'quasar:dup-test' }),
    );
    await client.connect();
    const copy = track(duplicateRedisClient(client, { lazyConnect: true }));
    expect(isClusterClient(copy)).toBe(true);
    await copy.connect();
    const key = `${uniqueName('dup')}:k`;
    await copy.set(key, 'v');
    expect(await client.get(key)).toBe('v');
    expect(await copy.call('ACL', 'WHOAMI')).toBe(user);
    const names = String(await copy.call('CLIENT', 'GETNAME'));
    expect(names).toBe('quasar:dup-test');

    const wrong = track(
      createRedisClient(url.replace('dup-secret', 'nope'), {
        lazyConnect: true,
        enableOfflineQueue: false,
        retryStrategy: () => null,
      }),
    );
    wrong.on('error', () => undefined);
    await expect(wrong.connect()).rejects.toThrow();
  });
});

describeWithRedis('a redis:// URL', () => {
  it('opens a single-endpoint client, and its duplicate keeps the database', async () => {
    const url = await claimDatabase();
    const client = track(createRedisClient(url, { lazyConnect: true }));
    expect(isClusterClient(client)).toBe(false);
    expect(client).toBeInstanceOf(Redis);
    await client.connect();
    await client.set('k', 'single');
    const copy = track(duplicateRedisClient(client));
    expect(await copy.get('k')).toBe('single');
  });
});
