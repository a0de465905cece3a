/**
 * The Redis ACL rules of a Gravito Stream queue: its lanes and their keys, and the group FIFO's
 * keys the retry script pushes through.
 */
import type { QueueAclRules } from '../types';
import { streamKeys, streamPrefixOption } from './keys';
import { STREAM_INSPECT_COMMANDS } from './inspect';

/**
 * The probe's reads, and the commands of `retry`, `delete`, `pause` and `promote` (a bulk
 * retry or delete reads the failed list's length and checks each entry with `LPOS`).
 */
export const streamAclRules: QueueAclRules = {
  keys: (queue, options) => {
    const keys = streamKeys(streamPrefixOption(queue, options), queue);
    return [keys.base, `${keys.base}:*`, keys.activeGroups, keys.groupPending('*')];
  },
  reads: ['llen', 'get', 'zcard', 'lindex', 'lrange'],
  writes: {
    retry: [
      'llen',
      'lrange',
      'lpos',
      'eval',
      'lrem',
      'sismember',
      'rpush',
      'sadd',
      'lpush',
      'zadd',
    ],
    delete: ['llen', 'lrange', 'lpos', 'eval', 'lrem'],
    inspect: STREAM_INSPECT_COMMANDS,
    pause: ['eval', 'get', 'set', 'del'],
    promote: ['zrange', 'eval', 'zrem', 'lpush'],
  },
};
