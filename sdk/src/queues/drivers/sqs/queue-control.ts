/**
 * `pause` and `promote` on an `sqs` queue: both rejected. SQS has no pause (consumers poll the
 * queue themselves), and a message's delay cannot be shortened once sent.
 */
import { unsupported } from '../unsupported';

/** Rejects: SQS has no pause. */
export const sqsPauseExecutor = unsupported(
  'sqs',
  'pause',
  'SQS has no pause: consumers poll the queue themselves; stop the consumers instead',
);

/** Rejects: SQS cannot shorten a delay. */
export const sqsPromoteExecutor = unsupported(
  'sqs',
  'promote',
  "SQS cannot promote: a delayed message stays invisible until its delay ends, and a sent message's delay cannot be changed",
);
