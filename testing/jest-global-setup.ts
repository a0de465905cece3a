/**
 * Starts one private Redis and one private Redis Cluster (3 primaries, 3 replicas) for a
 * workspace's test run, and hands their URLs to the test files through `QUASAR_TEST_REDIS_URL`
 * and `QUASAR_TEST_CLUSTER_URL`. Under `CI=true` a missing `redis-server` or `redis-cli`, or a
 * cluster that does not come up, fails the run.
 */
import { hasRedisServer, startRedisServer } from './redis-server';
import type { RedisServer } from './redis-server';
import { redisClusterProblem, startRedisCluster } from './redis-cluster';
import type { RedisCluster } from './redis-cluster';

declare global {
  var __quasarRedis: RedisServer | undefined;
  var __quasarCluster: RedisCluster | undefined;
}

function missing(message: string): void {
  if (process.env.CI === 'true') throw new Error(`${message} CI=true: failing, not skipping.`);
  process.stderr.write(`\n*** ${message} Suites needing it will be SKIPPED. ***\n\n`);
}

async function startCluster(): Promise<void> {
  const problem = redisClusterProblem();
  if (problem) return missing(`${problem}.`);
  const cluster = await startRedisCluster();
  globalThis.__quasarCluster = cluster;
  process.env.QUASAR_TEST_CLUSTER_URL = cluster.url;
}

export default async function globalSetup(): Promise<void> {
  if (!hasRedisServer()) {
    return missing(
      'redis-server is not on the PATH: install it with `apt-get install -y redis-server`.',
    );
  }
  const [server] = await Promise.all([
    startRedisServer({ args: ['--databases', '128'] }),
    startCluster(),
  ]);
  globalThis.__quasarRedis = server;
  process.env.QUASAR_TEST_REDIS_URL = server.url;
}
