/**
 * Starts one private Redis for a workspace's test run and hands its URL to the test files
 * through `QUASAR_TEST_REDIS_URL`. Under `CI=true` a missing `redis-server` fails the run.
 */
import { hasRedisServer, startRedisServer } from './redis-server';
import type { RedisServer } from './redis-server';

declare global {
  var __quasarRedis: RedisServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (!hasRedisServer()) {
    const message =
      'redis-server is not on the PATH: install it with `apt-get install -y redis-server`.';
    if (process.env.CI === 'true') throw new Error(`${message} CI=true: failing, not skipping.`);
    process.stderr.write(`\n*** ${message} Redis suites will be SKIPPED. ***\n\n`);
    return;
  }
  const server = await startRedisServer({ args: ['--databases', '128'] });
  globalThis.__quasarRedis = server;
  process.env.QUASAR_TEST_REDIS_URL = server.url;
}
