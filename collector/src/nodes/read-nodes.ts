/**
 * Reads heartbeat keys with their remaining TTL. Per chunk of keys: one read-only script
 * returning every key's PTTL and STRLEN, then one MGET of only the keys whose value is within
 * the size limit, so an oversized value is refused before a byte of it crosses the network.
 * The TTL tells a beat's age on the Redis server's clock.
 */
import type Redis from 'ioredis';

/**
 * PTTL and STRLEN of each key, flat: `[pttl1, len1, pttl2, len2, …]`. A key of another type
 * answers STRLEN with an error, caught here (`-1`) so it cannot fail the other keys.
 */
const READ_META_LUA = `#!lua flags=no-writes
local out = {}
for i, key in ipairs(KEYS) do
  out[2 * i - 1] = redis.call('PTTL', key)
  local len = redis.pcall('STRLEN', key)
  if type(len) ~= 'number' then len = -1 end
  out[2 * i] = len
end
return out`;

/** Keys per script call: large enough to amortise the round trip, small enough not to stall Redis. */
export const READ_CHUNK = 1000;

/** The raw value of one heartbeat key. */
export interface RawNode {
  key: string;
  /** The stored string; null when the key has expired or was deleted, or was not read. */
  value: string | null;
  /** Remaining TTL in ms; -1 without expiry, -2 when missing. */
  pttlMs: number;
  /** The value's length in bytes, as STRLEN told it before the read; -1 for a non-string key. */
  bytes: number;
  /** True when the value was left unread because `bytes` is over the limit. */
  oversized: boolean;
}

type ReadNodesClient = Redis & {
  quasarReadMeta(numKeys: number, ...keys: string[]): Promise<number[]>;
};

/** Registers the script on a client once. */
export function withReadNodes(client: Redis): ReadNodesClient {
  const c = client as ReadNodesClient;
  if (typeof c.quasarReadMeta !== 'function') {
    client.defineCommand('quasarReadMeta', { lua: READ_META_LUA });
  }
  return c;
}

/** One chunk of keys and the promise of their reads. */
export interface NodeChunk {
  keys: readonly string[];
  raws: Promise<RawNode[]>;
}

/**
 * Reads all keys, chunk by chunk: every chunk's script is sent at once, and each chunk's MGET
 * as soon as its sizes are known. Chunks settle in order, so a caller can parse one while Redis
 * still works on the next ones, and a failed chunk costs only its own keys.
 * @param maxBytes values longer than this are not read (`oversized`).
 */
export function readNodeChunks(
  client: Redis,
  keys: readonly string[],
  maxBytes: number,
): NodeChunk[] {
  const c = withReadNodes(client);
  const chunks: NodeChunk[] = [];
  for (let i = 0; i < keys.length; i += READ_CHUNK) {
    const slice = keys.slice(i, i + READ_CHUNK);
    const raws = c
      .quasarReadMeta(slice.length, ...slice)
      .then((meta) => read(c, slice, meta, maxBytes));
    // Every chunk has a handler at once: one failing while another is awaited is never unhandled.
    raws.catch(() => undefined);
    chunks.push({ keys: slice, raws });
  }
  return chunks;
}

async function read(
  client: Redis,
  keys: readonly string[],
  meta: readonly number[],
  maxBytes: number,
): Promise<RawNode[]> {
  const out = new Array<RawNode>(keys.length);
  const wanted: string[] = [];
  const positions: number[] = [];
  for (let k = 0; k < keys.length; k++) {
    const pttlMs = Number(meta[2 * k]);
    const bytes = Number(meta[2 * k + 1]);
    const oversized = bytes > maxBytes;
    out[k] = { key: keys[k] as string, value: null, pttlMs, bytes, oversized };
    if (bytes > 0 && !oversized) {
      wanted.push(keys[k] as string);
      positions.push(k);
    }
  }
  if (wanted.length === 0) return out;
  const values = await client.mget(...wanted);
  for (let w = 0; w < wanted.length; w++) {
    const value = values[w];
    (out[positions[w] as number] as RawNode).value = typeof value === 'string' ? value : null;
  }
  return out;
}

/** Reads all keys: {@link readNodeChunks}, flattened. */
export async function readNodes(
  client: Redis,
  keys: readonly string[],
  maxBytes: number,
): Promise<RawNode[]> {
  const chunks = readNodeChunks(client, keys, maxBytes);
  return (await Promise.all(chunks.map((chunk) => chunk.raws))).flat();
}
