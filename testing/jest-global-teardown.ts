/** Stops the Redis and the Redis Cluster started by `jest-global-setup`. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all([globalThis.__quasarRedis?.stop(), globalThis.__quasarCluster?.stop()]);
}
