/**
 * Pipelines on a Redis Cluster: a cluster client refuses a pipeline whose keys live on more
 * than one node, so commands are grouped by the node serving their slot, one pipeline per
 * node, sent concurrently. On a single Redis it is the one pipeline it always was.
 */
import type { Cluster, ChainableCommander } from 'ioredis';
import { isClusterClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import { keySlot } from './key-slot';

/** One command's reply, as `Pipeline#exec` gives it. */
export type PipelineReply = [Error | null, unknown];

/**
 * The nodes serving `slot` as the client last mapped them (primary first), as one id: the
 * group a cluster pipeline may span. A slot not mapped yet is its own group.
 */
export function slotGroupOf(cluster: Cluster, slot: number): string {
  const nodes = cluster.slots[slot];
  return nodes && nodes.length > 0 ? nodes.join(';') : `slot:${slot}`;
}

/** Indexes of `keys` by the node group serving each one's slot, in first-seen order. */
export function groupByNode(cluster: Cluster, keys: readonly string[]): number[][] {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const id = slotGroupOf(cluster, keySlot(key));
    let group = groups.get(id);
    if (!group) groups.set(id, (group = []));
    group.push(i);
  });
  return [...groups.values()];
}

async function execAll<P extends ChainableCommander>(
  pipeline: P,
  count: number,
): Promise<PipelineReply[]> {
  try {
    const replies = (await pipeline.exec()) ?? [];
    return Array.from({ length: count }, (_, i) => replies[i] ?? [new Error('no reply'), null]);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return Array.from({ length: count }, () => [failure, null]);
  }
}

/**
 * Runs one command per key (`queue(pipeline, i)` queues the command of `keys[i]`, touching only
 * that key's slot) and resolves with the replies in key order. A pipeline that fails whole gives
 * its error to each of its commands: never rejects.
 */
export async function execPerKey<P extends ChainableCommander>(
  client: RedisClient,
  keys: readonly string[],
  pipelineOf: () => P,
  queue: (pipeline: P, index: number) => void,
): Promise<PipelineReply[]> {
  if (keys.length === 0) return [];
  if (!isClusterClient(client)) {
    const pipeline = pipelineOf();
    for (let i = 0; i < keys.length; i++) queue(pipeline, i);
    return execAll(pipeline, keys.length);
  }
  const out = new Array<PipelineReply>(keys.length);
  await Promise.all(
    groupByNode(client, keys).map(async (indexes) => {
      const pipeline = pipelineOf();
      for (const i of indexes) queue(pipeline, i);
      const replies = await execAll(pipeline, indexes.length);
      indexes.forEach((i, n) => (out[i] = replies[n] as PipelineReply));
    }),
  );
  return out;
}
