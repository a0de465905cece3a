/**
 * How one cycle's heartbeat keys are cut into chunks. Each group of a chunk is read by one
 * script and one `MGET`, so on a Redis Cluster a group holds keys of one slot only; the groups
 * of one chunk go out in one pipeline, so they are slots of one node. On a single Redis a
 * chunk is one group: a plain slice of the keys, as it always was.
 */

/** Keys read by one script and one `MGET`: all in one slot on a cluster. */
export type KeyGroup = readonly string[];

/** Groups read in the same round trips (at most `size` keys in all). */
export type KeyChunk = readonly KeyGroup[];

/** A single Redis: slices of `size` keys, one group each. */
export function chunkKeys(keys: readonly string[], size: number): KeyChunk[] {
  const chunks: KeyChunk[] = [];
  for (let i = 0; i < keys.length; i += size) chunks.push([keys.slice(i, i + size)]);
  return chunks;
}

/**
 * A cluster: the keys of each slot (a v2 service's keys share one) in groups of at most `size`;
 * a full group is a chunk of its own, and the smaller ones (v1 keys scatter over every slot,
 * one or two per slot) are packed with other slots of the same node, up to `size` keys a chunk.
 * @param nodeOf the node group serving a slot, as the client maps it now.
 */
export function chunkKeysBySlot(
  keys: readonly string[],
  size: number,
  slotOf: (key: string) => number,
  nodeOf: (slot: number) => string,
): KeyChunk[] {
  const bySlot = new Map<number, string[]>();
  for (const key of keys) {
    const slot = slotOf(key);
    let group = bySlot.get(slot);
    if (!group) bySlot.set(slot, (group = []));
    group.push(key);
  }
  const chunks: KeyChunk[] = [];
  const open = new Map<string, { groups: KeyGroup[]; keys: number }>();
  for (const [slot, slotKeys] of bySlot) {
    for (let i = 0; i < slotKeys.length; i += size) {
      const group = slotKeys.slice(i, i + size);
      if (group.length === size) {
        chunks.push([group]);
        continue;
      }
      const node = nodeOf(slot);
      let packing = open.get(node);
      if (packing && packing.keys + group.length > size) {
        chunks.push(packing.groups);
        packing = undefined;
      }
      if (!packing) open.set(node, (packing = { groups: [], keys: 0 }));
      packing.groups.push(group);
      packing.keys += group.length;
    }
  }
  for (const packing of open.values()) chunks.push(packing.groups);
  return chunks;
}
