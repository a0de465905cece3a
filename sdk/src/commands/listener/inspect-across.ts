/**
 * `INSPECT_JOB` on queue `*`: the exact job id looked up in each monitored queue with `inspect`
 * enabled, in order, until one has it. A queue that cannot inspect, or has no such job, is
 * passed over; one whose Redis failed does not stop the search either, but its error is what
 * the command reports when no queue had the job.
 */
import { CommandRejectedError } from '../executor';
import type { ExecutionOutcome } from '../executor';
import type { QueueCandidate } from './command-decision';

/**
 * The outcome of `run` on the first of `queues` that does not reject.
 * @throws the first system error when none found the job and one failed; else a rejection.
 */
export async function inspectAcross(
  queues: readonly QueueCandidate[],
  jobId: string,
  run: (candidate: QueueCandidate) => Promise<ExecutionOutcome>,
): Promise<ExecutionOutcome> {
  let failure: Error | undefined;
  for (const candidate of queues) {
    try {
      return await run(candidate);
    } catch (error) {
      if (!(error instanceof CommandRejectedError)) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
  }
  if (failure !== undefined) throw failure;
  throw new CommandRejectedError(
    `job ${jobId} not found in any queue with inspect enabled (${queues.map((q) => q.queue).join(', ')})`,
  );
}
