/**
 * Errors that belong to one stream rather than to Redis: its key was deleted (and its group with
 * it), or holds something that is not a stream. Such a stream is set aside and its group created
 * again later; the other streams go on.
 */

/**
 * `NOGROUP`: the group (or its stream) is gone. `WRONGTYPE`: the key holds something else.
 * `UNBLOCKED`: a stream this consumer was blocked on was deleted (Redis ≥ 7.0).
 */
const STREAM_ERROR = /^(NOGROUP|WRONGTYPE|UNBLOCKED)\b/;

/** Whether `error` is Redis saying that a stream or its group is not there (any more). */
export function isStreamError(error: unknown): boolean {
  return error instanceof Error && STREAM_ERROR.test(error.message);
}
