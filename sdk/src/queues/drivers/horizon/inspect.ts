/**
 * `inspect` on a `horizon` queue: the job's record in Horizon's repository, the hash
 * `{horizonPrefix}{id}` with `queue`, `name`, `status`, `payload` (Laravel's JSON, whose
 * `attempts` and `maxTries` give the attempts), `exception` (`(string) $exception`: the message
 * line, then the trace), and the times `created_at`, `reserved_at`, `completed_at`,
 * `failed_at` (unix seconds with a fraction). A record names its queue, since Horizon's ids are
 * app-wide: one of another queue is not found in this one.
 *
 * Read-only and bounded in two round trips: `HMGET` of the small fields and `HSTRLEN` of
 * `payload` and `exception`, then `HGET` of those at most `MAX_FIELD_READ_BYTES` long. The
 * command in the payload is PHP-serialized; its properties are redacted by name in the text.
 */
import type { RedisClient } from '../../../redis/redis-client';
import { CommandRejectedError } from '../../../commands/executor';
import type { CommandExecutor, ExecutionContext } from '../../../commands/executor';
import {
  MAX_FIELD_READ_BYTES,
  numberIn,
  timestampsOf,
  toInspectedJob,
  unreadText,
} from '../../../commands/inspect/inspected-job';
import type { ReadJob } from '../../../commands/inspect/inspected-job';
import { laravelOptions } from '../laravel/keys';
import { horizonKeys, horizonPrefixOption } from './keys';

const SMALL = ['queue', 'name', 'status', 'created_at', 'reserved_at', 'completed_at', 'failed_at'];
const LARGE = ['payload', 'exception'] as const;

/** The Redis commands the executor sends, for the ACL rules. */
export const HORIZON_INSPECT_COMMANDS = ['hmget', 'hstrlen', 'hget'];

/** Unix seconds (`microtime(true)` text) as epoch ms. */
const msOf = (seconds: unknown) => {
  const s = numberIn(seconds);
  return s === undefined ? undefined : Math.round(s * 1000);
};

/** `attempts` and `maxTries` of a Laravel payload, if it parses. */
function attemptsOf(payload: string | undefined): Pick<ReadJob, 'attemptsMade' | 'maxAttempts'> {
  if (payload === undefined) return {};
  try {
    const parsed = JSON.parse(payload) as { attempts?: unknown; maxTries?: unknown } | null;
    const attemptsMade = numberIn(parsed?.attempts);
    const maxAttempts = numberIn(parsed?.maxTries);
    return {
      ...(attemptsMade !== undefined ? { attemptsMade } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    };
  } catch {
    return {};
  }
}

/** The large fields, read when within the bound, else their placeholder. */
async function largeFields(redis: RedisClient, hash: string, lengths: number[]) {
  const out = new Map<string, string>();
  const unread: string[] = [];
  await Promise.all(
    LARGE.map(async (field, i) => {
      const size = lengths[i] ?? 0;
      if (size > MAX_FIELD_READ_BYTES) {
        unread.push(field === 'payload' ? 'data' : 'failedReason');
        out.set(field, unreadText(size));
      } else if (size > 0) {
        const value = await redis.hget(hash, field);
        if (value !== null) out.set(field, value);
      }
    }),
  );
  return { out, unread };
}

/**
 * Horizon's record of job `id` on `queue`.
 * @throws CommandRejectedError when there is none (never pushed, expired, or another queue's).
 */
export async function readHorizonJob(
  context: ExecutionContext,
  queue: string,
  id: string,
): Promise<ReadJob> {
  if (!context.redis) throw new Error('no monitor Redis connection');
  const redis = context.redis;
  const { hashTags } = laravelOptions(queue, 'horizon', context.options);
  const hash = horizonKeys(horizonPrefixOption(queue, 'horizon', context.options), hashTags).job(
    id,
  );
  const [small, lengths] = await Promise.all([
    redis.hmget(hash, ...SMALL),
    Promise.all(LARGE.map((field) => redis.hstrlen(hash, field))),
  ]);
  const [jobQueue, name, status, createdAt, reservedAt, completedAt, failedAt] = small;
  if (jobQueue !== queue) throw new CommandRejectedError(`job ${id} not found in queue ${queue}`);
  const { out, unread } = await largeFields(redis, hash, lengths);
  const payload = out.get('payload');
  const exception = out.get('exception');
  return {
    queue,
    id,
    ...(name ? { name } : {}),
    ...(status ? { state: status } : {}),
    ...(payload !== undefined ? { data: payload } : {}),
    ...attemptsOf(payload),
    timestamps: timestampsOf({
      createdAt: msOf(createdAt),
      processedAt: msOf(reservedAt),
      finishedAt: msOf(completedAt ?? failedAt),
      delayUntil: undefined,
    }),
    ...(exception !== undefined
      ? { failedReason: exception.split('\n', 1)[0] ?? '', stacktrace: [exception] }
      : {}),
    unread,
  };
}

/** Reads one job's Horizon record, redacted and capped. */
export const horizonInspectExecutor: CommandExecutor = {
  type: 'horizon',
  verb: 'inspect',
  async execute(context, target) {
    if (target.jobId === undefined) throw new CommandRejectedError('inspect needs a job id');
    const read = await readHorizonJob(context, target.queue, target.jobId);
    return { affected: 1, job: toInspectedJob(read, context.redact) };
  },
};
