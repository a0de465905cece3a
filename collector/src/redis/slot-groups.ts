/**
 * Multi-key work on a single Redis or on a Redis Cluster. On a single Redis it all goes into one
 * pipeline (or one multi-key command), as it always has. On a cluster ioredis refuses a pipeline
 * whose keys live on more than one node, and Redis a multi-key command over more than one slot
 * (CROSSSLOT), so the work is split by the node serving each key's slot and the parts are sent
 * concurrently, the replies put back in the order of the items.
 * - `execPerKey` sends each part through the cluster client (it routes by the part's first key)
 *   and never rejects: a failed part gives its error to each of its commands.
 * - `execPerItem` sends each part on the primary's own connection, for commands ioredis cannot
 *   route by key (`XGROUP`, `XINFO`: it finds no key in them and would send them to any node).
 *   During a resharding a moved slot's commands come back with `MOVED` as their error, like any
 *   other error of that item; the cluster client's slot map (refreshed every few seconds and on
 *   every redirection it follows) routes the next try.
 */
import type Redis from 'ioredis';
import type { Cluster, ChainableCommander } from 'ioredis';
import { isClusterClient, keySlot } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';

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

/** Per cluster client, the primaries (`host:port`) whose connection has been seen ready. */
const seenReady = new WeakMap<Cluster, Set<string>>();

/**
 * Why the primary serving `slot` cannot be asked now, or undefined. A primary whose connection
 * was lost (one that died, before the cluster fails it over) leaves the client's pool while the
 * slot map still names it, and each command for its slots would be retried until it gives up
 * (seconds); failing at once costs a cycle nothing, and the slot map is reloaded so the promoted
 * replica is asked as soon as the cluster names it, or the node itself once it answers again.
 * A node never seen ready is still starting.
 */
export function unreachablePrimary(cluster: Cluster, slot: number): Error | undefined {
  const address = cluster.slots[slot]?.[0];
  if (address === undefined) return undefined;
  let ready = seenReady.get(cluster);
  if (!ready) seenReady.set(cluster, (ready = new Set()));
  const node = cluster
    .nodes('master')
    .find((n) => `${n.options.host}:${n.options.port}` === address);
  if (node?.status === 'ready') {
    ready.add(address);
    return undefined;
  }
  if (!ready.has(address)) return undefined;
  cluster.refreshSlotsCache();
  // A node the pool holds unconnected (it re-creates them lazily) is tried in the background,
  // so a primary that comes back under its address (a restart within the node timeout) is
  // asked again from the next step on.
  if (node && (node.status === 'wait' || node.status === 'end'))
    node.connect().catch(() => undefined);
  const state = node ? node.status : 'dropped';
  return new Error(`CLUSTERDOWN cluster node ${address} is unreachable (${state})`);
}

/** Indexes of `keys` by the node group serving each one's slot, in first-seen order. */
function groupByNode(cluster: Cluster, keys: readonly string[]): number[][] {
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
      const down = unreachablePrimary(client, keySlot(keys[indexes[0]!]!));
      if (down) {
        for (const i of indexes) out[i] = [down, null];
        return;
      }
      const pipeline = pipelineOf();
      for (const i of indexes) queue(pipeline, i);
      const replies = await execAll(pipeline, indexes.length);
      indexes.forEach((i, n) => (out[i] = replies[n] as PipelineReply));
    }),
  );
  refreshOnRedirect(client, out);
  return out;
}

/** Whether an error says the slot map is stale: the slot moved, or its node failed over. */
export function isRedirect(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /^(MOVED|ASK|CLUSTERDOWN|TRYAGAIN) /.test(message);
}

/**
 * Asks the cluster client to reload its slot map when a reply says the map is stale. The
 * commands here go out in pipelines or on a primary's own connection, which ioredis does not
 * redirect; without this, a failed-over primary's slots would answer `MOVED` until the
 * periodic refresh (every 5 s). ioredis runs one refresh at a time.
 */
function refreshOnRedirect(client: RedisClient, replies: Iterable<PipelineReply>): void {
  if (!isClusterClient(client)) return;
  for (const [error] of replies) {
    if (error && isRedirect(error)) {
      client.refreshSlotsCache();
      return;
    }
  }
}

/** `keys` by hash slot, in the order they came; one list per slot. */
export function groupBySlot(keys: Iterable<string>): string[][] {
  const bySlot = new Map<number, string[]>();
  for (const key of keys) {
    const slot = keySlot(key);
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
function pipelineParts<T>(
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
    const slot = keySlot(keyOf(item));
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
      const down = isClusterClient(client)
        ? unreachablePrimary(client, keySlot(keyOf(items[members[0]!]!)))
        : undefined;
      if (down) {
        for (const item of members) {
          for (let c = 0; c < perItem; c++) replies[item]!.push([down, null]);
        }
        return;
      }
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
  refreshOnRedirect(client, replies.flat());
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
