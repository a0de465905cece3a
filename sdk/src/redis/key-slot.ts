/**
 * The Redis Cluster hash slot of a key (CRC16-XMODEM of the key, or of its hash tag, mod
 * 16384), as the server computes it: how the SDK tells, before sending, whether keys can share
 * one script or one pipeline on a cluster.
 */

/** Slots in a Redis Cluster. */
export const CLUSTER_SLOTS = 16384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[i] = crc & 0xffff;
  }
  return table;
})();

function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) ^ (TABLE[((crc >> 8) ^ (bytes[i] as number)) & 0xff] as number)) & 0xffff;
  }
  return crc;
}

/**
 * The slot of `key`. Only the part between the first `{` and the next `}` is hashed when that
 * part is not empty (the hash tag), so `{orders}:a` and `{orders}:b` share a slot.
 */
export function keySlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b);
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(bytes, open + 1, close) % CLUSTER_SLOTS;
  }
  return crc16(bytes, 0, bytes.length) % CLUSTER_SLOTS;
}

/** Two of `keys` that hash to different slots, or undefined when they all share one. */
export function crossSlotPair(keys: readonly string[]): [string, string] | undefined {
  const first = keys[0];
  if (first === undefined) return undefined;
  const slot = keySlot(first);
  const other = keys.find((key) => keySlot(key) !== slot);
  return other === undefined ? undefined : [first, other];
}

/**
 * Whether Redis (`CROSSSLOT …`) or ioredis (a cluster pipeline across slots) refused a command
 * because its keys sit in different slots.
 */
export function isCrossSlotError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('CROSSSLOT') || message.includes('same slots allocation group');
}
