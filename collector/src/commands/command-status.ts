/**
 * What became of a command: the agent's result once written, else `pending` until the
 * collector's deadline, then `expired`. One `MGET` (one per slot on a cluster), whichever
 * replica issued the command.
 */
import type { RedisClient } from '@gravito/quasar';
import { QuasarKeys, parseCommandResult } from '@gravito/quasar/schema';
import type { CommandResult, CommandResultStatus } from '@gravito/quasar/schema';
import { mgetAcrossSlots } from '../redis/slot-groups';

/** A command's state as the API reports it. */
export type CommandState = CommandResultStatus | 'pending' | 'expired';

/** The outcome of one command. */
export interface CommandOutcome {
  status: CommandState;
  /**
   * The agent's result (or the collector's, for a command nobody received), without an
   * inspected job: a job is read only through `GET /api/pulse/commands/:id/job`, which needs the
   * `inspect` scope, so neither the status route nor the audit trail ever carries one.
   */
  result?: Omit<CommandResult, 'job'>;
  /**
   * The command returned an inspected job (sealed or not). Said as long as the result lives,
   * though the job itself expires after five minutes.
   */
  hasJob?: true;
}

/** The record kept at `QuasarKeys.commandIssued(id)`. */
export interface IssuedRecord {
  /** After this instant (epoch ms) a command without a result reads `expired`. */
  deadline: number;
  service: string;
  nodeId: string;
  type: string;
  queue: string;
}

/** The outcome given a stored result (JSON text or null) and the command's deadline. */
export function outcomeOf(
  resultJson: string | null,
  deadline: number,
  now: number,
): CommandOutcome {
  if (resultJson !== null) {
    const parsed = parseCommandResult(resultJson);
    if (parsed.ok) {
      // The job lives at its own key (`hasJob`); an old agent's result still carries it.
      const { job, ...result } = parsed.value;
      const hasJob = job !== undefined || result.hasJob === true;
      return { status: result.status, result, ...(hasJob ? { hasJob: true } : {}) };
    }
  }
  return { status: now < deadline ? 'pending' : 'expired' };
}

function issuedRecord(json: string | null): IssuedRecord | undefined {
  if (json === null) return undefined;
  try {
    const record = JSON.parse(json) as IssuedRecord;
    return typeof record.deadline === 'number' ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The status of command `id`, or undefined when neither its record nor a result exists. */
export async function readCommandStatus(
  redis: RedisClient,
  id: string,
  now = Date.now(),
): Promise<(CommandOutcome & { commandId: string; deadline?: number }) | undefined> {
  const [resultJson, issuedJson] = await mgetAcrossSlots(redis, [
    QuasarKeys.commandResult(id),
    QuasarKeys.commandIssued(id),
  ]);
  const issued = issuedRecord(issuedJson ?? null);
  if (issued === undefined && (resultJson ?? null) === null) return undefined;
  // A result with no record left (the record expires first) can only be final.
  const outcome = outcomeOf(resultJson ?? null, issued?.deadline ?? 0, now);
  if (outcome.status === 'expired' && issued === undefined) return undefined;
  return { commandId: id, ...outcome, ...(issued ? { deadline: issued.deadline } : {}) };
}
