/** The monitor connection of a probe context, for probes that read Redis. */
import type { RedisClient } from '../redis/redis-client';
import type { ProbeContext } from './types';

/** The application's Redis; the queue monitor always sets it for `usesRedis` probe types. */
export function monitorRedis(context: ProbeContext): RedisClient {
  if (!context.redis) throw new Error('no monitor Redis connection');
  return context.redis;
}
