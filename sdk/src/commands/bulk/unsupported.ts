/**
 * The refusal of a bulk selection a system cannot make: an executor that would otherwise
 * ignore `fingerprint` (and act on every failed job) or `dryRun` (and act at all) rejects the
 * command first, with the reason.
 */
import { CommandRejectedError } from '../executor';
import type { ExecutionTarget } from '../executor';

/** What a system cannot do, and why. */
export interface BulkGaps {
  /** Why it cannot select by fingerprint; unset when it can. */
  fingerprint?: string;
  /** Why it cannot make a dry run; unset when it can. */
  dryRun?: string;
}

/** @throws CommandRejectedError when `target` asks for what `gaps` names. */
export function refuseBulkGaps(target: ExecutionTarget, type: string, gaps: BulkGaps): void {
  if (target.fingerprint !== undefined && gaps.fingerprint !== undefined) {
    throw new CommandRejectedError(
      `${type} queues cannot select failed jobs by error fingerprint: ${gaps.fingerprint}`,
    );
  }
  if (target.dryRun === true && gaps.dryRun !== undefined) {
    throw new CommandRejectedError(`${type} queues cannot preview a command: ${gaps.dryRun}`);
  }
}
