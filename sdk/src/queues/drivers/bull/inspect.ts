/**
 * `inspect` on a `bull` queue: Bull keeps a job's hash and logs exactly as BullMQ does (see
 * `bull-family/inspect-job.ts`), so the same bounded raw reads serve it, without the package.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { inspectBullJob } from '../bull-family/inspect-job';

/** Reads one Bull job, redacted and capped. */
export const bullInspectExecutor: CommandExecutor = {
  type: 'bull',
  verb: 'inspect',
  execute: (context, target) => inspectBullJob('bull', context, target),
};
