/**
 * `inspect` on a `bullmq` queue: the job's hash and logs read with bounded raw reads (see
 * `bull-family/inspect-job.ts`) rather than `Job.fromId`, which would load a 50 MB payload
 * whole and parse it before anything could be cut.
 */
import type { CommandExecutor } from '../../../commands/executor';
import { inspectBullJob } from '../bull-family/inspect-job';

/** Reads one BullMQ job, redacted and capped. */
export const bullmqInspectExecutor: CommandExecutor = {
  type: 'bullmq',
  verb: 'inspect',
  execute: (context, target) => inspectBullJob('bullmq', context, target),
};
