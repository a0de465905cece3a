/**
 * What a SCAN found, shared with the other collector replicas through Redis: only the replica
 * holding the scan lease walks the keyspace. It adds the heartbeat keys of original agents to
 * the node index (they never write it themselves), where every replica's cycle reads them
 * within one cycle, and keeps the services with a slow-log stream in the stream index.
 */
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys, isServiceName } from '@gravito/quasar/schema';
import type { ChainableCommander } from 'ioredis';
import { execPerKey } from '../redis/slot-groups';
import { redisTimeMs } from '../redis/server-time';

/** Members per ZADD: one command stays a bounded size. */
const ZADD_CHUNK = 1_000;
/** Services read from the stream index at most: a bound on what another writer could put there. */
export const MAX_STREAM_SERVICES = 10_000;

/**
 * Adds `nodeKeys` to the node index (`NX`: an agent's own entry keeps its score) and replaces
 * the stream index with `services`, scored with the Redis server's clock. One round trip after
 * reading the clock (on a cluster, one pipeline per index's node, concurrently).
 */
export async function shareFindings(
  client: RedisClient,
  nodeKeys: readonly string[],
  services: ReadonlySet<string>,
): Promise<void> {
  const now = Math.floor(await redisTimeMs(client));
  const commands: Array<[string, (pipeline: ChainableCommander) => void]> = [];
  for (let i = 0; i < nodeKeys.length; i += ZADD_CHUNK) {
    const members = nodeKeys.slice(i, i + ZADD_CHUNK).flatMap((key) => [now, key]);
    commands.push([QuasarKeys.nodeIndex, (p) => p.zadd(QuasarKeys.nodeIndex, 'NX', ...members)]);
  }
  const streams = [...services];
  for (let i = 0; i < streams.length; i += ZADD_CHUNK) {
    const members = streams.slice(i, i + ZADD_CHUNK).flatMap((s) => [now, s]);
    commands.push([QuasarKeys.streamIndex, (p) => p.zadd(QuasarKeys.streamIndex, ...members)]);
  }
  // Services the walk no longer found (their stream is gone) were scored by an older walk.
  commands.push([
    QuasarKeys.streamIndex,
    (p) => p.zremrangebyscore(QuasarKeys.streamIndex, '-inf', `(${now}`),
  ]);
  const replies = await execPerKey(
    client,
    commands.map(([key]) => key),
    () => client.pipeline(),
    (pipeline, i) => (commands[i] as [string, (p: ChainableCommander) => void])[1](pipeline),
  );
  const failed = replies.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}

/** The services of the stream index, as the replica holding the scan lease last wrote it. */
export async function readStreamIndex(client: RedisClient): Promise<Set<string>> {
  const members = await client.zrange(QuasarKeys.streamIndex, 0, MAX_STREAM_SERVICES - 1);
  return new Set(members.filter((m) => isServiceName(m)));
}
