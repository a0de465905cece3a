/**
 * `inspect` on a `stream` queue. Gravito Stream keeps no record by job id: a waiting job is a
 * bare list entry, a delayed one a zset member, and only the failed list holds jobs a reader
 * can find, as JSON with their `id`. So a job is found among the newest `maxJobs` failed
 * entries (the list is capped at 1000 by Stream itself), matched by exact `id`; elsewhere it is
 * not found, and the reason says where was looked.
 */
import { CommandRejectedError } from '../../../commands/executor';
import type { CommandExecutor } from '../../../commands/executor';
import { numberIn, timestampsOf, toInspectedJob } from '../../../commands/inspect/inspected-job';
import type { ReadJob } from '../../../commands/inspect/inspected-job';
import { streamContext, streamFailedEntries } from './failed-entries';

/** The Redis commands the executor sends, for the ACL rules. */
export const STREAM_INSPECT_COMMANDS = ['lrange'];

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** A failed entry's job as read. */
function readOf(queue: string, id: string, job: Record<string, unknown>): ReadJob {
  const data = typeof job.data === 'string' ? job.data : JSON.stringify(job.data ?? null);
  const opts = JSON.stringify({
    type: job.type,
    delaySeconds: job.delaySeconds,
    groupId: job.groupId,
  });
  const attemptsMade = numberIn(job.attempts);
  const maxAttempts = numberIn(job.maxAttempts);
  const error = text(job.error);
  const className = text(job.className);
  return {
    queue,
    id,
    ...(className !== undefined ? { name: className } : {}),
    state: 'failed',
    data,
    opts,
    ...(attemptsMade !== undefined ? { attemptsMade } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    timestamps: timestampsOf({
      createdAt: job.createdAt,
      processedAt: undefined,
      finishedAt: job.failedAt,
      delayUntil: undefined,
    }),
    ...(error !== undefined ? { failedReason: error } : {}),
  };
}

/** Reads one failed Stream job, redacted and capped. */
export const streamInspectExecutor: CommandExecutor = {
  type: 'stream',
  verb: 'inspect',
  async execute(context, target) {
    const id = target.jobId;
    if (id === undefined) throw new CommandRejectedError('inspect needs a job id');
    const { redis, keys } = streamContext(context, target.queue);
    const [entry] = await streamFailedEntries(redis, keys, target).catch((error: unknown) => {
      if (!(error instanceof CommandRejectedError)) throw error;
      throw new CommandRejectedError(
        `job ${id} not found in queue ${target.queue} (Stream keeps no index by id: only its newest ${target.maxJobs} failed jobs were searched)`,
      );
    });
    if (entry === undefined)
      throw new CommandRejectedError(`job ${id} not found in queue ${target.queue}`);
    return {
      affected: 1,
      job: toInspectedJob(readOf(target.queue, id, entry.job), context.redact),
    };
  },
};
