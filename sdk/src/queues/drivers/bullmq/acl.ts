/**
 * The Redis ACL rules of a `bullmq` queue: every key under `{prefix}:{queue}:`, and the commands
 * of the BullMQ scripts its executors run.
 */
import { bullKeys, bullPrefixOption } from '../bull-family/keys';
import type { QueueAclRules } from '../types';
import { BULL_INSPECT_COMMANDS } from '../bull-family/inspect-job';

/** `getRanges` (failed jobs, newest first) and `getStateV2`: both verbs list and check jobs. */
const LOOKUP = ['evalsha', 'eval', 'hgetall', 'lindex', 'llen', 'lrange', 'rpop'];
const LOOKUP_SCRIPT = ['zrange', 'zrevrange', 'lpos', 'zscore'];

/**
 * The probe's reads, and BullMQ's own scripts for `Job.retry()`, `Job.remove()`,
 * `Queue.pause()` / `resume()` and `Job.promote()`.
 */
export const bullmqAclRules: QueueAclRules = {
  keys: (queue, options) => [bullKeys(bullPrefixOption(queue, 'bullmq', options), queue).job('*')],
  reads: [
    'llen',
    'lindex',
    'zcard',
    'zrevrange',
    'zcount',
    'zrangebyscore',
    'hexists',
    'hmget',
    'xrange',
    'xinfo|stream',
    'time',
  ],
  writes: {
    // reprocessJob-9.lua
    retry: [
      ...LOOKUP,
      ...LOOKUP_SCRIPT,
      ...['exists', 'hdel', 'hget', 'hset', 'incr', 'sadd', 'xadd', 'zadd', 'zrem'],
      ...['lpush', 'rpush'],
    ],
    // removeJob-2.lua
    delete: [
      ...LOOKUP,
      ...LOOKUP_SCRIPT,
      ...['del', 'exists', 'get', 'hget', 'hset', 'lrem', 'scard', 'smembers', 'srem'],
      ...['xadd', 'zadd', 'zrem', 'lpush', 'rpush'],
    ],
    inspect: BULL_INSPECT_COMMANDS,
    // isPaused() (HEXISTS), then pause-7.lua
    pause: [
      ...['evalsha', 'eval', 'hexists', 'hset', 'hdel', 'del', 'exists', 'rename'],
      ...['llen', 'lrange', 'ltrim', 'rpush', 'zadd', 'zcard', 'zrange', 'xadd'],
    ],
    // getDelayed (getRanges), Job.fromId, getStateV2, then promote-9.lua
    promote: [
      ...LOOKUP,
      ...LOOKUP_SCRIPT,
      ...['hget', 'hmget', 'hset', 'incr', 'lpop', 'lpush', 'rpush', 'xadd', 'zadd', 'zrem'],
    ],
  },
};
