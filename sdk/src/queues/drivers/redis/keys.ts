/**
 * The layout of a plain `redis` list queue, the only module that concatenates its key strings:
 * the list named as the queue holds the waiting jobs, and `{q}:failed` the failed ones, newest
 * on the left.
 */

/** The keys of a plain list queue. */
export interface ListKeys {
  /** The list itself, named as the queue. */
  readonly waiting: string;
  /** The list of failed jobs. */
  readonly failed: string;
}

/** The keys of plain list queue `queue`. */
export function listKeys(queue: string): ListKeys {
  return { waiting: queue, failed: `${queue}:failed` };
}
