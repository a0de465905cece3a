/**
 * What the `pause` executors share: which way a command goes, and the outcome of a queue that
 * was already where the command would put it. `PAUSE_QUEUE` and `RESUME_QUEUE` share the verb
 * `pause`; the listener sets the type on the target.
 *
 * A queue already paused (or already running) is not an error: the operator's intent holds, so
 * the command succeeds with `affected: 0` and says why in `skipped`, and nothing is written (a
 * second pause would otherwise emit a second `paused` event, and a resume of a running BullMQ
 * queue would add a marker).
 */
import { CommandRejectedError } from '../../commands/executor';
import type { ExecutionOutcome, ExecutionTarget } from '../../commands/executor';
import { MAX_PREVIEW_SAMPLE } from '../../schema/command-result';

/** Why a pause or resume is never a dry run. */
export const PAUSE_DRY_RUN_REASON =
  'a pause or resume has nothing to preview (it acts on the queue, not on jobs); send it without dryRun';

/**
 * `true` to pause, `false` to resume.
 * @throws CommandRejectedError for a dry run, which must never change the queue.
 */
export function pausing(target: ExecutionTarget): boolean {
  if (target.dryRun === true) throw new CommandRejectedError(PAUSE_DRY_RUN_REASON);
  if (target.type === 'PAUSE_QUEUE') return true;
  if (target.type === 'RESUME_QUEUE') return false;
  throw new CommandRejectedError(
    `the pause verb needs the command type PAUSE_QUEUE or RESUME_QUEUE (${String(target.type)})`,
  );
}

/** The skip reason of a queue that already was paused or running. */
export const ALREADY_PAUSED = 'the queue was already paused';
/** The skip reason of a resume of a queue that was not paused. */
export const NOT_PAUSED = 'the queue was not paused';

/**
 * Runs `change` unless the queue already is in the state the command asks for.
 * @param isPaused reads whether the queue is paused now.
 * @param change pauses (`true`) or resumes (`false`) the queue.
 */
export async function setPaused(
  target: ExecutionTarget,
  isPaused: () => Promise<boolean>,
  change: (pause: boolean) => Promise<void>,
): Promise<ExecutionOutcome> {
  const pause = pausing(target);
  if ((await isPaused()) === pause) {
    return { affected: 0, skipped: [{ reason: pause ? ALREADY_PAUSED : NOT_PAUSED, count: 1 }] };
  }
  await change(pause);
  return { affected: 1 };
}

/** The bound of a bulk promotion, refused below one so that a bad bound never widens it. */
export function promoteBound(target: ExecutionTarget): number {
  const maxJobs = Math.floor(target.maxJobs);
  if (!(maxJobs >= 1)) throw new CommandRejectedError(`maxJobs must be at least 1 (${maxJobs})`);
  return maxJobs;
}

/** The job id a `job`-scoped command names. */
export function requiredJobId(target: ExecutionTarget): string {
  if (target.jobId === undefined || target.jobId === '') {
    throw new CommandRejectedError('a command with scope job needs a job id');
  }
  return target.jobId;
}

/**
 * The outcome of a dry run of a promotion: the `ids` it would promote (up to the bound, soonest
 * due first), as a preview; nothing moved. `complete` when fewer than `maxJobs` were found, so
 * the read saw every delayed job.
 */
export function promotePreview(
  ids: readonly (string | undefined)[],
  maxJobs: number,
): ExecutionOutcome {
  const known = ids.filter((id): id is string => id !== undefined && id !== '');
  return {
    affected: 0,
    preview: {
      matched: ids.length,
      scanned: ids.length,
      complete: ids.length < maxJobs,
      // An entry without an id (not a JSON job) is counted but not shown.
      sample: known.slice(0, MAX_PREVIEW_SAMPLE).map((id) => ({ id })),
    },
  };
}
