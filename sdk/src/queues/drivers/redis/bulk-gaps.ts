/** The bulk selections a `redis` queue cannot make, and why (see `refuseBulkGaps`). */
import type { BulkGaps } from '../../../commands/bulk/unsupported';

/** What a bulk command cannot ask of a redis queue. */
export const REDIS_GAPS: BulkGaps = {
  fingerprint: 'a plain list keeps opaque elements, with no error to fingerprint',
  dryRun: 'this agent previews commands on bullmq, bull, horizon and stream queues only so far',
};
