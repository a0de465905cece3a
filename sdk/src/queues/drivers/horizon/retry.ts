/**
 * `retry` on a `horizon` queue: what Horizon's `RetryFailedJob` does, in one script per command:
 * - the failed payload is pushed again as a new job (`RPUSH queues:{q}` plus a notify token, as
 *   `RedisQueue::pushRaw()`), with `id` and `uuid` set to a new id, `attempts` 0, `retry_of`
 *   the failed id, `retryUntil` moved as far ahead as it was, and `pushedAt` now;
 * - the new job is recorded as Horizon's `pushed()` does (`recent_jobs`, `pending_jobs`, its
 *   hash expiring after Horizon's default 60 minutes);
 * - the failed job stays in `failed_jobs` and gains a `retried_by` entry, as Horizon's
 *   `storeRetryReference()` writes it.
 * Left out: tag indexes and monitored tags, metrics, and the `JobPushed` listeners other than
 * the one storing the job. `type`, `tags` and `silenced` keep the failed payload's values.
 * A new id is a random uuid, where Horizon takes `Str::orderedUuid()`: Horizon orders jobs by
 * their scores, not their ids.
 */
import { randomUUID } from 'node:crypto';
import { CommandRejectedError } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';
import { laravelQueueKeys } from '../laravel/keys';
import { horizonContext, horizonFailedJobs } from './failed-jobs';
import { patchTopLevel, phpJsonString, phpMicrotime, phpReencode, phpTruthy } from './php-json';
import { runHorizonBulk } from './bulk';

/** Horizon's `trim.recent` default: a pending job's hash expires after it, minutes. */
const RECENT_MINUTES = 60;

/**
 * `prepareNewTimeout()`: a job that had `retryUntil` (or the older `timeoutAt`) gets as many
 * seconds from now as it had from its push; otherwise `null`.
 */
function newTimeout(decoded: Record<string, unknown>, nowMs: number): string {
  const until = decoded.retryUntil ?? decoded.timeoutAt ?? null;
  if (!phpTruthy(until)) return 'null';
  const seconds = Math.ceil(Number(until) - Number(decoded.pushedAt ?? 0));
  return String(Math.floor(nowMs / 1000) + seconds);
}

/**
 * `preparePayload()` then `JobPayload::prepare()`: the payload as PHP would re-encode it. The
 * failed payload is normalised as PHP's decode and encode would (`phpReencode`), then patched
 * as text, so every other member keeps the bytes PHP would give it (a decode then
 * `JSON.stringify` or `cjson` would lose PHP's `1.0`, `\/` and key order). Not modelled:
 * numbers another encoder wrote differently from PHP (`1e+25` for PHP's `1.0e+25`) and upper-case
 * `\uXXXX` escapes. Undefined if the payload is not a JSON object.
 */
export function horizonRetryPayload(
  payload: string,
  failedId: string,
  newId: string,
  nowMs: number,
): { payload: string; name: string } | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return undefined;
  const fields = decoded as Record<string, unknown>;
  const patched = patchTopLevel(phpReencode(payload), [
    ['id', phpJsonString(newId)],
    ['uuid', phpJsonString(newId)],
    ['attempts', '0'],
    ['retry_of', phpJsonString(failedId)],
    ['retryUntil', newTimeout(fields, nowMs)],
    ['pushedAt', phpJsonString(phpMicrotime(nowMs / 1000))],
  ]);
  const name = typeof fields.displayName === 'string' ? fields.displayName : '';
  return patched === undefined ? undefined : { payload: patched, name };
}

/**
 * KEYS: failed_jobs, recent_jobs, pending_jobs, queue, notify, then per job its failed hash
 * and its new hash. ARGV: expire-at, score, microtime, then 8 per job. A job is retried only
 * if it is still failed with the payload read, so a concurrent change is never overwritten.
 */
const RETRY_FAILED = `local n = 0
for i = 0, (#ARGV - 3) / 8 - 1 do
  local a = 3 + i * 8
  local failedHash, newHash = KEYS[6 + i * 2], KEYS[7 + i * 2]
  local newId, payload = ARGV[a + 3], ARGV[a + 4]
  if redis.call('ZSCORE', KEYS[1], ARGV[a + 1]) and
      redis.call('HGET', failedHash, 'payload') == ARGV[a + 2] then
    redis.call('RPUSH', KEYS[4], payload)
    redis.call('RPUSH', KEYS[5], 1)
    redis.call('ZADD', KEYS[2], ARGV[2], newId)
    redis.call('ZADD', KEYS[3], ARGV[2], newId)
    redis.call('HSET', newHash, 'id', newId, 'connection', ARGV[a + 6], 'queue', ARGV[a + 7],
      'name', ARGV[a + 5], 'status', 'pending', 'payload', payload,
      'created_at', ARGV[3], 'updated_at', ARGV[3])
    redis.call('EXPIREAT', newHash, ARGV[1])
    -- storeRetryReference(): append to the JSON list as text, keeping earlier entries' bytes.
    local prior = redis.call('HGET', failedHash, 'retried_by')
    if not prior or prior == '' or prior == '[]' then
      prior = '[' .. ARGV[a + 8] .. ']'
    else
      prior = string.sub(prior, 1, -2) .. ',' .. ARGV[a + 8] .. ']'
    end
    redis.call('HSET', failedHash, 'retried_by', prior)
    n = n + 1
  end
end
return n`;

/** Retries failed Horizon jobs as Horizon's dashboard does. */
export const horizonRetryExecutor: CommandExecutor = {
  type: 'horizon',
  verb: 'retry',
  async execute(context, target) {
    if (target.scope === 'all-failed') {
      return runHorizonBulk(context, target, 'retry', (jobId) =>
        horizonRetryExecutor.execute(context, { ...target, scope: 'job', jobId }),
      );
    }
    const { redis, horizon, placement } = horizonContext(context, target.queue);
    const jobs = await horizonFailedJobs(redis, horizon, target);
    const nowMs = Date.now();
    const nowSeconds = Math.floor(nowMs / 1000);
    const queueKeys = laravelQueueKeys(placement, target.queue);
    const keys = [
      ...(['failed_jobs', 'recent_jobs', 'pending_jobs'] as const).map((i) => horizon.index(i)),
      queueKeys.waiting,
      queueKeys.notify,
    ];
    const args = [
      String(nowSeconds + RECENT_MINUTES * 60),
      phpMicrotime(-nowMs / 1000),
      phpMicrotime(nowMs / 1000),
    ];
    for (const job of jobs) {
      const newId = randomUUID();
      const retry = job.payload && horizonRetryPayload(job.payload, job.id, newId, nowMs);
      if (!retry) {
        if (target.scope === 'job') {
          throw new CommandRejectedError(`failed job ${job.id} has no JSON payload to push`);
        }
        continue;
      }
      keys.push(horizon.job(job.id), horizon.job(newId));
      const reference = `{"id":${phpJsonString(newId)},"status":"pending","retried_at":${nowSeconds}}`;
      args.push(
        job.id,
        job.payload ?? '',
        newId,
        retry.payload,
        retry.name,
        job.connection ?? 'redis',
        target.queue,
        reference,
      );
    }
    if (keys.length === 5) return { affected: 0 };
    const affected = Number(await redis.eval(RETRY_FAILED, keys.length, ...keys, ...args));
    if (target.scope === 'job' && affected === 0) {
      throw new CommandRejectedError(`job ${target.jobId ?? ''} changed meanwhile; not retried`);
    }
    return { affected };
  },
};
