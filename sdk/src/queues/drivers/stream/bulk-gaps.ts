/** The bulk selections a `stream` queue cannot make, and why (see `refuseBulkGaps`). */
import type { BulkGaps } from '../../../commands/bulk/unsupported';

/** What a bulk command cannot ask of a stream queue. */
export const STREAM_GAPS: BulkGaps = {
  fingerprint: 'this agent selects failure groups on bullmq, bull and horizon queues only so far',
  dryRun: 'this agent previews commands on bullmq, bull and horizon queues only so far',
};
