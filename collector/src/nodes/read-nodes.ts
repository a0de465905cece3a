/**
 * Reads heartbeat keys with their remaining TTL: per chunk of keys, one MGET and one read-only
 * script returning every PTTL (two replies instead of one command per key). The TTL tells a
 * beat's age on the Redis server's clock.
 */
import type Redis from 'ioredis';

/** PTTL of each key. Values come from a native MGET beside it, far cheaper than GET in Lua. */
const READ_TTLS_LUA = `#!lua flags=no-writes
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('PTTL', key)
end
return out`;

/** Keys per script call: large enough to amortise the round trip, small enough not to stall Redis. */
export const READ_CHUNK = 1000;

/** The raw value of one heartbeat key. */
export interface RawNode {
  key: string;
  /** The stored string; null when the key has expired or was deleted. */
  value: string | null;
  /** Remaining TTL in ms; -1 without expiry, -2 when missing. */
  pttlMs: number;
}

type ReadNodesClient = Redis & {
  quasarReadTtls(numKeys: number, ...keys: string[]): Promise<number[]>;
};

/** Registers the script on a client once. */
export function withReadNodes(client: Redis): ReadNodesClient {
  const c = client as ReadNodesClient;
  if (typeof c.quasarReadTtls !== 'function') {
    client.defineCommand('quasarReadTtls', { lua: READ_TTLS_LUA });
  }
  return c;
}

/**
 * Reads all keys, chunk by chunk, pipelined together; one promise per chunk, settling in
 * order, so a caller can parse a chunk while Redis still works on the next ones.
 */
export function readNodeChunks(client: Redis, keys: readonly string[]): Array<Promise<RawNode[]>> {
  const c = withReadNodes(client);
  const chunks: Array<Promise<RawNode[]>> = [];
  for (let i = 0; i < keys.length; i += READ_CHUNK) {
    const slice = keys.slice(i, i + READ_CHUNK);
    // Sent back to back on one connection: only other clients' commands can run between the
    // two, so a PTTL rarely belongs to a newer write than its value (the age then reads ~0).
    const values = c.mget(...slice);
    const ttls = c.quasarReadTtls(slice.length, ...slice);
    chunks.push(Promise.all([values, ttls]).then(([v, t]) => toRawNodes(slice, v, t)));
  }
  return chunks;
}

/** Reads all keys: {@link readNodeChunks}, flattened. */
export async function readNodes(client: Redis, keys: readonly string[]): Promise<RawNode[]> {
  return (await Promise.all(readNodeChunks(client, keys))).flat();
}

function toRawNodes(
  keys: readonly string[],
  values: ReadonlyArray<string | null>,
  ttls: readonly number[],
): RawNode[] {
  const out = new Array<RawNode>(keys.length);
  for (let k = 0; k < keys.length; k++) {
    const value = values[k];
    out[k] = {
      key: keys[k] as string,
      value: typeof value === 'string' ? value : null,
      pttlMs: Number(ttls[k]),
    };
  }
  return out;
}
