/**
 * Whether a command's target is alive, judged from its heartbeat: how the collector knows an
 * agent will hear a command on a Redis Cluster, where `PUBLISH` counts only the subscribers of
 * the node it was sent to (agents subscribe on whichever node their client picked). A node is
 * alive while its heartbeat key (either layout) exists and is younger than two of its
 * intervals: the `online` of the schema. A broadcast needs one live node of the service.
 */
import type { RedisClient } from '@gravito/quasar';
import {
  KEY_LAYOUTS,
  NodeStatus,
  QuasarKeys,
  ageOf,
  parseHeartbeat,
  parseNodeKey,
  serviceKeys,
  statusOf,
} from '@gravito/quasar/schema';
import { execPerItem } from '../redis/slot-groups';
import { EVERY_NODE } from './build-command';
import type { CommandRequest } from './build-command';

/** Heartbeats a broadcast's check reads at most: the newest of the service's nodes. */
export const MAX_CHECKED_NODES = 16;
/** A heartbeat longer than this is not read: no valid one comes near it. */
const MAX_HEARTBEAT_BYTES = 1024 * 1024;

/** The heartbeat keys of the service's nodes this collector last saw, newest first. */
export type KnownNodes = (service: string) => readonly string[];

/**
 * Whether `request`'s target is alive now: the node, or for a broadcast any node of the service
 * among the newest of its v2 node index and of `known` (the v1 agents, which the collector
 * finds by its own reads). Rejects when Redis fails.
 */
export async function targetIsLive(
  redis: RedisClient,
  request: Pick<CommandRequest, 'service' | 'nodeId'>,
  known: KnownNodes = () => [],
  now = Date.now(),
): Promise<boolean> {
  const keys =
    request.nodeId === EVERY_NODE
      ? await serviceNodeKeys(redis, request.service, known)
      : KEY_LAYOUTS.map((layout) => serviceKeys(request.service, layout).node(request.nodeId));
  return anyOnline(redis, keys, now);
}

/** Up to `MAX_CHECKED_NODES` heartbeat keys of `service`: its v2 index first, then `known`. */
async function serviceNodeKeys(
  redis: RedisClient,
  service: string,
  known: KnownNodes,
): Promise<string[]> {
  const indexed = await redis.zrevrange(QuasarKeys.v2.nodeIndex(service), 0, MAX_CHECKED_NODES - 1);
  const keys = new Set<string>();
  for (const key of [...indexed, ...known(service)]) {
    if (keys.size >= MAX_CHECKED_NODES) break;
    // The index is data any agent can write: only this service's heartbeat keys are read.
    if (parseNodeKey(key)?.service === service) keys.add(key);
  }
  return [...keys];
}

/**
 * Whether one of `keys` holds a heartbeat that is `online`, its age taken from its TTL (the
 * collector's clock only for a key written without one).
 */
async function anyOnline(redis: RedisClient, keys: readonly string[], now: number) {
  if (keys.length === 0) return false;
  const replies = await execPerItem(
    redis,
    keys,
    (key) => key,
    (pipeline, key) => {
      pipeline.strlen(key);
      pipeline.pttl(key);
      // Bounded: a key holding megabytes costs one range, never the whole value.
      pipeline.getrange(key, 0, MAX_HEARTBEAT_BYTES - 1);
    },
    3,
  );
  return replies.some(
    ([[, length] = [null, 0], [, pttl] = [null, -2], [error, value] = [null, null]]) => {
      if (error || typeof value !== 'string' || Number(length) > MAX_HEARTBEAT_BYTES) return false;
      const parsed = parseHeartbeat(value);
      if (!parsed.ok) return false;
      const ageMs = ageOf(parsed.value, Number(pttl), now);
      return statusOf(parsed.value, { ageMs, present: true }) === NodeStatus.online;
    },
  );
}
