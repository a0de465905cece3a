/** The Redis server's clock: the one clock every reader agrees on, whatever the agents' skew. */
import type { RedisClient } from '@gravito/quasar';

/** `TIME` as epoch milliseconds (with the microseconds as a fraction). */
export async function redisTimeMs(client: RedisClient): Promise<number> {
  const [seconds, micros] = await client.time();
  return Number(seconds) * 1000 + Number(micros) / 1000;
}
