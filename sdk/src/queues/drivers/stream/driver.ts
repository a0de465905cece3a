/** `stream`: a Gravito Stream queue on its Redis driver. */
import type { QueueDriver } from '../types';
import { streamAclRules } from './acl';
import { streamDeleteExecutor } from './delete';
import { streamProbe } from './probe';
import { streamRetryExecutor } from './retry';
import { streamInspectExecutor } from './inspect';
import { streamPauseExecutor } from './pause';
import { streamPromoteExecutor } from './promote';

/** The Gravito Stream row of the driver table. */
export const streamDriver: QueueDriver = {
  type: 'stream',
  probe: streamProbe,
  executors: {
    retry: streamRetryExecutor,
    delete: streamDeleteExecutor,
    inspect: streamInspectExecutor,
    pause: streamPauseExecutor,
    promote: streamPromoteExecutor,
  },
  acl: streamAclRules,
  shorthand: { prefixOption: 'prefix' },
};
