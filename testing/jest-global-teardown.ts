/** Stops the Redis started by `jest-global-setup`. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__quasarRedis?.stop();
}
