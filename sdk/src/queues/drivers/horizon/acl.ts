/**
 * The Redis ACL rules of a `horizon` queue: the Laravel queue's keys, and Horizon's job hashes
 * and indexes under its prefix.
 */
import { laravelQueuePatterns } from '../laravel/acl';
import { laravelOptions } from '../laravel/keys';
import type { QueueAclRules } from '../types';
import { horizonKeys, horizonPrefixOption } from './keys';
import { HORIZON_INSPECT_COMMANDS } from './inspect';

/** The retry script pushes onto the queue and records the new job as Horizon does. */
export const horizonAclRules: QueueAclRules = {
  keys: (queue, options) => {
    const { hashTags } = laravelOptions(queue, 'horizon', options);
    const horizon = horizonKeys(horizonPrefixOption(queue, 'horizon', options), hashTags);
    return [...laravelQueuePatterns(queue, options, 'horizon'), horizon.job('*')];
  },
  reads: ['llen', 'zcard', 'lindex', 'zrange', 'hmget', 'get'],
  writes: {
    retry: ['zscore', 'zrange', 'eval', 'hget', 'rpush', 'zadd', 'hset', 'expireat'],
    delete: ['zscore', 'zrange', 'eval', 'hget', 'zrem', 'del'],
    inspect: HORIZON_INSPECT_COMMANDS,
    pause: [],
    promote: [],
  },
};
