/**
 * What the bulk buttons of a failure group say, apart from React: the blast radius a dry run
 * found, the cap the agent applies, and the outcome of the command that followed.
 */
import type { CommandPreview, CommandStatus, SkippedJobs } from '../../api/commands';
import { formatCount } from './format';

/** The two verbs a failure group's buttons run. */
export type BulkVerb = 'retry' | 'delete';

/** The skip reason of the jobs past the agent's `maxJobsPerCommand`. */
export const OVER_CAP = 'over maxJobsPerCommand';

const jobs = (n: number) => `${formatCount(n)} ${n === 1 ? 'job' : 'jobs'}`;
const past = (verb: BulkVerb) => (verb === 'delete' ? 'deleted' : 'retried');

/** Jobs the agent leaves out by its cap; 0 when it named none. */
export function overCap(skipped: readonly SkippedJobs[]): number {
  return skipped.find((s) => s.reason === OVER_CAP)?.count ?? 0;
}

/** `5 jobs (exact)`, or `at least 5 jobs (5 of the 10,000 newest scanned)`. */
export function blastRadius(preview: CommandPreview): string {
  if (preview.complete) {
    return `${jobs(preview.matched)} (exact)`;
  }
  return `at least ${jobs(preview.matched)} (${formatCount(preview.matched)} of the ${formatCount(
    preview.scanned
  )} newest failed jobs scanned)`;
}

/** Jobs the command will take: the matches less those past the cap, never below 0. */
export function willTake(preview: CommandPreview, skipped: readonly SkippedJobs[]): number {
  return Math.max(0, preview.matched - overCap(skipped));
}

/** What the cap means for this command. */
export function capText(verb: BulkVerb, preview: CommandPreview, skipped: readonly SkippedJobs[]): string {
  const over = overCap(skipped);
  const take = willTake(preview, skipped);
  if (over > 0) {
    return `At most ${jobs(take)} will be ${past(verb)} (the agent's maxJobsPerCommand); ${jobs(
      over
    )} stay for a later run.`;
  }
  return `All ${jobs(take)} will be ${past(verb)}, in paced batches.`;
}

/** `2 over maxJobsPerCommand, 1 no longer failed`. */
export function skippedText(skipped: readonly SkippedJobs[]): string {
  return skipped.map((s) => `${formatCount(s.count)} ${s.reason}`).join(', ');
}

/** The toast for a finished bulk command, and whether it is good news. */
export function describeBulkOutcome(verb: BulkVerb, outcome: CommandStatus): { ok: boolean; message: string } {
  switch (outcome.status) {
    case 'succeeded': {
      const done = `${past(verb)} ${jobs(outcome.affected ?? 0)}`;
      return {
        ok: true,
        message: outcome.skipped.length > 0 ? `${done}; skipped ${skippedText(outcome.skipped)}` : done,
      };
    }
    case 'rejected':
    case 'failed':
      return { ok: false, message: `${outcome.status}: ${outcome.reason ?? 'no reason given'}` };
    case 'expired':
      return { ok: false, message: 'expired: no agent answered before the deadline' };
    default:
      return { ok: false, message: `still ${outcome.status}` };
  }
}
