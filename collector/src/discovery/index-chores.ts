/**
 * Removing members from the node indexes and the services index: the chores of the replica
 * holding the scan lease. Each index is one key, so on a Redis Cluster the removals are one
 * pipeline per node.
 */
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import { execPerKey } from '../redis/slot-groups';

/**
 * How long a service stays in the services index after its node index went empty: 10 minutes
 * since an agent of it last announced itself. Agents announce at start and about once a
 * minute, so a live service's score is never near this old; a service whose last node stopped
 * a moment ago keeps its entry until then, and one that comes back announces itself again.
 */
export const SERVICE_GRACE_MS = 10 * 60_000;

/**
 * KEYS[1] the services index; ARGV grace ms, then services. Removes each service whose score
 * is older than the grace period on the Redis server's clock, and returns how many it removed.
 */
const DROP_IDLE_SERVICES_LUA = `
local t = redis.call('TIME')
local cutoff = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
local removed = 0
for i = 2, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) < cutoff then
    removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return removed`;

/** Services per script call: one call stays a bounded size. */
const DROP_CHUNK = 1000;

type DropClient = RedisClient & {
  quasarDropIdleServices(key: string, graceMs: number, ...services: string[]): Promise<number>;
};

/**
 * Removes `members` from each index (index key → members), and resolves with how many went.
 * An index whose removal fails is skipped: the next chores try again.
 */
export async function removeIndexMembers(
  client: RedisClient,
  members: ReadonlyMap<string, readonly string[]>,
): Promise<number> {
  const indexes = [...members].filter(([, m]) => m.length > 0);
  const replies = await execPerKey(
    client,
    indexes.map(([index]) => index),
    (): ChainableCommander => client.pipeline(),
    (pipeline, i) => {
      const [index, removed] = indexes[i] as [string, readonly string[]];
      pipeline.zrem(index, ...removed);
    },
  );
  let count = 0;
  for (const [error, reply] of replies) if (!error && typeof reply === 'number') count += reply;
  return count;
}

/**
 * Drops `services` from the services index when their score is older than `graceMs`: called
 * with the services whose node index was empty. Resolves with how many went.
 */
export async function dropIdleServices(
  client: RedisClient,
  services: readonly string[],
  graceMs = SERVICE_GRACE_MS,
): Promise<number> {
  const c = client as DropClient;
  if (typeof c.quasarDropIdleServices !== 'function') {
    client.defineCommand('quasarDropIdleServices', {
      numberOfKeys: 1,
      lua: DROP_IDLE_SERVICES_LUA,
    });
  }
  let count = 0;
  for (let i = 0; i < services.length; i += DROP_CHUNK) {
    const chunk = services.slice(i, i + DROP_CHUNK);
    count += Number(await c.quasarDropIdleServices(QuasarKeys.services, graceMs, ...chunk));
  }
  return count;
}
