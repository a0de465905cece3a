/** The bulk selections a `sqs` queue cannot make, and why (see `refuseBulkGaps`). */
import type { BulkGaps } from '../../../commands/bulk/unsupported';

/** What a bulk command cannot ask of a sqs queue. */
export const SQS_GAPS: BulkGaps = {
  fingerprint: 'a dead-letter redrive moves every message; SQS cannot move some of them by error',
  dryRun:
    'SQS counts dead-lettered messages only approximately (ApproximateNumberOfMessages), and receiving them to count would hide them from consumers',
};
