/** `bullmq`: a BullMQ queue (v5 and v6). */
import type { QueueDriver } from '../types';
import { bullmqAclRules } from './acl';
import { bullmqDeleteExecutor } from './delete';
import { bullmqProbe } from './probe';
import { bullmqRetryExecutor } from './retry';
import { bullmqInspectExecutor } from './inspect';
import { bullmqPauseExecutor } from './pause';
import { bullmqPromoteExecutor } from './promote';

/** The BullMQ row of the driver table. */
export const bullmqDriver: QueueDriver = {
  type: 'bullmq',
  probe: bullmqProbe,
  executors: {
    retry: bullmqRetryExecutor,
    delete: bullmqDeleteExecutor,
    inspect: bullmqInspectExecutor,
    pause: bullmqPauseExecutor,
    promote: bullmqPromoteExecutor,
  },
  acl: bullmqAclRules,
  shorthand: { prefixOption: 'prefix' },
};
