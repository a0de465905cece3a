/**
 * Reads heartbeat keys with their remaining TTL. Per chunk of keys: one read-only script
 * returning the server's TIME and every key's PTTL and STRLEN, then one MGET of only the keys
 * whose value is within the size limit, so an oversized value is refused before a byte of it
 * crosses the network. The TTL tells a beat's age on the Redis server's clock, at the TIME of
 * its own chunk. Chunks are read a few ahead of the parser, not all at once, so memory does
 * not grow with the fleet's bytes, and the first values are not queued behind every chunk's
 * script. On a Redis Cluster a chunk is a few slot groups of one node (see `key-chunks.ts`):
 * one script and one `MGET` per slot, pipelined, each beat aged at its own slot's TIME.
 */
import type { ChainableCommander } from 'ioredis';
import { isClusterClient, keySlot } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';
import { isRedirect, slotGroupOf, unreachablePrimary } from '../redis/slot-groups';
import { chunkKeys, chunkKeysBySlot } from './key-chunks';
import type { KeyChunk, KeyGroup } from './key-chunks';

/**
 * The server's TIME, then PTTL and STRLEN of each key, flat:
 * `[seconds, microseconds, pttl1, len1, pttl2, len2, …]`. A key of another type answers STRLEN
 * with an error, caught here (`-1`) so it cannot fail the other keys.
 */
const READ_META_LUA = `#!lua flags=no-writes
local time = redis.call('TIME')
local out = { tonumber(time[1]), tonumber(time[2]) }
for i, key in ipairs(KEYS) do
  out[2 * i + 1] = redis.call('PTTL', key)
  local len = redis.pcall('STRLEN', key)
  if type(len) ~= 'number' then len = -1 end
  out[2 * i + 2] = len
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
  /** The Redis server's TIME when `pttlMs` was taken, epoch ms. */
  readAtMs: number;
}

type ReadNodesClient = RedisClient & {
  quasarReadMeta(numKeys: number, ...keys: string[]): Promise<number[]>;
};

type ReadNodesPipeline = ChainableCommander & {
  quasarReadMeta(numKeys: number, ...keys: string[]): ChainableCommander;
};

const noop = (): void => undefined;

/** Registers the script on a client once. */
export function withReadNodes(client: RedisClient): ReadNodesClient {
  const c = client as ReadNodesClient;
  if (typeof c.quasarReadMeta !== 'function') {
    client.defineCommand('quasarReadMeta', { lua: READ_META_LUA });
  }
  return c;
}

/**
 * Chunk reads (script and `MGET`) allowed ahead of the chunk being parsed: enough to keep Redis
 * busy while one chunk is parsed, few enough that a large fleet's values are never all held at
 * once (50,000 beats are tens of MB of reply strings), and that the first chunk's values wait
 * behind only a few scripts.
 */
export const READ_AHEAD = 4;

/** One chunk of keys and the promise of their reads. */
export interface NodeChunk {
  readonly keys: readonly string[];
  /** The chunk's reads. Asking for them lets the value read of a later chunk go out. */
  readonly raws: Promise<RawNode[]>;
}

/**
 * Reads all keys, chunk by chunk. The first chunk's script and MGET go out first; then each
 * chunk's script goes out at most {@link READ_AHEAD} chunks ahead of the last one asked for,
 * and its MGET as soon as its sizes are known. Chunks settle
 * in order, so a caller parses one while Redis serves the next ones, and a failed chunk costs
 * only its keys. A caller must ask for the chunks in order (a later chunk's reads wait for
 * earlier asks).
 * @param maxBytes values longer than this are not read (`oversized`).
 */
export function readNodeChunks(
  client: RedisClient,
  keys: readonly string[],
  maxBytes: number,
): NodeChunk[] {
  const c = withReadNodes(client);
  const cuts = isClusterClient(client)
    ? chunkKeysBySlot(keys, READ_CHUNK, keySlot, (slot) => slotGroupOf(client, slot))
    : chunkKeys(keys, READ_CHUNK);
  const opens = new Array<(() => void) | undefined>(cuts.length);
  const chunks: NodeChunk[] = [];
  /** Settles once the first chunk's value read is sent (or its script failed). */
  let firstSent: Promise<unknown> | undefined;
  for (let n = 0; n < cuts.length; n++) {
    const cut = cuts[n] as KeyChunk;
    const open = n < READ_AHEAD ? undefined : new Promise<void>((resolve) => (opens[n] = resolve));
    // The other scripts go out once the first chunk's MGET has: its values, which the parser
    // waits for, are then not queued behind them.
    const meta = Promise.all([firstSent, open]).then(() => {
      const down = isClusterClient(client)
        ? unreachablePrimary(client, keySlot((cut[0] as KeyGroup)[0] as string))
        : undefined;
      if (down) throw down;
      return readMeta(c, cut);
    });
    const raws = meta.then((m) => readValues(c, cut, m, maxBytes));
    // The MGET is sent in the same tick as `meta` settles, before this runs.
    firstSent ??= meta.then(noop, noop);
    // Every chunk has a handler at once: one failing while another is awaited is never unhandled.
    // A redirect (a slot moved, or its primary failed over) reloads the cluster's slot map.
    raws.catch((error: unknown) => {
      if (isRedirect(error) && isClusterClient(client)) client.refreshSlotsCache();
    });
    chunks.push({
      keys: cut.length === 1 ? (cut[0] as KeyGroup) : cut.flat(),
      get raws() {
        opens[n + READ_AHEAD]?.();
        return raws;
      },
    });
  }
  return chunks;
}

/** The script's reply for each group of a chunk: one call, or one pipeline of them. */
async function readMeta(c: ReadNodesClient, cut: KeyChunk): Promise<number[][]> {
  if (cut.length === 1) {
    const group = cut[0] as KeyGroup;
    return [await c.quasarReadMeta(group.length, ...group)];
  }
  const pipeline = c.pipeline() as ReadNodesPipeline;
  for (const group of cut) pipeline.quasarReadMeta(group.length, ...group);
  return replies(await pipeline.exec(), cut.length) as number[][];
}

/** A pipeline's replies, or its first error: a chunk is read whole or not at all. */
function replies(results: Array<[Error | null, unknown]> | null, count: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const [error, reply] = results?.[i] ?? [new Error('no reply'), null];
    if (error) throw error;
    out.push(reply);
  }
  return out;
}

async function readValues(
  c: ReadNodesClient,
  cut: KeyChunk,
  metas: readonly number[][],
  maxBytes: number,
): Promise<RawNode[]> {
  if (cut.length === 1) return read(c, cut[0] as KeyGroup, metas[0] as number[], maxBytes);
  const groups = cut.map((keys, g) => measure(keys, metas[g] as number[], maxBytes));
  const pipeline = c.pipeline();
  const reading = groups.filter((group) => group.wanted.length > 0);
  for (const group of reading) pipeline.mget(...group.wanted);
  if (reading.length > 0) {
    const values = replies(await pipeline.exec(), reading.length);
    reading.forEach((group, i) => fill(group, values[i] as unknown[]));
  }
  return groups.flatMap((group) => group.out);
}

/** One group's reads as the script told them, and the keys whose values to read. */
interface Measured {
  out: RawNode[];
  wanted: string[];
  positions: number[];
}

function measure(keys: KeyGroup, meta: readonly number[], maxBytes: number): Measured {
  const out = new Array<RawNode>(keys.length);
  const wanted: string[] = [];
  const positions: number[] = [];
  const readAtMs = Number(meta[0]) * 1000 + Number(meta[1]) / 1000;
  for (let k = 0; k < keys.length; k++) {
    const pttlMs = Number(meta[2 * k + 2]);
    const bytes = Number(meta[2 * k + 3]);
    const oversized = bytes > maxBytes;
    out[k] = { key: keys[k] as string, value: null, pttlMs, bytes, oversized, readAtMs };
    if (bytes > 0 && !oversized) {
      wanted.push(keys[k] as string);
      positions.push(k);
    }
  }
  return { out, wanted, positions };
}

function fill({ out, wanted, positions }: Measured, values: readonly unknown[]): void {
  for (let w = 0; w < wanted.length; w++) {
    const value = values[w];
    (out[positions[w] as number] as RawNode).value = typeof value === 'string' ? value : null;
  }
}

async function read(
  client: ReadNodesClient,
  keys: KeyGroup,
  meta: readonly number[],
  maxBytes: number,
): Promise<RawNode[]> {
  const group = measure(keys, meta, maxBytes);
  if (group.wanted.length === 0) return group.out;
  fill(group, await client.mget(...group.wanted));
  return group.out;
}

/** Reads all keys: {@link readNodeChunks}, flattened. */
export async function readNodes(
  client: RedisClient,
  keys: readonly string[],
  maxBytes: number,
): Promise<RawNode[]> {
  const chunks = readNodeChunks(client, keys, maxBytes);
  return (await Promise.all(chunks.map((chunk) => chunk.raws))).flat();
}
