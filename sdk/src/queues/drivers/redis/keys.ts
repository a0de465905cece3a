/**
 * The layout of a plain `redis` list queue, as the Go agent reads it, and the only module that
 * concatenates its key strings:
 * - `{q}`: the list of waiting jobs, named as the queue;
 * - `{q}:active`, `{q}:failed` and `{q}:delayed`: the jobs in those states, each a list or a
 *   sorted set (a delayed set is most often a sorted set scored by due time). Failed jobs are
 *   taken to be pushed on the left, newest first, where `{q}:failed` is a list.
 */

/** The keys of a plain list queue. */
export interface ListKeys {
  /** The list itself, named as the queue. */
  readonly waiting: string;
  /** Jobs being worked on. */
  readonly active: string;
  /** Failed jobs. */
  readonly failed: string;
  /** Jobs waiting for their time. */
  readonly delayed: string;
}

/** The keys of plain list queue `queue`. */
export function listKeys(queue: string): ListKeys {
  return {
    waiting: queue,
    active: `${queue}:active`,
    failed: `${queue}:failed`,
    delayed: `${queue}:delayed`,
  };
}
