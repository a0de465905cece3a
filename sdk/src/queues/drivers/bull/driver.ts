/** `bull`: a legacy Bull (v3/v4) queue. */
import type { QueueDriver } from '../types';
import { bullAclRules } from './acl';
import { bullDeleteExecutor } from './delete';
import { bullProbe } from './probe';
import { bullRetryExecutor } from './retry';
import { bullInspectExecutor } from './inspect';
import { bullPauseExecutor } from './pause';
import { bullPromoteExecutor } from './promote';

/** The Bull row of the driver table. */
export const bullDriver: QueueDriver = {
  type: 'bull',
  probe: bullProbe,
  executors: {
    retry: bullRetryExecutor,
    delete: bullDeleteExecutor,
    inspect: bullInspectExecutor,
    pause: bullPauseExecutor,
    promote: bullPromoteExecutor,
  },
  acl: bullAclRules,
  shorthand: { prefixOption: 'prefix' },
};
