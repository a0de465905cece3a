/**
 * The Redis layout of a Gravito Stream queue on its Redis driver (prefix `queue:` by default).
 * This is the only module that concatenates its key strings:
 * - `{prefix}{q}`: the base lane, a list producers `LPUSH` and workers `RPOP`;
 * - `{prefix}{q}:{priority}`: a priority lane;
 * - `{lane}:delayed` (zset, score = due time, epoch ms) and `{lane}:paused` (`"1"` when paused);
 * - `{prefix}{q}:failed`: the failed jobs, newest on the left;
 * - `{prefix}active` and `{prefix}pending:{groupId}`: the group FIFO's running groups and
 *   each group's waiting jobs.
 */
import { stringOption } from '../../probe-options';
import type { ProbeOptions } from '../../types';

/** Stream's key prefix when none is configured. */
export const DEFAULT_STREAM_PREFIX = 'queue:';

/** The keys of one Stream queue. */
export interface StreamKeys {
  /** The base lane. */
  readonly base: string;
  /** The list of failed jobs. */
  readonly failed: string;
  /** The base lane, or the lane of `priority`. */
  lane(priority?: string): string;
  /** A lane's delayed zset. */
  delayed(lane: string): string;
  /** A lane's pause flag. */
  paused(lane: string): string;
  /** The set of groups with a job running. */
  readonly activeGroups: string;
  /** The list of a group's jobs waiting behind its running one. */
  groupPending(groupId: string): string;
}

/** The keys of `queue` under `prefix`. */
export function streamKeys(prefix: string, queue: string): StreamKeys {
  const base = prefix + queue;
  return {
    base,
    failed: `${base}:failed`,
    lane: (priority) => (priority ? `${base}:${priority}` : base),
    delayed: (lane) => `${lane}:delayed`,
    paused: (lane) => `${lane}:paused`,
    activeGroups: `${prefix}active`,
    groupPending: (groupId) => `${prefix}pending:${groupId}`,
  };
}

/**
 * Reads the `prefix` option (`queue:` by default).
 * @throws QuasarConfigError naming `prefix`.
 */
export function streamPrefixOption(queue: string, options: ProbeOptions): string {
  return stringOption(queue, 'stream', options, 'prefix', DEFAULT_STREAM_PREFIX);
}
