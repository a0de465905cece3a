/**
 * A MONITOR connection that survives a busy server. ioredis marks a connection as monitoring
 * only after it has handled MONITOR's reply; a line of another client's command that arrives in
 * the same read has no command to match and is emitted as an `error`, which, unheard, fails
 * whatever test is running. Such a line ran before the monitor was ready, so dropping it loses
 * nothing a caller watches: it starts acting only once this resolves.
 */
import type Redis from 'ioredis';

export async function startMonitor(client: Redis): Promise<Redis> {
  const monitor = client.duplicate({ monitor: true, lazyConnect: false });
  monitor.on('error', () => undefined);
  await new Promise<void>((resolve) => monitor.once('monitoring', () => resolve()));
  return monitor;
}
