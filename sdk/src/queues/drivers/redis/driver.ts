/** `redis`: a plain Redis list whose key is the queue's name. */
import type { QueueDriver } from '../types';
import { redisAclRules } from './acl';
import { listDeleteExecutor } from './delete';
import { redisListProbe } from './probe';
import { listRetryExecutor } from './retry';
import { listInspectExecutor } from './inspect';
import { listPauseExecutor, listPromoteExecutor } from './queue-control';

/** The plain-list row of the driver table. */
export const redisDriver: QueueDriver = {
  type: 'redis',
  probe: redisListProbe,
  executors: {
    retry: listRetryExecutor,
    delete: listDeleteExecutor,
    inspect: listInspectExecutor,
    pause: listPauseExecutor,
    promote: listPromoteExecutor,
  },
  acl: redisAclRules,
  // The queue's name is the whole key: there is nothing for a prefix to set, and the Go agent
  // ignores one.
  shorthand: { prefixOption: null },
};
