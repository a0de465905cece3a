/** The Redis ACL rules of a plain `redis` list queue: the list and its three state keys. */
import type { QueueAclRules } from '../types';
import { listKeys } from './keys';

/** The probe sizes each key with `LLEN` and `ZCARD`; the executors move failed list elements. */
export const redisAclRules: QueueAclRules = {
  keys: (queue) => {
    const keys = listKeys(queue);
    return [keys.waiting, keys.active, keys.failed, keys.delayed];
  },
  reads: ['llen', 'zcard'],
  writes: {
    retry: ['lrange', 'eval', 'lrem', 'lpush'],
    delete: ['lrange', 'eval', 'lrem'],
    inspect: [],
    pause: [],
    promote: [],
  },
};
