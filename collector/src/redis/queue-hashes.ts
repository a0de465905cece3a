/**
 * Reads the per-service queue hashes within bounds, in the layout of each service's nodes
 * (`gravito:quasar:queues:orders` in v1, `gravito:quasar:queues:{orders}` in v2; both for a
 * service migrating). Any agent can write them, so a hash with too many fields is not read at
 * all, and a field whose name or value is too long is skipped inside Redis, before it crosses
 * the network. On a Redis Cluster the reads are one pipeline per node.
 */
import type { RedisClient } from '@gravito/quasar';
import type { ChainableCommander } from 'ioredis';
import { MAX_NAME_LENGTH, MAX_QUEUE_FIELD_BYTES, serviceKeys } from '@gravito/quasar/schema';
import type { KeyLayout } from '@gravito/quasar/schema';
import { execPerKey } from './slot-groups';

/** Fields one service's hash may hold before it is refused whole (four per queue of `MAX_QUEUES`). */
export const MAX_QUEUE_HASH_FIELDS = 1024;

/**
 * `{status, skipped, fields}`: status 0 read, 1 too many fields (`skipped` = HLEN), 2 not a
 * hash. `fields` is flat: `[name1, value1, name2, value2, …]`.
 */
const READ_QUEUE_HASH_LUA = `#!lua flags=no-writes
local maxFields, maxName, maxBytes = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local n = redis.pcall('HLEN', KEYS[1])
if type(n) ~= 'number' then return {2, 0, {}} end
if n > maxFields then return {1, n, {}} end
local out = {}
local skipped = 0
for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
  if #f <= maxName and redis.call('HSTRLEN', KEYS[1], f) <= maxBytes then
    out[#out + 1] = f
    out[#out + 1] = redis.call('HGET', KEYS[1], f)
  else
    skipped = skipped + 1
  end
end
return {0, skipped, out}`;

/** One service's hash as read. */
export interface QueueHash {
  /** The fields within bounds, as `[field, value]` pairs. */
  fields: ReadonlyArray<readonly [string, string]>;
  /** Fields left unread for their size or count. */
  skipped: number;
  /** Why nothing was read, when the hash was refused whole. */
  refused?: string;
}

/**
 * Replies by service; services whose hash is missing or empty are left out. A service read in
 * both layouts has both hashes' fields, v1's first.
 */
export type QueueHashes = ReadonlyMap<string, QueueHash>;

type QueueHashClient = RedisClient & {
  quasarReadQueueHash(numKeys: 1, key: string, ...args: number[]): Promise<unknown>;
};

/** A pipeline queues the script's calls and returns itself; `exec()` brings the replies. */
type QueueHashPipeline = ChainableCommander & {
  quasarReadQueueHash(numKeys: 1, key: string, ...args: number[]): ChainableCommander;
};

function withScript(client: RedisClient): QueueHashClient {
  const c = client as QueueHashClient;
  if (typeof c.quasarReadQueueHash !== 'function') {
    client.defineCommand('quasarReadQueueHash', { lua: READ_QUEUE_HASH_LUA });
  }
  return c;
}

function hashOf(reply: unknown): QueueHash | undefined {
  if (!Array.isArray(reply)) return { fields: [], skipped: 0, refused: 'unexpected reply' };
  const [status, skipped, flat] = reply as [number, number, string[]];
  if (status === 2) return { fields: [], skipped: 0, refused: 'not a hash' };
  if (status === 1) {
    return { fields: [], skipped, refused: `${skipped} fields, over ${MAX_QUEUE_HASH_FIELDS}` };
  }
  if (flat.length === 0 && skipped === 0) return undefined;
  const fields: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2)
    fields.push([flat[i] as string, flat[i + 1] as string]);
  return { fields, skipped };
}

/**
 * Reads the hash of each service in each of its layouts. A hash whose read fails is reported as
 * refused; it never fails the others.
 */
export async function readQueueHashes(
  client: RedisClient,
  services: ReadonlyMap<string, ReadonlySet<KeyLayout>>,
): Promise<QueueHashes> {
  const reads: Array<[string, string]> = [];
  for (const [service, layouts] of services) {
    for (const layout of layouts) reads.push([service, serviceKeys(service, layout).queues]);
  }
  const out = new Map<string, QueueHash>();
  if (reads.length === 0) return out;
  const c = withScript(client);
  const replies = await execPerKey(
    c,
    reads.map(([, key]) => key),
    () => c.pipeline() as QueueHashPipeline,
    (pipeline, i) =>
      pipeline.quasarReadQueueHash(
        1,
        (reads[i] as [string, string])[1],
        MAX_QUEUE_HASH_FIELDS,
        MAX_NAME_LENGTH,
        MAX_QUEUE_FIELD_BYTES,
      ),
  );
  replies.forEach(([error, reply], i) => {
    const service = (reads[i] as [string, string])[0];
    const hash = error ? { fields: [], skipped: 0, refused: error.message } : hashOf(reply);
    if (hash) out.set(service, merged(out.get(service), hash));
  });
  return out;
}

/** Two layouts' hashes of one service as one. */
function merged(first: QueueHash | undefined, second: QueueHash): QueueHash {
  if (!first) return second;
  const refused = [first.refused, second.refused].filter((r) => r !== undefined).join('; ');
  return {
    fields: [...first.fields, ...second.fields],
    skipped: first.skipped + second.skipped,
    ...(refused ? { refused } : {}),
  };
}
