/**
 * The hash behind the replicas' assignment: FNV-1a over a string's UTF-16 code units, then
 * MurmurHash3's 32-bit finaliser. FNV-1a alone is fast but mixes its last characters into the
 * high bits poorly (`svc-1` … `svc-9` differ in few bits); the finaliser spreads every input bit
 * over the whole word, which rendezvous hashing needs, since it compares weights, not buckets.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over `text`'s code units, starting from `seed` (the offset basis). */
export function fnv1a32(text: string, seed = FNV_OFFSET_BASIS): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** MurmurHash3's `fmix32`: a bijection on 32 bits with full avalanche. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A well-mixed 32-bit hash of `text`. */
export function hash32(text: string, seed = FNV_OFFSET_BASIS): number {
  return fmix32(fnv1a32(text, seed));
}

/**
 * The seed a replica weighs units with: its id hashed once, so a weight costs one pass over
 * the unit's name.
 */
export function replicaSeed(replicaId: string): number {
  return hash32(replicaId);
}

/** The weight of `unit` for the replica whose seed is `seed`: the highest weight wins. */
export function weight(seed: number, unit: string): number {
  return fmix32(fnv1a32(unit, seed));
}
