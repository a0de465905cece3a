/**
 * The executor contract: one file per queue system and verb (in `queues/drivers/<system>/`),
 * each moving jobs the way that system itself does, atomically. The command listener
 * (signature checks, replay protection, allow-lists, results) decides *whether* to run one; an
 * executor only does the work.
 */
import type { RedisClient } from '../redis/redis-client';
import type { ProbeOptions } from '../queues/types';
import type { CommandVerb } from '../schema/command';

/** What a command targets on one queue. */
export interface ExecutionTarget {
  /** The queue's name, as registered with `monitorQueue()`. */
  queue: string;
  /**
   * `job`: exactly the failed job `jobId` (matched exactly, never as a substring).
   * `all-failed`: the queue's failed jobs, newest first, at most `maxJobs` of them.
   */
  scope: 'job' | 'all-failed';
  /** The job's exact id; set when `scope` is `job`. */
  jobId?: string;
  /** The most jobs an `all-failed` command may touch. */
  maxJobs: number;
}

/** What an executor is given: the queue's own Redis and the options it was registered with. */
export interface ExecutionContext {
  /** The monitor connection (the application's Redis); unset for `sqs`. */
  redis: RedisClient | undefined;
  /** The `monitorQueue()` options of the queue (`prefix`, `redisPrefix`, `queueUrl`, …). */
  options: ProbeOptions;
}

/** The outcome of a command that ran. */
export interface ExecutionOutcome {
  /** Jobs retried or deleted. */
  affected: number;
}

/** One verb on one queue system. */
export interface CommandExecutor {
  /** The probe type it serves (`bullmq`, `laravel`, …). */
  readonly type: string;
  readonly verb: CommandVerb;
  /**
   * Does the work. Rejects with `CommandRejectedError` when the command cannot apply (the job
   * is not among the failed jobs, or the system has no such operation); with any other error
   * when the system failed.
   */
  execute(context: ExecutionContext, target: ExecutionTarget): Promise<ExecutionOutcome>;
}

/** A command that cannot apply; its message is the result's `reason`. */
export class CommandRejectedError extends Error {
  override readonly name = 'CommandRejectedError';
}

/**
 * The outcome of a script that moved or removed `affected` jobs. A command for one job that
 * affected none lost a race: the job left the failed jobs between the read and the script.
 */
export function outcomeOf(target: ExecutionTarget, affected: number): ExecutionOutcome {
  if (target.scope === 'job' && affected === 0) {
    throw new CommandRejectedError(`job ${target.jobId ?? ''} left the failed jobs meanwhile`);
  }
  return { affected };
}
