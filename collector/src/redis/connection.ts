/**
 * The collector's Redis connections. A URL keeps its credentials, database and TLS; the
 * blocking slow-log reader gets its own connection so a BLOCK never stalls a cycle.
 */
import Redis from 'ioredis';

/** Reconnect back-off: 100 ms doubling to 5 s, with jitter. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(5000, 100 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * Commands issued while Redis is away wait in the offline queue, but only one cycle's worth
 * can be waiting (cycles never overlap), so memory stays bounded; each command is retried at
 * most once after a reconnect.
 */
export function openRedis(url: string, role: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    connectionName: `quasar-collector:${role}`,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    retryStrategy: reconnectDelay,
  });
}

/** QUIT when connected, otherwise drop the socket without waiting. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}
