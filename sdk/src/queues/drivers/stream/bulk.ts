/**
 * Bulk commands on a `stream` queue (`all-failed` by failure group, and dry runs): the failed
 * list `{prefix}{q}:failed` is read newest first (its left end), in pages, never past
 * `maxScan` entries, and each entry is fingerprinted exactly as the probe's failed sample is
 * grouped: `streamFailedSample` of the entry (id, class, time, error cut to 200 characters),
 * no stack, no application root (the queue monitor groups that sample with none).
 *
 * An entry has no identity but its exact text, so the selection carries the entries
 * themselves, and each selected entry is then moved by the verb's own script, which acts only
 * on that exact text (`LREM … 1`) and so skips an entry that left the list meanwhile.
 *
 * Order: the selection is the newest `maxJobs` entries of the group, as the preview's sample
 * (its newest ten) shows them; a retry then pushes that selection oldest first, batch after
 * batch, as Stream's own retry and this driver's plain `all-failed` retry do, so the oldest
 * failure is first in line. A delete removes the same selection in the same order.
 *
 * A dry run without a fingerprint counts every entry that is a job (the list is untrusted, so
 * its length is no count of jobs), within `maxScan`; a dry run on one job previews that job.
 */
import type { ExecutionOutcome, ExecutionTarget } from '../../../commands/executor';
import { runBulk } from '../../../commands/bulk/run-bulk';
import type { FailedSet } from '../../../commands/bulk/failed-selection';
import type { RedisClient } from '../../../redis/redis-client';
import { parsedStreamJob, streamFailedEntries } from './failed-entries';
import type { StreamFailedEntry } from './failed-entries';
import { streamFailedSample } from './failed-sample';
import type { StreamKeys } from './keys';

/** Whether `target` takes the bulk path: a selection by failure group, or a dry run. */
export function isStreamBulk(target: ExecutionTarget): boolean {
  if (target.dryRun === true) return true;
  return target.scope === 'all-failed' && target.fingerprint !== undefined;
}

/** The dry run of a command on one job: the job, found as the command would find it. */
async function previewOne(
  redis: RedisClient,
  keys: StreamKeys,
  target: ExecutionTarget,
): Promise<ExecutionOutcome> {
  const [entry] = await streamFailedEntries(redis, keys, target);
  const sample = entry && streamFailedSample(entry.raw);
  return {
    affected: 0,
    preview: { matched: 1, scanned: 1, complete: true, sample: sample ? [sample] : [] },
  };
}

/**
 * Runs `target` on the failed list of its queue, moving each selected entry with `moveOne`
 * (the verb's script for that one entry; resolves to 1 when it moved, 0 when it was gone).
 */
export async function runStreamBulk(
  redis: RedisClient,
  keys: StreamKeys,
  target: ExecutionTarget,
  verb: string,
  moveOne: (entry: StreamFailedEntry) => Promise<number>,
): Promise<ExecutionOutcome> {
  if (target.scope === 'job') return previewOne(redis, keys, target);
  // The list is untrusted: its length counts entries that are no job, so, as for a set shared
  // with other queues, every selection reads the entries and counts only the jobs.
  const set: FailedSet = {
    shared: true,
    size: () => redis.llen(keys.failed),
    ids: (start, count) => redis.lrange(keys.failed, start, start + count - 1),
    failures: (raws) => Promise.resolve(raws.map((raw) => streamFailedSample(raw))),
  };
  // Sent together, so that ioredis writes them in one go and the replies come back as one.
  const positions = (raws: readonly string[]) =>
    Promise.all(raws.map((raw) => redis.lpos(keys.failed, raw)));
  return runBulk(
    target,
    set,
    {
      oldestFirst: true,
      async check(raws) {
        const found = await positions(raws);
        return raws.map((raw, i) => {
          const failure = streamFailedSample(raw);
          return { failed: found[i] !== null, ...(failure ? { failure } : {}) };
        });
      },
      async move(raw) {
        const job = parsedStreamJob(raw);
        if (job === undefined) throw new Error('the entry is no JSON job with an id');
        if ((await moveOne({ raw, job })) !== 1) throw new Error('the entry left the list');
      },
      async isFailed(raw) {
        return (await redis.lpos(keys.failed, raw)) !== null;
      },
    },
    verb,
    // The queue monitor groups the probe's failed sample with no application root.
    undefined,
  );
}
