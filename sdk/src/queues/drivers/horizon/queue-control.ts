/**
 * `pause` and `promote` on a `horizon` queue: both rejected. Horizon pauses its supervisors
 * (`horizon:pause`, `horizon:pause-supervisor`, commands to the master supervisor), never one
 * queue, and its layout holds no per-queue pause; a queue's own pause is Laravel's, kept in the
 * cache store. Its delayed jobs are Laravel's, which have no promotion.
 */
import { unsupported } from '../unsupported';
import { LARAVEL_PROMOTE_REASON } from '../laravel/queue-control';

/** Why a Horizon queue cannot be paused from Redis. */
export const HORIZON_PAUSE_REASON =
  "Horizon pauses supervisors, not queues (php artisan horizon:pause or horizon:pause-supervisor); a queue's own pause lives in Laravel's cache store (php artisan queue:pause)";

/** Rejects: Horizon has no per-queue pause. */
export const horizonPauseExecutor = unsupported('horizon', 'pause', HORIZON_PAUSE_REASON);

/** Rejects: Laravel's delayed jobs have no promotion. */
export const horizonPromoteExecutor = unsupported('horizon', 'promote', LARAVEL_PROMOTE_REASON);
