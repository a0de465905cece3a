/**
 * `pause` and `promote` on a plain `redis` list: both rejected. Its consumers pop the list
 * directly, with no flag to honour, and a list holds no delayed jobs.
 */
import { unsupported } from '../unsupported';

/** Rejects: a list has no pause its consumers would honour. */
export const listPauseExecutor = unsupported(
  'redis',
  'pause',
  'a plain Redis list has no pause: its consumers pop it directly; stop the consumers instead',
);

/** Rejects: a list has no delayed jobs. */
export const listPromoteExecutor = unsupported(
  'redis',
  'promote',
  'a plain Redis list has no delayed jobs to promote',
);
