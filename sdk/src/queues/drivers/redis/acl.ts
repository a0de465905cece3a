/** The Redis ACL rules of a plain `redis` list queue: its two lists. */
import type { QueueAclRules } from '../types';
import { listKeys } from './keys';

/** The list and its failed list; the probe only takes their lengths. */
export const redisAclRules: QueueAclRules = {
  keys: (queue) => [listKeys(queue).waiting, listKeys(queue).failed],
  reads: ['llen'],
  writes: {
    retry: ['lrange', 'eval', 'lrem', 'lpush'],
    delete: ['lrange', 'eval', 'lrem'],
  },
};
