/**
 * What the monitor user needs on one queue: the key patterns of its layout (from the probes'
 * own key builders), the read commands its probe sends, and the commands each enabled verb's
 * executor sends, including those its Lua scripts call, which Redis checks against the ACL too.
 */
import { listKeys } from '../../commands/executors/list-delete';
import type { CommandVerb } from '../../commands/executors/types';
import { bullKeys, bullPrefixOption } from '../../queues/probes/bull-keys';
import {
  horizonKeys,
  horizonPrefixOption,
  laravelOptions,
  laravelQueueKeys,
} from '../../queues/probes/laravel-keys';
import { streamKeys, streamPrefixOption } from '../../queues/probes/stream-keys';
import type { ProbeOptions } from '../../queues/types';

/** The ACL data of one queue type. */
interface TypeRules {
  /** Key patterns of `queue` (without `~`). */
  keys(queue: string, options: ProbeOptions): string[];
  /** The probe's read commands. */
  reads: readonly string[];
  /** Each verb's commands, when its executor runs on Redis. */
  writes: Partial<Record<CommandVerb, readonly string[]>>;
}

/** `getRanges` (failed jobs, newest first) and `getStateV2`: both verbs list and check jobs. */
const BULLMQ_LOOKUP = ['evalsha', 'eval', 'hgetall', 'lindex', 'llen', 'lrange', 'rpop'];
const BULLMQ_LOOKUP_SCRIPT = ['zrange', 'zrevrange', 'lpos', 'zscore'];
/** Bull 4 lists with MULTI and checks states with `isJobInList`. */
const BULL_LOOKUP = [
  'evalsha',
  'eval',
  'multi',
  'exec',
  'hgetall',
  'lrange',
  'zrevrange',
  'zscore',
];

const laravelKeys = (queue: string, options: ProbeOptions, type: string): string[] => {
  const { redisPrefix, hashTags } = laravelOptions(queue, type, options);
  const { waiting } = laravelQueueKeys(redisPrefix, queue, hashTags);
  return [waiting, `${waiting}:*`];
};

/** The rules per queue type; `sqs` is not on Redis and has none. */
export const QUEUE_RULES: Readonly<Record<string, TypeRules>> = {
  redis: {
    keys: (queue) => [listKeys(queue).waiting, listKeys(queue).failed],
    reads: ['llen'],
    writes: {
      retry: ['lrange', 'eval', 'lrem', 'lpush'],
      delete: ['lrange', 'eval', 'lrem'],
    },
  },
  laravel: {
    keys: (queue, options) => laravelKeys(queue, options, 'laravel'),
    reads: ['llen', 'zcard', 'lindex'],
    // Plain Laravel keeps failed jobs in SQL: its executors reject without touching Redis.
    writes: {},
  },
  horizon: {
    keys: (queue, options) => {
      const { hashTags } = laravelOptions(queue, 'horizon', options);
      const horizon = horizonKeys(horizonPrefixOption(queue, 'horizon', options), hashTags);
      return [...laravelKeys(queue, options, 'horizon'), horizon.job('*')];
    },
    reads: ['llen', 'zcard', 'lindex', 'zrange', 'hmget'],
    writes: {
      retry: ['zscore', 'zrange', 'eval', 'hget', 'rpush', 'zadd', 'hset', 'expireat'],
      delete: ['zscore', 'zrange', 'eval', 'hget', 'zrem', 'del'],
    },
  },
  bullmq: {
    keys: (queue, options) => [
      bullKeys(bullPrefixOption(queue, 'bullmq', options), queue).job('*'),
    ],
    reads: ['llen', 'lindex', 'zcard', 'zrevrange', 'hexists', 'hmget'],
    writes: {
      // reprocessJob-9.lua
      retry: [
        ...BULLMQ_LOOKUP,
        ...BULLMQ_LOOKUP_SCRIPT,
        ...['exists', 'hdel', 'hget', 'hset', 'incr', 'sadd', 'xadd', 'zadd', 'zrem'],
        ...['lpush', 'rpush'],
      ],
      // removeJob-2.lua
      delete: [
        ...BULLMQ_LOOKUP,
        ...BULLMQ_LOOKUP_SCRIPT,
        ...['del', 'exists', 'get', 'hget', 'hset', 'lrem', 'scard', 'smembers', 'srem'],
        ...['xadd', 'zadd', 'zrem', 'lpush', 'rpush'],
      ],
    },
  },
  bull: {
    keys: (queue, options) => [bullKeys(bullPrefixOption(queue, 'bull', options), queue).job('*')],
    reads: ['llen', 'lindex', 'zcard', 'zrevrange', 'exists', 'hmget'],
    writes: {
      // reprocessJob-6.lua, which also PUBLISHes the `waiting` event.
      retry: [...BULL_LOOKUP, 'exists', 'hdel', 'hset', 'zrem', 'lpush', 'rpush', 'publish'],
      // removeJob-11.lua
      delete: [...BULL_LOOKUP, 'del', 'get', 'hdel', 'hget', 'lrem', 'srem', 'zrem'],
    },
  },
  stream: {
    keys: (queue, options) => {
      const keys = streamKeys(streamPrefixOption(queue, options), queue);
      return [keys.base, `${keys.base}:*`, keys.activeGroups, keys.groupPending('*')];
    },
    reads: ['llen', 'get', 'zcard', 'lindex', 'lrange'],
    writes: {
      retry: ['lrange', 'eval', 'lrem', 'sismember', 'rpush', 'sadd', 'lpush', 'zadd'],
      delete: ['lrange', 'eval', 'lrem'],
    },
  },
};

/** Bull's channels: its scripts PUBLISH job events on `{prefix}:{queue}:…`. */
export function bullChannels(queue: string, options: ProbeOptions): string[] {
  return [bullKeys(bullPrefixOption(queue, 'bull', options), queue).job('*')];
}
