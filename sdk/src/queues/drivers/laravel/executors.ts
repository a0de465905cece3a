/**
 * `retry` and `delete` on a plain `laravel` queue: both rejected. Plain Laravel records failed
 * jobs in its database (the `failed_jobs` table), never in Redis, so there is nothing to move
 * there; Horizon keeps them in Redis, and the `horizon` driver acts on them.
 */
import { CommandRejectedError } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';

/** Why plain Laravel cannot retry or delete a failed job from Redis. */
export const PLAIN_LARAVEL_REASON =
  'plain Laravel keeps failed jobs in its database; run php artisan queue:retry or queue:forget';

/** Rejects: plain Laravel's failed jobs are in SQL. */
export const laravelRetryExecutor: CommandExecutor = {
  type: 'laravel',
  verb: 'retry',
  execute() {
    return Promise.reject(new CommandRejectedError(PLAIN_LARAVEL_REASON));
  },
};

/** Rejects: plain Laravel's failed jobs are in SQL. */
export const laravelDeleteExecutor: CommandExecutor = {
  type: 'laravel',
  verb: 'delete',
  execute() {
    return Promise.reject(new CommandRejectedError(PLAIN_LARAVEL_REASON));
  },
};
