/**
 * A primary of a real Redis Cluster killed, before the cluster fails it over (a long node
 * timeout keeps it failed for the whole test): the collector's per-node pipelines fail its
 * slots' commands at once with a clear error, and still answer every other slot.
 */
import type { Cluster } from 'ioredis';
import { closeRedis, openRedis } from '../../src/redis/connection';
import { execPerItem, execPerKey } from '../../src/redis/slot-groups';
import { describeUnless } from '../../../testing/gate';
import { eventually } from '../../../testing/redis';
import { redisClusterProblem, startRedisCluster } from '../../../testing/redis-cluster';
import type { RedisCluster } from '../../../testing/redis-cluster';

describeUnless(redisClusterProblem())('a dead primary, before its failover', () => {
  let cluster: RedisCluster;
  let client: Cluster;
  const keys = Array.from({ length: 60 }, (_, i) => `dead-primary:{k${i}}`);

  beforeAll(async () => {
    cluster = await startRedisCluster({ nodeTimeoutMs: 60_000 });
    client = openRedis(cluster.url, 'test') as Cluster;
    client.on('error', () => undefined);
    await client.connect();
    for (const key of keys) await client.set(key, key);
    // Every primary answered once: its connection has been seen ready.
    await execPerKey(
      client,
      keys,
      () => client.pipeline(),
      (p, i) => p.get(keys[i]!),
    );
  }, 60_000);

  afterAll(async () => {
    await closeRedis(client);
    await cluster?.stop();
  });

  it("fails the dead primary's slots at once, naming it, and reads the others", async () => {
    const victim = await cluster.primaryFor(keys[0]!);
    const onVictim = new Set<string>();
    for (const key of keys) if ((await cluster.primaryFor(key)) === victim) onVictim.add(key);
    expect(onVictim.size).toBeGreaterThan(0);
    expect(onVictim.size).toBeLessThan(keys.length);

    await victim.kill();
    // The client notices when its connection to the node closes.
    await eventually(
      () => {
        const node = client
          .nodes('master')
          .find((n) => `${n.options.host}:${n.options.port}` === victim.address);
        return node && node.status !== 'ready' ? true : undefined;
      },
      5_000,
      "the client to see the node's connection lost",
    );

    const replies = await execPerKey(
      client,
      keys,
      () => client.pipeline(),
      (pipeline, i) => pipeline.get(keys[i]!),
    );
    keys.forEach((key, i) => {
      const [error, value] = replies[i]!;
      if (onVictim.has(key)) {
        expect(String(error)).toMatch(`cluster node ${victim.address} is unreachable`);
      } else {
        expect([error, value]).toEqual([null, key]);
      }
    });

    const perItem = await execPerItem(
      client,
      keys,
      (key) => key,
      (pipeline, key) => void pipeline.strlen(key),
    );
    keys.forEach((key, i) => {
      const [[error, value]] = perItem[i] as [[Error | null, unknown]];
      if (onVictim.has(key)) expect(String(error)).toMatch('is unreachable');
      else expect([error, value]).toEqual([null, key.length]);
    });

    // The primary comes back under its address before any failover (a restart within the node
    // timeout): it is asked again.
    await victim.restart();
    await eventually(
      async () => {
        const again = await execPerKey(
          client,
          keys,
          () => client.pipeline(),
          (pipeline, i) => pipeline.get(keys[i]!),
        );
        // Its keys are gone (the test nodes keep no data on disk); the others' are intact.
        return again.every(
          ([error, value], i) =>
            error === null && value === (onVictim.has(keys[i]!) ? null : keys[i]),
        )
          ? true
          : undefined;
      },
      10_000,
      'every slot answered again once the primary is back',
    );
  });
});
