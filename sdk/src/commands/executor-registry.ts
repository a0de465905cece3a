/**
 * Which verb runs how on which queue system: read from the queue-driver table, where every
 * system declares an executor (or none) for every verb.
 */
import { driverOf } from '../queues/drivers/table';
import type { CommandVerb } from '../schema/command';
import type { CommandExecutor } from './executor';

/** The executor of `verb` for a queue of probe type `type`, if there is one. */
export function executorFor(type: string, verb: CommandVerb): CommandExecutor | undefined {
  return driverOf(type)?.executors[verb] ?? undefined;
}
