/**
 * Multi-key work on a single Redis or on a Redis Cluster. On a single Redis it all goes into one
 * pipeline (or one multi-key command), as it always has. On a cluster ioredis refuses a pipeline
 * whose keys live on more than one primary, and Redis a multi-key command over more than one
 * slot (CROSSSLOT), so the work is split: one pipeline per primary, sent concurrently on that
 * primary's own connection, and the replies put back in the order of the items.
 *
 * The pipeline goes to the primary's connection rather than through the cluster client because
 * ioredis cannot route some commands by key at all (`XGROUP`, `XINFO`: it finds no key in
 * them) and would send them to any node. During a resharding a moved slot's commands come back
 * with `MOVED` as their error, like any other error of that item; the cluster client's slot map
 * (refreshed every few seconds and on every redirection it follows) routes the next try.
 */
import calculateSlot from 'cluster-key-slot';
import type Redis from 'ioredis';
import type { ChainableCommander, Cluster } from 'ioredis';
import { isClusterClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';

/** One command's reply in a pipeline: its error, or its result. */
export type PipelineReply = [error: Error | null, result: unknown];

/** `keys` by hash slot, in the order they came; one list per slot. */
export function groupBySlot(keys: Iterable<string>): string[][] {
  const bySlot = new Map<number, string[]>();
  for (const key of keys) {
    const slot = calculateSlot(key);
    const group = bySlot.get(slot);
    if (group) group.push(key);
    else bySlot.set(slot, [key]);
  }
  return [...bySlot.values()];
}

/**
 * `items` split so that each part can share one pipeline: a single part on a single Redis; on a
 * cluster one part per primary serving their keys' slots, keyed by that primary (`host:port`),
 * or by slot while the client has no slot map yet.
 */
export function pipelineParts<T>(
  client: RedisClient,
  items: readonly T[],
  keyOf: (item: T) => string,
): Map<string, T[]> {
  const parts = new Map<string, T[]>();
  if (!isClusterClient(client)) {
    if (items.length > 0) parts.set('', [...items]);
    return parts;
  }
  for (const item of items) {
    const slot = calculateSlot(keyOf(item));
    const part = primaryOf(client, slot) ?? `slot:${slot}`;
    const list = parts.get(part);
    if (list) list.push(item);
    else parts.set(part, [item]);
  }
  return parts;
}

function primaryOf(cluster: Cluster, slot: number): string | undefined {
  return cluster.slots[slot]?.[0];
}

/** The primaries' own connections, by `host:port` as the slot map names them. */
function primaries(cluster: Cluster): Map<string, Redis> {
  const out = new Map<string, Redis>();
  for (const node of cluster.nodes('master')) {
    out.set(`${node.options.host}:${node.options.port}`, node);
  }
  return out;
}

/**
 * Where a part's pipeline goes: the client itself on a single Redis; on a cluster the primary's
 * own connection, or the cluster client (routing by the first key) while no slot map is known.
 */
function connectionFor(client: RedisClient, part: string, nodes: Map<string, Redis>) {
  if (!isClusterClient(client)) return client;
  return nodes.get(part) ?? client;
}

/**
 * Queues `perItem` commands for each item with `add` (all on the item's key) and resolves with
 * each item's replies, in the order of `items`. One round trip on a single Redis; one concurrent
 * round trip per primary on a cluster. Rejects when a pipeline fails as a whole.
 */
export async function execPerItem<T>(
  client: RedisClient,
  items: readonly T[],
  keyOf: (item: T) => string,
  add: (pipeline: ChainableCommander, item: T) => void,
  perItem = 1,
): Promise<PipelineReply[][]> {
  const indices = items.map((_, i) => i);
  if (isClusterClient(client) && client.slots.length === 0 && items.length > 0) {
    // Not connected yet (a lazy client): the first command connects and loads the slot map.
    await client.ping().catch(() => undefined);
  }
  const parts = pipelineParts(client, indices, (i) => keyOf(items[i]!));
  const nodes = isClusterClient(client) ? primaries(client) : new Map<string, Redis>();
  const replies: PipelineReply[][] = items.map(() => []);
  await Promise.all(
    [...parts].map(async ([part, members]) => {
      const pipeline = connectionFor(client, part, nodes).pipeline();
      for (const i of members) add(pipeline, items[i]!);
      const results = ((await pipeline.exec()) ?? []) as PipelineReply[];
      members.forEach((item, p) => {
        for (let c = 0; c < perItem; c++) {
          replies[item]!.push(results[p * perItem + c] ?? [new Error('no reply'), null]);
        }
      });
    }),
  );
  return replies;
}

/**
 * `MGET` of `keys`, values in the order of `keys`: one command on a single Redis; on a cluster
 * one `MGET` per slot, pipelined per primary.
 */
export async function mgetAcrossSlots(
  client: RedisClient,
  keys: readonly string[],
): Promise<Array<string | null>> {
  if (keys.length === 0) return [];
  if (!isClusterClient(client)) return client.mget(...keys);
  const groups = groupBySlot(keys);
  const replies = await execPerItem(
    client,
    groups,
    (group) => group[0]!,
    (pipeline, group) => void pipeline.mget(...group),
  );
  const values = new Map<string, string | null>();
  groups.forEach((group, i) => {
    const [error, result] = replies[i]![0]!;
    if (error) throw error;
    const list = result as Array<string | null>;
    group.forEach((key, k) => values.set(key, list[k] ?? null));
  });
  return keys.map((key) => values.get(key) ?? null);
}
