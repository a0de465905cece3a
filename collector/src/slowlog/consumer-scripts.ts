/**
 * Consumer bookkeeping that must be atomic, as Lua scripts: a stopping consumer hands its
 * pending entries back, and consumers that died are deleted. `XGROUP DELCONSUMER` drops the
 * consumer's pending entries with it (they would never be delivered again), so a consumer is
 * deleted only when it has none, checked in the same script that deletes it.
 */
import type { ChainableCommander } from 'ioredis';
import { isClusterClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';

/** Most of a consumer's pending entries one script call hands back; the rest wait reclaimIdleMs. */
export const MAX_HANDED_BACK = 10_000;
/** Most consumers one script call deletes per stream; the next clean-up takes the rest. */
export const MAX_DELETED_CONSUMERS = 1_000;

/**
 * KEYS[1] stream; ARGV group, consumer, idle ms, page size, most entries. Marks the consumer's
 * pending entries idle for `idle ms` (XCLAIM to itself with IDLE and JUSTID: the delivery count
 * is unchanged), so any replica's next XAUTOCLAIM takes them; or deletes the consumer when it
 * has none. Returns how many entries were handed back.
 */
const RETIRE_LUA = `
local page = tonumber(ARGV[4])
local start = '-'
local handed = 0
while handed < tonumber(ARGV[5]) do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], start, '+', page, ARGV[2])
  if #pending == 0 then break end
  local args = {'XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0}
  for _, entry in ipairs(pending) do args[#args + 1] = entry[1] end
  args[#args + 1] = 'IDLE'
  args[#args + 1] = ARGV[3]
  args[#args + 1] = 'JUSTID'
  redis.call(unpack(args))
  handed = handed + #pending
  start = '(' .. pending[#pending][1]
  if #pending < page then break end
end
if handed == 0 then redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2]) end
return handed
`;

/**
 * KEYS[1] stream; ARGV group, min idle ms, consumer to keep, most deletions. Deletes every
 * other consumer of the group that has no pending entry and has not tried to read for `min idle
 * ms` (XINFO CONSUMERS \`idle\`: a live consumer blocking in XREADGROUP stays near 0). Returns
 * how many it deleted.
 */
const DELETE_IDLE_LUA = `
local deleted = 0
local minIdle = tonumber(ARGV[2])
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  if deleted >= tonumber(ARGV[4]) then break end
  local name, pending, idle
  for i = 1, #consumer, 2 do
    local field = consumer[i]
    if field == 'name' then name = consumer[i + 1]
    elseif field == 'pending' then pending = consumer[i + 1]
    elseif field == 'idle' then idle = consumer[i + 1] end
  end
  if name ~= ARGV[3] and pending == 0 and idle ~= nil and idle >= minIdle then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
    deleted = deleted + 1
  end
end
return deleted
`;

/** Entries per XPENDING page inside the script: `unpack` has a limit near 8,000. */
const PAGE = 1000;

type ScriptCommands = {
  quasarRetireConsumer(key: string, ...args: Array<string | number>): ChainableCommander;
  quasarDeleteIdleConsumers(key: string, ...args: Array<string | number>): ChainableCommander;
};

/**
 * Defines the scripts on `client` (once per client), before any pipeline is made: a pipeline
 * takes the scripts its client had when it was created. Each script names its stream as its
 * one key, so a cluster routes it to the stream's slot. (No Quasar client enables ioredis
 * auto-pipelining, which would route a script by its first argument instead.)
 */
function defineScripts(client: RedisClient): void {
  const c = client as RedisClient & Partial<Record<keyof ScriptCommands, unknown>>;
  if (typeof c.quasarRetireConsumer === 'function') return;
  client.defineCommand('quasarRetireConsumer', { numberOfKeys: 1, lua: RETIRE_LUA });
  client.defineCommand('quasarDeleteIdleConsumers', { numberOfKeys: 1, lua: DELETE_IDLE_LUA });
}

/** Per key, a number from the script, or the error Redis gave for that key. */
export type PerStream = Map<string, number | Error>;

/**
 * Runs `run` for each stream: in one pipeline on a single Redis; on a cluster one call per
 * stream, concurrently, each routed by its key (these run at stop and every half hour, and a
 * primary's own connection, which a pipeline there would use, knows none of the scripts).
 */
async function perStream(
  client: RedisClient,
  keys: readonly string[],
  run: (target: ScriptCommands, key: string) => unknown,
): Promise<PerStream> {
  const out: PerStream = new Map();
  if (keys.length === 0) return out;
  defineScripts(client);
  if (isClusterClient(client)) {
    // On the client itself each script call is a promise of its reply.
    const target = client as unknown as ScriptCommands;
    const settled = await Promise.allSettled(
      keys.map((key) => Promise.resolve().then(() => run(target, key))),
    );
    keys.forEach((key, i) => {
      const result = settled[i]!;
      out.set(key, result.status === 'fulfilled' ? Number(result.value) : toError(result.reason));
    });
    return out;
  }
  const pipeline = client.pipeline() as ChainableCommander & ScriptCommands;
  for (const key of keys) run(pipeline, key);
  const results = (await pipeline.exec()) ?? [];
  keys.forEach((key, i) => {
    const [error, value] = results[i] ?? [new Error('no reply')];
    out.set(key, error ?? Number(value));
  });
  return out;
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * For each stream: hands `consumer`'s pending entries back (idle for `idleMs`), or deletes the
 * consumer when it has none. One round trip (one call per stream on a cluster).
 */
export function retireConsumer(
  client: RedisClient,
  keys: readonly string[],
  group: string,
  consumer: string,
  idleMs: number,
): Promise<PerStream> {
  return perStream(client, keys, (target, key) =>
    target.quasarRetireConsumer(key, group, consumer, idleMs, PAGE, MAX_HANDED_BACK),
  );
}

/**
 * For each stream: deletes the group's consumers, `keep` aside, that have no pending entry and
 * have been idle for at least `minIdleMs`. One round trip (one call per stream on a cluster).
 */
export function deleteIdleConsumers(
  client: RedisClient,
  keys: readonly string[],
  group: string,
  keep: string,
  minIdleMs: number,
): Promise<PerStream> {
  return perStream(client, keys, (target, key) =>
    target.quasarDeleteIdleConsumers(key, group, minIdleMs, keep, MAX_DELETED_CONSUMERS),
  );
}
