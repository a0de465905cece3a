/**
 * The executor contract: one file per queue system and verb (in `queues/drivers/<system>/`),
 * each moving jobs the way that system itself does, atomically. The command listener
 * (signature checks, replay protection, allow-lists, results) decides *whether* to run one; an
 * executor only does the work.
 */
import type { RedisClient } from '../redis/redis-client';
import type { ProbeOptions } from '../queues/types';
import type { CommandScope, CommandType, CommandVerb } from '../schema/command';
import type { CommandPreview, SkippedJobs } from '../schema/command-result';
import type { InspectedJob } from '../schema/inspected-job';
import type { KeyMatcher } from './inspect/redact';

/** What a command targets on one queue. */
export interface ExecutionTarget {
  /**
   * The command type, set by the listener: `PAUSE_QUEUE` and `RESUME_QUEUE` share the `pause`
   * verb. The other verbs each have one type.
   */
  type?: CommandType;
  /** The queue's name, as registered with `monitorQueue()`. */
  queue: string;
  /**
   * `job`: exactly the job `jobId` (matched exactly, never as a substring).
   * `all-failed` / `all-delayed`: the queue's failed / delayed jobs, newest first, at most
   * `maxJobs` of them. `queue`: the queue itself.
   */
  scope: CommandScope;
  /** The job's exact id; set when `scope` is `job`. */
  jobId?: string;
  /** The most jobs a bulk command may touch. */
  maxJobs: number;
  /** `all-failed` only: just the failed jobs whose error fingerprint is this. */
  fingerprint?: string;
  /** Select and report, change nothing. */
  dryRun?: boolean;
  /**
   * `all-failed`: the most failed jobs the selection reads, newest first.
   * @default 10000
   */
  maxScan?: number;
  /**
   * `all-failed`: jobs moved between two pauses.
   * @default 100
   */
  jobsPerBatch?: number;
  /**
   * `all-failed`: the pause between two batches, ms.
   * @default 250
   */
  batchPauseMs?: number;
}

/** What an executor is given: the queue's own Redis and the options it was registered with. */
export interface ExecutionContext {
  /** The monitor connection (the application's Redis); unset for `sqs`. */
  redis: RedisClient | undefined;
  /** The `monitorQueue()` options of the queue (`prefix`, `redisPrefix`, `queueUrl`, …). */
  options: ProbeOptions;
  /**
   * `inspect`: the keys whose values are redacted (the defaults plus `redactKeys`).
   * @default the default patterns only (`DEFAULT_REDACT_KEYS`)
   */
  redact?: KeyMatcher;
}

/** The outcome of a command that ran. */
export interface ExecutionOutcome {
  /** Jobs retried, deleted or promoted; 1 for a queue paused or resumed, or a job inspected. */
  affected: number;
  /** Bulk commands: jobs selected but left alone, per reason. */
  skipped?: SkippedJobs[];
  /** Dry runs (and bulk commands): what the selection holds. */
  preview?: CommandPreview;
  /** `INSPECT_JOB`: the job, redacted and capped (the runner seals it). */
  job?: InspectedJob;
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
