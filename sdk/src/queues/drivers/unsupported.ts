/**
 * An executor for a verb a queue system has no operation for: it rejects every command with a
 * reason that names why, and what the operator can do instead. The executor table requires an
 * executor for every verb, so a system states its refusal rather than leaving a gap.
 */
import { CommandRejectedError } from '../../commands/executor';
import type { CommandExecutor } from '../../commands/executor';
import type { CommandVerb } from '../../schema/command';

/** An executor of `verb` on `type` queues that rejects with `reason`. */
export function unsupported(type: string, verb: CommandVerb, reason: string): CommandExecutor {
  return {
    type,
    verb,
    execute: () => Promise.reject(new CommandRejectedError(reason)),
  };
}
