/**
 * Heartbeats written the way agents write them, with the schema's key builders: v1 (the key,
 * and the fleet-wide index unless it is an original agent) and v2 (the key, its service's
 * index, and the services index).
 */
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import { original } from './fixtures';

/** A valid heartbeat of `service`/`id`, with no queues of its own. */
export function beat(service: string, id: string, now = Date.now()): Heartbeat {
  return original('nodeBun', { service, id, queues: [] }, now);
}

/** A v1 beat; `indexed: false` is an original agent, which never writes the index. */
export async function writeV1(
  client: RedisClient,
  hb: Heartbeat,
  options: { pttlMs?: number; indexed?: boolean } = {},
): Promise<string> {
  const key = QuasarKeys.node(hb.service, hb.id);
  await client.set(key, JSON.stringify(hb), 'PX', options.pttlMs ?? 30_000);
  if (options.indexed ?? true) await client.zadd(QuasarKeys.nodeIndex, hb.timestamp, key);
  return key;
}

/** A v2 beat: the key, its service's index and the services index. */
export async function writeV2(
  client: RedisClient,
  hb: Heartbeat,
  options: { pttlMs?: number } = {},
): Promise<string> {
  const key = QuasarKeys.v2.node(hb.service, hb.id);
  await client.set(key, JSON.stringify(hb), 'PX', options.pttlMs ?? 30_000);
  await client.zadd(QuasarKeys.v2.nodeIndex(hb.service), hb.timestamp, key);
  await client.zadd(QuasarKeys.services, hb.timestamp, hb.service);
  return key;
}

/** One queue snapshot as a hash field's value. */
export function queueField(name: string, waiting: number, observedAt = Date.now()): string {
  return JSON.stringify({
    name,
    driver: 'bullmq',
    size: { waiting, active: 0, failed: 0, delayed: 0 },
    observedAt,
  });
}
