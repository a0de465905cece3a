/**
 * The Redis ACL rules of a legacy `bull` queue: every key under `{prefix}:{queue}:`, the
 * commands of the Bull scripts its executors run, and the channels those scripts publish on.
 */
import { bullKeys, bullPrefixOption } from '../bull-family/keys';
import type { QueueAclRules } from '../types';
import { BULL_INSPECT_COMMANDS } from '../bull-family/inspect-job';

/** Bull 4 lists with MULTI and checks states with `isJobInList`. */
const LOOKUP = ['evalsha', 'eval', 'multi', 'exec', 'hgetall', 'lrange', 'zrevrange', 'zscore'];

/**
 * The probe's reads, and Bull's own scripts for `Job.retry()`, `Job.remove()`, the global
 * `Queue.pause()` / `resume()` and `Job.promote()`.
 */
export const bullAclRules: QueueAclRules = {
  keys: (queue, options) => [bullKeys(bullPrefixOption(queue, 'bull', options), queue).job('*')],
  reads: ['llen', 'lindex', 'zcard', 'zrevrange', 'exists', 'hmget'],
  writes: {
    // reprocessJob-6.lua, which also PUBLISHes the `waiting` event.
    retry: [...LOOKUP, 'exists', 'hdel', 'hset', 'zrem', 'lpush', 'rpush', 'publish'],
    // removeJob-11.lua
    delete: [...LOOKUP, 'del', 'get', 'hdel', 'hget', 'lrem', 'srem', 'zrem'],
    inspect: BULL_INSPECT_COMMANDS,
    // isPaused(false) (MULTI: EXISTS, HEXISTS), then pause-5.lua, which PUBLISHes the event.
    pause: [
      ...['evalsha', 'eval', 'multi', 'exec', 'exists', 'hexists', 'rename', 'set', 'del'],
    ].concat(['hset', 'hdel', 'publish']),
    // getDelayed, getJob, getState, then promote-5.lua, which PUBLISHes `waiting`.
    promote: [...LOOKUP, 'exists', 'hget', 'hset', 'zrem', 'zadd', 'zcount', 'lindex'].concat([
      'linsert',
      'llen',
      'lpush',
      'rpush',
      'publish',
    ]),
  },
  // Bull's scripts PUBLISH job events on `{prefix}:{queue}:…`.
  channels: (queue, options) => [
    bullKeys(bullPrefixOption(queue, 'bull', options), queue).job('*'),
  ],
};
