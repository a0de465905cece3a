/**
 * Remote job actions: issue a command through the collector, then follow it until the agent
 * answers or the collector gives up on it.
 */
import { collectorGet, collectorPost, CollectorError } from './collector';
import { MAX_COUNT } from './limits';
import { at, field, id, inRange, label, text } from './read';

/** A command the agents understand. */
export type CommandType = 'RETRY_JOB' | 'DELETE_JOB' | 'PAUSE_QUEUE' | 'RESUME_QUEUE' | 'PROMOTE_JOB';

/** The body of `POST /api/pulse/command`. */
export interface CommandRequest {
  service: string;
  /** The node that should act on it. */
  nodeId: string;
  type: CommandType;
  queue: string;
  /** The queue's driver; the collector assumes `redis` without it. */
  driver?: string;
  /** The one job to act on; left out with the other scopes. */
  jobId?: string;
  /** `queue` for a pause or resume; `all-delayed` for a promotion of the delayed jobs. */
  scope: 'job' | 'all-failed' | 'all-delayed' | 'queue';
}

/** Where a command stands. */
export type CommandState = 'pending' | 'succeeded' | 'failed' | 'rejected' | 'expired';

/** `GET /api/pulse/commands/:id`, read defensively. */
export interface CommandStatus {
  commandId: string;
  status: CommandState;
  /** Jobs the agent acted on, when it answered. */
  affected: number | null;
  /** The agent's explanation for a rejection or failure. */
  reason: string | null;
}

/** How {@link pollCommand} waits. */
export interface PollOptions {
  /** Between two reads of the status, milliseconds. */
  intervalMs: number;
}

/**
 * Half a second between reads. There is no deadline here: the collector owns it
 * (`--command-result-timeout`) and reports `expired` once it passes, so the poll ends when the
 * collector says so, whatever the collector's setting.
 */
export const DEFAULT_POLL: PollOptions = { intervalMs: 500 };

const STATES: readonly CommandState[] = ['pending', 'succeeded', 'failed', 'rejected', 'expired'];

/** Issues a command and returns its id. */
export async function issueCommand(request: CommandRequest): Promise<string> {
  const reply = await collectorPost('api/pulse/command', request);
  const commandId = id(field(reply, 'commandId'));
  if (!commandId) {
    throw new CollectorError('The collector accepted the command but sent no command id');
  }
  return commandId;
}

/** Reads a command's status once. */
export async function readCommand(commandId: string): Promise<CommandStatus> {
  return readStatus(commandId, await collectorGet(`api/pulse/commands/${encodeURIComponent(commandId)}`));
}

/**
 * Reads a command's status until it is no longer pending. It needs no deadline of its own: a
 * command the collector knows reads `pending` only until the collector's deadline, then
 * `expired`, and a failed read rejects.
 */
export async function pollCommand(commandId: string, options: PollOptions = DEFAULT_POLL): Promise<CommandStatus> {
  for (;;) {
    const status = await readCommand(commandId);
    if (status.status !== 'pending') {
      return status;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}

/** Reads a status reply; an unknown state reads as `failed` so the user is never left waiting. */
export function readStatus(commandId: string, reply: unknown): CommandStatus {
  const raw = label(field(reply, 'status'));
  const status = STATES.find((state) => state === raw) ?? 'failed';
  return {
    commandId: id(field(reply, 'commandId')) ?? commandId,
    status,
    affected: inRange(at(reply, 'result', 'affected'), 0, MAX_COUNT),
    reason: text(at(reply, 'result', 'reason')) ?? (raw !== null && raw !== status ? `unknown status ${raw}` : null),
  };
}
