/**
 * One bulk command over a queue's failed jobs (`all-failed`, with or without a fingerprint):
 * selects (see `selectFailed`), and, unless it is a dry run, moves the selected jobs in paced
 * batches. Each batch is checked again in one round trip first: a job that left the failed jobs
 * or whose error changed since the selection is skipped with that reason. A job whose move
 * fails is skipped with the error's first line; only a failure of Redis itself (the check that
 * follows fails too) stops the command.
 */
import type { Failure } from '../../queues/failures/groups';
import { CommandRejectedError } from '../executor';
import type { ExecutionOutcome, ExecutionTarget } from '../executor';
import { BULK_DEFAULTS } from './bulk-limits';
import type { BulkLimits } from './bulk-limits';
import { groupKeyOf, selectFailed } from './failed-selection';
import type { FailedSet } from './failed-selection';
import { runPaced } from './paced-run';
import { SKIP_REASONS, SkipTally } from './skip-tally';

/** A failed job as a batch's check finds it. */
export interface FailedNow {
  /** Whether it is still among the failed jobs. */
  failed: boolean;
  /** Its failure as stored now, where it could be read. */
  failure?: Failure;
}

/** How one system moves the jobs a bulk command selected. */
export interface BulkMover {
  /** Each job's state now, in order, in one round trip. */
  check(ids: readonly string[]): Promise<FailedNow[]>;
  /** Moves one job (retries or deletes it); rejects when it could not. */
  move(id: string): Promise<void>;
  /** Whether the job is failed now; rejects only when Redis fails. */
  isFailed(id: string): Promise<boolean>;
  /**
   * Whether the selected jobs move oldest first (the selection itself is always the newest):
   * for a system whose own retry puts the oldest failure first in line.
   */
  readonly oldestFirst?: boolean;
}

/** The bounds of `target`, each one its default where unset. */
export function limitsOf(target: ExecutionTarget): BulkLimits {
  return {
    maxScan: target.maxScan ?? BULK_DEFAULTS.maxScan,
    jobsPerBatch: target.jobsPerBatch ?? BULK_DEFAULTS.jobsPerBatch,
    batchPauseMs: target.batchPauseMs ?? BULK_DEFAULTS.batchPauseMs,
  };
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n', 1)[0] ?? '';

/**
 * Runs `target` (scope `all-failed`) on `set` with `mover`; `verb` names the move in skip
 * reasons. `root` is the application root the system's probe fingerprints with (undefined for
 * a probe that gives none), so a group's key here is the probe's.
 */
export async function runBulk(
  target: ExecutionTarget,
  set: FailedSet,
  mover: BulkMover,
  verb: string,
  root: string | undefined,
): Promise<ExecutionOutcome> {
  const maxJobs = Math.floor(target.maxJobs);
  // A bad bound must never widen the command.
  if (!(maxJobs >= 1)) throw new CommandRejectedError(`maxJobs must be at least 1 (${maxJobs})`);
  const limits = limitsOf(target);
  const { fingerprint } = target;
  const selection = await selectFailed(
    set,
    { ...(fingerprint === undefined ? {} : { fingerprint }), maxJobs, maxScan: limits.maxScan },
    root,
  );
  const tally = new SkipTally();
  tally.add(SKIP_REASONS.overCap, selection.overCap);
  let affected = 0;
  if (target.dryRun !== true) {
    const order = mover.oldestFirst === true ? [...selection.ids].reverse() : selection.ids;
    await runPaced(order, limits, async (batch) => {
      const now = await mover.check(batch);
      for (const [i, id] of batch.entries()) {
        const state = now[i];
        if (!state?.failed) {
          tally.add(SKIP_REASONS.notFailed);
          continue;
        }
        if (
          fingerprint !== undefined &&
          (state.failure === undefined || groupKeyOf(state.failure, root) !== fingerprint)
        ) {
          tally.add(SKIP_REASONS.errorChanged);
          continue;
        }
        try {
          await mover.move(id);
          affected += 1;
        } catch (error) {
          const failed = await mover.isFailed(id);
          tally.add(failed ? `could not ${verb}: ${firstLine(error)}` : SKIP_REASONS.notFailed);
        }
      }
    });
  }
  const skipped = tally.list();
  return { affected, ...(skipped.length > 0 ? { skipped } : {}), preview: selection.preview };
}
