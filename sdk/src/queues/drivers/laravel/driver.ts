/** `laravel`: a queue of Laravel's `redis` queue driver, failed jobs kept in SQL. */
import type { QueueDriver } from '../types';
import { laravelAclRules } from './acl';
import { laravelDeleteExecutor, laravelRetryExecutor } from './executors';
import { laravelProbe } from './probe';
import { laravelInspectExecutor } from './inspect';
import { laravelPauseExecutor, laravelPromoteExecutor } from './queue-control';

/** The Laravel row of the driver table. */
export const laravelDriver: QueueDriver = {
  type: 'laravel',
  probe: laravelProbe,
  executors: {
    retry: laravelRetryExecutor,
    delete: laravelDeleteExecutor,
    inspect: laravelInspectExecutor,
    pause: laravelPauseExecutor,
    promote: laravelPromoteExecutor,
  },
  acl: laravelAclRules,
  // As in the Go agent, `name:laravel:prefix` reads `{prefix}:{name}`: the segment replaces
  // `queues`, so `default:laravel:laravel_database_queues` reaches a prefixed connection.
  shorthand: { prefixOption: 'queueKeyPrefix', laravelPrefixOption: 'redisPrefix' },
};
