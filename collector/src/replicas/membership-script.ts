/**
 * The membership's one command: announce this replica on the Redis server's clock, drop
 * replicas silent for longer than the live window, and read the live ones, atomically. The
 * clock is Redis's `TIME`, so replicas on hosts whose clocks disagree still agree on who is live.
 */
import type { RedisClient } from '@gravito/quasar';

/**
 * KEYS[1] the membership set; ARGV replica id, live window ms, most members read. Scores are
 * epoch ms. A score further ahead than the window cannot come from a replica (they all use
 * this clock), so it is removed like a silent one. Returns the live members, oldest first.
 */
const ANNOUNCE_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - window))
redis.call('ZREMRANGEBYSCORE', KEYS[1], '(' .. (now + window), '+inf')
return redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1)
`;

type AnnounceClient = RedisClient & {
  quasarAnnounceReplica(
    key: string,
    replicaId: string,
    windowMs: number,
    most: number,
  ): Promise<unknown>;
};

/** Announces `replicaId` in `key` and returns the raw reply: the live members, unvalidated. */
export function announce(
  client: RedisClient,
  key: string,
  replicaId: string,
  windowMs: number,
  most: number,
): Promise<unknown> {
  const c = client as AnnounceClient;
  if (typeof c.quasarAnnounceReplica !== 'function') {
    client.defineCommand('quasarAnnounceReplica', { numberOfKeys: 1, lua: ANNOUNCE_LUA });
  }
  return c.quasarAnnounceReplica(key, replicaId, windowMs, most);
}
