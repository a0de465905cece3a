/** `sqs`: an Amazon SQS queue, read and moved through the SQS API rather than Redis. */
import type { QueueDriver } from '../types';
import { sqsDeleteExecutor } from './delete';
import { sqsProbe } from './probe';
import { sqsRetryExecutor } from './retry';
import { sqsInspectExecutor } from './inspect';
import { sqsPauseExecutor, sqsPromoteExecutor } from './queue-control';

/** The SQS row of the driver table. */
export const sqsDriver: QueueDriver = {
  type: 'sqs',
  probe: sqsProbe,
  executors: {
    retry: sqsRetryExecutor,
    delete: sqsDeleteExecutor,
    inspect: sqsInspectExecutor,
    pause: sqsPauseExecutor,
    promote: sqsPromoteExecutor,
  },
  // Not on Redis: nothing for a Redis ACL to grant.
  acl: null,
  shorthand: {
    prefixOption: null,
    unavailable:
      'sqs queues need a queueUrl: declare them in the config file, e.g. "queues": [{ "name": "jobs", "type": "sqs", "options": { "queueUrl": "…", "region": "…" } }]',
  },
};
