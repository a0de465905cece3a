/**
 * `inspect` on a plain `laravel` queue: rejected. Laravel's Redis queue keeps pending jobs as
 * bare list entries with no index by id, and failed jobs in its database (`failed_jobs`); the
 * `horizon` driver, whose job hashes are indexed by id, inspects them.
 */
import { CommandRejectedError } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';

/** Why plain Laravel cannot read one job by id from Redis. */
export const LARAVEL_INSPECT_REASON =
  'plain Laravel keeps no job index by id in Redis and its failed jobs in its database; run php artisan queue:failed';

/** Rejects: plain Laravel has no job record by id in Redis. */
export const laravelInspectExecutor: CommandExecutor = {
  type: 'laravel',
  verb: 'inspect',
  execute() {
    return Promise.reject(new CommandRejectedError(LARAVEL_INSPECT_REASON));
  },
};
