/**
 * `pause` and `promote` on a plain `laravel` queue: both rejected.
 * - Laravel's `queue:pause` (Laravel 11+) keeps a queue's pause in the *cache* store, under
 *   `illuminate:queue:paused:{connection}:{queue}`, which workers read through the cache; the
 *   queue's Redis keys carry no pause, and the cache store may be anything.
 * - Laravel has no promotion: a delayed job leaves `queues:{q}:delayed` only once due, when a
 *   worker migrates it (`migrateExpiredJobs`).
 */
import { unsupported } from '../unsupported';

/** Why plain Laravel cannot be paused from its queue's Redis keys. */
export const LARAVEL_PAUSE_REASON =
  "a Laravel queue's pause lives in the cache store, not in the queue's Redis keys; run php artisan queue:pause / queue:resume";

/** Why Laravel's delayed jobs cannot be promoted. */
export const LARAVEL_PROMOTE_REASON =
  'Laravel has no promotion: a delayed job stays in queues:{queue}:delayed until it is due, when a worker moves it (migrateExpiredJobs)';

/** Rejects: the pause lives in the cache store. */
export const laravelPauseExecutor = unsupported('laravel', 'pause', LARAVEL_PAUSE_REASON);

/** Rejects: Laravel has no promotion. */
export const laravelPromoteExecutor = unsupported('laravel', 'promote', LARAVEL_PROMOTE_REASON);
