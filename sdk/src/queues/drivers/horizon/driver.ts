/** `horizon`: a Laravel `redis` queue run by Horizon, which keeps failed jobs in Redis. */
import type { QueueDriver } from '../types';
import { horizonAclRules } from './acl';
import { horizonDeleteExecutor } from './delete';
import { horizonProbe } from './probe';
import { horizonRetryExecutor } from './retry';
import { horizonInspectExecutor } from './inspect';
import { horizonPauseExecutor, horizonPromoteExecutor } from './queue-control';

/** The Horizon row of the driver table. */
export const horizonDriver: QueueDriver = {
  type: 'horizon',
  probe: horizonProbe,
  executors: {
    retry: horizonRetryExecutor,
    delete: horizonDeleteExecutor,
    inspect: horizonInspectExecutor,
    pause: horizonPauseExecutor,
    promote: horizonPromoteExecutor,
  },
  acl: horizonAclRules,
  // The queue's keys are Laravel's, so the shorthand places them as it does for `laravel`.
  shorthand: { prefixOption: 'queueKeyPrefix', laravelPrefixOption: 'redisPrefix' },
};
