/**
 * One BullMQ or Bull job read from its hash and its logs list, for `inspect`: both libraries
 * keep `data`, `opts`, `timestamp`, `processedOn`, `finishedOn`, `delay`, `failedReason`,
 * `stacktrace` (a JSON array) and `returnvalue` in `{prefix}:{queue}:{id}`, and `job.log()`
 * lines in `{prefix}:{queue}:{id}:logs`. BullMQ 5+ counts attempts in `atm`, Bull and older
 * BullMQ in `attemptsMade`.
 *
 * Bounded in two round trips, read-only, with no script (a cluster needs no shared slot):
 * 1. `EXISTS`, `HMGET` of the small fields, `HSTRLEN` of the large ones, `ZSCORE` in the
 *    `failed`, `completed` and `delayed` sets (for the state) and `LLEN` of the logs;
 * 2. `HGET` of each large field of at most `MAX_FIELD_READ_BYTES` (larger ones are not read:
 *    JSON cannot be redacted by key unless it is parsed whole) and `LRANGE logs -50 -1`.
 */
import type { RedisClient } from '../../../redis/redis-client';
import { CommandRejectedError } from '../../../commands/executor';
import type {
  ExecutionContext,
  ExecutionOutcome,
  ExecutionTarget,
} from '../../../commands/executor';
import {
  MAX_FIELD_READ_BYTES,
  MAX_INSPECTED_LINES,
  numberIn,
  timestampsOf,
  toInspectedJob,
  unreadText,
} from '../../../commands/inspect/inspected-job';
import type { ReadJob } from '../../../commands/inspect/inspected-job';
import { redisOf } from './failed-jobs';
import { bullKeys, bullPrefixOption } from './keys';
import type { BullKeys } from './keys';

const SMALL = ['name', 'timestamp', 'processedOn', 'finishedOn', 'delay', 'atm', 'attemptsMade'];
const LARGE = ['data', 'opts', 'failedReason', 'stacktrace', 'returnvalue'] as const;
type Large = (typeof LARGE)[number];

/** The Redis commands {@link readBullJob} sends, for the ACL rules. */
export const BULL_INSPECT_COMMANDS = [
  'exists',
  'hmget',
  'hstrlen',
  'zscore',
  'llen',
  'hget',
  'lrange',
];

/** Where a job is, from the sets that hold it or, for the lists, its hash's times. */
function stateOf(sets: (string | null)[], processedOn: unknown, finishedOn: unknown): string {
  const [failed, completed, delayed] = sets;
  if (failed !== null) return 'failed';
  if (completed !== null) return 'completed';
  if (delayed !== null) return 'delayed';
  return numberIn(processedOn) && !numberIn(finishedOn) ? 'active' : 'waiting';
}

/** The large fields that exist and fit the read bound; the others, named. */
function readable(lengths: number[]): {
  read: Large[];
  unread: Large[];
  sizes: Map<Large, number>;
} {
  const read: Large[] = [];
  const unread: Large[] = [];
  const sizes = new Map<Large, number>();
  LARGE.forEach((field, i) => {
    const size = lengths[i] ?? 0;
    sizes.set(field, size);
    if (size > MAX_FIELD_READ_BYTES) unread.push(field);
    else if (size > 0) read.push(field);
  });
  return { read, unread, sizes };
}

/** The JSON array of strings in `field`, the newest `MAX_INSPECTED_LINES`; undefined if none. */
function stackOf(field: string | undefined): string[] | undefined {
  if (field === undefined) return undefined;
  try {
    const stacks: unknown = JSON.parse(field);
    if (!Array.isArray(stacks)) return [field];
    const lines = stacks.filter((s): s is string => typeof s === 'string');
    return lines.slice(-MAX_INSPECTED_LINES - 1);
  } catch {
    return [field];
  }
}

/** The large fields of `hash` within the read bound; the others as their placeholder. */
async function largeFields(
  redis: RedisClient,
  hash: string,
  lengths: number[],
): Promise<{ large: Map<Large, string>; unread: Large[] }> {
  const { read, unread, sizes } = readable(lengths);
  const values = await Promise.all(read.map((field) => redis.hget(hash, field)));
  const large = new Map<Large, string>();
  read.forEach((field, i) => {
    const value = values[i];
    if (typeof value === 'string') large.set(field, value);
  });
  for (const field of unread) large.set(field, unreadText(sizes.get(field) ?? 0));
  return { large, unread };
}

/** What the reads found, as an executor's `ReadJob`. */
function readJobOf(
  head: { queue: string; id: string; state: string },
  small: (string | null)[],
  large: Map<Large, string>,
  logs: string[] | undefined,
): ReadJob {
  const [name, timestamp, processedOn, finishedOn, delay, atm, attemptsMade] = small;
  const created = numberIn(timestamp);
  const delayMs = numberIn(delay);
  const maxAttempts = numberIn(attemptsOf(large.get('opts')));
  const attempts = numberIn(atm) ?? numberIn(attemptsMade);
  const text = (field: Large, as: keyof ReadJob) =>
    large.has(field) ? { [as]: large.get(field) } : {};
  return {
    ...head,
    ...(name !== null && name !== undefined ? { name } : {}),
    ...text('data', 'data'),
    ...text('opts', 'opts'),
    ...(attempts !== undefined ? { attemptsMade: attempts } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    timestamps: timestampsOf({
      createdAt: created,
      processedAt: processedOn,
      finishedAt: finishedOn,
      delayUntil: created !== undefined && delayMs ? created + delayMs : undefined,
    }),
    ...text('failedReason', 'failedReason'),
    ...(large.has('stacktrace') ? { stacktrace: stackOf(large.get('stacktrace')) } : {}),
    ...(logs !== undefined ? { logs } : {}),
    ...text('returnvalue', 'returnValue'),
  };
}

/**
 * The job `id` of `queue` as stored.
 * @throws CommandRejectedError when its hash does not exist.
 */
export async function readBullJob(
  redis: RedisClient,
  keys: BullKeys,
  queue: string,
  id: string,
): Promise<ReadJob> {
  const hash = keys.job(id);
  const [exists, small, lengths, sets, logCount] = await Promise.all([
    redis.exists(hash),
    redis.hmget(hash, ...SMALL),
    Promise.all(LARGE.map((field) => redis.hstrlen(hash, field))),
    Promise.all(['failed', 'completed', 'delayed'].map((s) => redis.zscore(keys.state(s), id))),
    redis.llen(keys.logs(id)),
  ]);
  if (exists === 0) throw new CommandRejectedError(`job ${id} not found in queue ${queue}`);
  const [{ large, unread }, logs] = await Promise.all([
    largeFields(redis, hash, lengths),
    logCount > 0 ? redis.lrange(keys.logs(id), -(MAX_INSPECTED_LINES + 1), -1) : undefined,
  ]);
  const state = stateOf(sets, small[2], small[3]);
  return {
    ...readJobOf({ queue, id, state }, small, large, logs),
    unread: unread.map((field) => (field === 'returnvalue' ? 'returnValue' : field)),
  };
}

/** `opts.attempts` of an options text, read without keeping anything else of it. */
function attemptsOf(opts: string | undefined): unknown {
  if (opts === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(opts);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as { attempts?: unknown }).attempts
      : undefined;
  } catch {
    return undefined;
  }
}

/** The inspect executor's work for a `bullmq` or `bull` queue. */
export async function inspectBullJob(
  type: 'bullmq' | 'bull',
  context: ExecutionContext,
  target: ExecutionTarget,
): Promise<ExecutionOutcome> {
  const redis = redisOf(context, type);
  const id = target.jobId;
  if (id === undefined) throw new CommandRejectedError('inspect needs a job id');
  const keys = bullKeys(bullPrefixOption(target.queue, type, context.options), target.queue);
  const read = await readBullJob(redis, keys, target.queue, id);
  return { affected: 1, job: toInspectedJob(read, context.redact) };
}
