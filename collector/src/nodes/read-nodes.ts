/**
 * Reads heartbeat keys with their remaining TTL in one read-only script call per chunk: one
 * reply array instead of two commands per key, and the TTL tells a beat's age on the Redis
 * server's clock.
 */
import type Redis from 'ioredis';

/** GET and PTTL for each key, flattened: value (or false when missing), then PTTL. */
const READ_NODES_LUA = `#!lua flags=no-writes
local out = {}
for i, key in ipairs(KEYS) do
  out[2 * i - 1] = redis.call('GET', key) or false
  out[2 * i] = redis.call('PTTL', key)
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
  quasarReadNodes(numKeys: number, ...keys: string[]): Promise<Array<string | number | null>>;
};

/** Registers the script on a client once. */
export function withReadNodes(client: Redis): ReadNodesClient {
  const c = client as ReadNodesClient;
  if (typeof c.quasarReadNodes !== 'function') {
    client.defineCommand('quasarReadNodes', { lua: READ_NODES_LUA });
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
    chunks.push(
      c.quasarReadNodes(slice.length, ...slice).then((reply) => toRawNodes(slice, reply)),
    );
  }
  return chunks;
}

/** Reads all keys: {@link readNodeChunks}, flattened. */
export async function readNodes(client: Redis, keys: readonly string[]): Promise<RawNode[]> {
  return (await Promise.all(readNodeChunks(client, keys))).flat();
}

function toRawNodes(keys: readonly string[], reply: Array<string | number | null>): RawNode[] {
  const out = new Array<RawNode>(keys.length);
  for (let k = 0; k < keys.length; k++) {
    const value = reply[2 * k];
    out[k] = {
      key: keys[k] as string,
      value: typeof value === 'string' ? value : null,
      pttlMs: Number(reply[2 * k + 1]),
    };
  }
  return out;
}
