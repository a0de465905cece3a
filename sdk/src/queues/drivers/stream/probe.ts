/**
 * `stream`: a Gravito Stream queue on its Redis driver. Each lane of the queue (the base list
 * `{prefix}{q}` and one list per priority, `{prefix}{q}:{priority}`) is a list that producers
 * `LPUSH` and workers `RPOP`, so its right end is its oldest job; beside each lane sit its
 * `:delayed` zset (score = due time, epoch ms) and its `:paused` flag (`"1"` when paused). A
 * worker pops the lanes in the order critical, high, base, low. Failures go to one list,
 * `{prefix}{q}:failed`, newest on the left, capped at 1000 entries by Stream itself.
 *
 * Counts: `waiting` and `paused` split the lanes' jobs by their lane's flag; `delayed` sums
 * every lane's zset; `failed` is the failed list's length; `active` is 0, because a popped job
 * is held only in the worker's memory and Stream keeps no key for it. A pause is per lane, so
 * the reading's `paused` flag is the base list's: pausing the queue pauses its base lane.
 */
import type { FailedJobSample } from '../../../schema';
import { countOf, MAX_FAILED_SAMPLE } from '../../failed-sample';
import { monitorRedis } from '../../monitor-redis';
import { oneTrip } from '../../read-batch';
import { checkKnownOptions, optionError } from '../../probe-options';
import type { ProbeOptions, ProbeType, QueueProbe } from '../../types';
import { streamKeys, streamPrefixOption } from './keys';
import { streamFailedSample } from './failed-sample';
/** The priority lanes Stream's worker polls besides the base list. */
const DEFAULT_PRIORITIES = ['critical', 'high', 'low'] as const;
/** Key suffixes of a lane; a priority of one of these names would collide with them. */
const RESERVED_SUFFIXES: readonly string[] = ['delayed', 'failed', 'paused'];
/** Reads the `priorities` option: distinct, non-empty lane names (the executors act on the same lanes). */
export function prioritiesOption(queue: string, options: ProbeOptions): readonly string[] {
  const value = options.priorities ?? DEFAULT_PRIORITIES;
  const valid =
    Array.isArray(value) &&
    value.every((p) => typeof p === 'string' && p !== '' && !RESERVED_SUFFIXES.includes(p)) &&
    new Set(value).size === value.length;
  if (!valid) {
    throw optionError(
      queue,
      'stream',
      'priorities',
      'an array of distinct, non-empty lane names other than delayed, failed and paused',
    );
  }
  return value as readonly string[];
}

/** A job's `createdAt` (epoch ms); the rest of the payload is dropped as it is read. */
function createdAtOf(raw: string | null): number | undefined {
  if (!raw) return undefined;
  try {
    const job: unknown = JSON.parse(raw, (key, value: unknown) =>
      key === '' || key === 'createdAt' ? value : undefined,
    );
    const createdAt = (job as { createdAt?: unknown } | null)?.createdAt;
    return typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `stream` probe type. Options: `prefix` (Stream's key prefix, `queue:` by default) and
 * `priorities` (the lane names besides the base list, `['critical', 'high', 'low']` by default).
 */
export const streamProbe: ProbeType = {
  type: 'stream',
  usesRedis: true,
  options: ['prefix', 'priorities'],
  create(queue, options): QueueProbe {
    checkKnownOptions(queue, streamProbe, options);
    const keys = streamKeys(streamPrefixOption(queue, options), queue);
    const lanes = [keys.base, ...prioritiesOption(queue, options).map((p) => keys.lane(p))];
    const failedKey = keys.failed;
    return {
      queue,
      driver: 'stream',
      async read(context) {
        const redis = monitorRedis(context);
        const [laneReplies, failedCount, failedRaw] = await oneTrip(redis, (r) => [
          Promise.all(
            lanes.map((lane) =>
              Promise.all([
                r.llen(lane),
                r.get(keys.paused(lane)),
                r.zcard(keys.delayed(lane)),
                r.lindex(lane, -1),
              ]),
            ),
          ),
          r.llen(failedKey),
          r.lrange(failedKey, 0, MAX_FAILED_SAMPLE - 1),
        ]);
        const size = { waiting: 0, active: 0, failed: countOf(failedCount), delayed: 0, paused: 0 };
        let oldest: number | undefined;
        // The base list is the first lane.
        const paused = laneReplies[0]?.[1] === '1';
        for (const [length, pausedFlag, delayed, tail] of laneReplies) {
          if (pausedFlag === '1') size.paused += countOf(length);
          else size.waiting += countOf(length);
          size.delayed += countOf(delayed);
          const createdAt = createdAtOf(tail);
          if (createdAt !== undefined && (oldest === undefined || createdAt < oldest)) {
            oldest = createdAt;
          }
        }
        const failedSample = failedRaw
          .map(streamFailedSample)
          .filter((entry): entry is FailedJobSample => entry !== undefined);
        return {
          size,
          paused,
          failedSample,
          ...(oldest === undefined
            ? {}
            : { oldestWaitingAgeMs: Math.max(0, context.nowMs - oldest) }),
        };
      },
    };
  },
};
