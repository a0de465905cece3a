/**
 * Remote job actions: issue a command through the collector, then follow it until the agent
 * answers or the collector gives up on it.
 */
import { collectorGet, collectorPost, CollectorError } from './collector';
import { MAX_COUNT } from './limits';
import { readInspectedJob, type InspectedJobView } from './inspectedJob';
import { readFailedJob, type FailedJob } from '../pulse/queue';
import { at, bool, field, id, inRange, label, listOf, text } from './read';

/** A command the agents understand. */
export type CommandType = 'RETRY_JOB' | 'DELETE_JOB' | 'INSPECT_JOB' | 'PAUSE_QUEUE' | 'RESUME_QUEUE' | 'PROMOTE_JOB';

/** What a command acts on: one job, every failed or delayed job of a queue, or the queue itself. */
export type CommandScope = 'job' | 'all-failed' | 'all-delayed' | 'queue';

/** `INSPECT_JOB`'s queue for a job looked up by id across every queue the agent monitors. */
export const EVERY_QUEUE = '*';

/**
 * The proxy route each command type goes to, `api/pulse/command/<verb>`: Grafana gates each verb's
 * route with its own RBAC action, and the collector takes only that verb's types on it.
 */
export const COMMAND_ROUTES: Readonly<Record<CommandType, string>> = {
  RETRY_JOB: 'api/pulse/command/retry',
  DELETE_JOB: 'api/pulse/command/delete',
  INSPECT_JOB: 'api/pulse/command/inspect',
  PAUSE_QUEUE: 'api/pulse/command/pause',
  RESUME_QUEUE: 'api/pulse/command/pause',
  PROMOTE_JOB: 'api/pulse/command/promote',
};

/** The body of `POST /api/pulse/command/<verb>`. */
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
  scope: CommandScope;
  /** `all-failed` only: just the jobs of this failure group (its 16-hex key). */
  fingerprint?: string;
  /** Select and report, change nothing. */
  dryRun?: boolean;
}

/** Jobs a bulk command left alone for one reason. */
export interface SkippedJobs {
  reason: string;
  count: number;
}

/** What a bulk command selected (a dry run's answer). */
export interface CommandPreview {
  /** Jobs selected: exact over the `scanned` ones. */
  matched: number;
  /** Failed jobs the agent read to find them. */
  scanned: number;
  /** Whether it read every failed job, so `matched` is the whole count. */
  complete: boolean;
  /** Some of them, newest first. */
  sample: FailedJob[];
}

/** Skip reasons read from one result (the schema keeps 8). */
export const MAX_SKIPPED = 8;
/** Preview jobs read from one result (the schema keeps 10). */
export const MAX_PREVIEW_SAMPLE = 10;

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
  /** Bulk commands: the jobs left alone, per reason; empty when none or unreadable. */
  skipped: SkippedJobs[];
  /** Bulk commands: what the selection held, or `null` when the agent sent none. */
  preview: CommandPreview | null;
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

/** Issues a command on its verb's route and returns its id. */
export async function issueCommand(request: CommandRequest): Promise<string> {
  const reply = await collectorPost(COMMAND_ROUTES[request.type], request);
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
    skipped: listOf(at(reply, 'result', 'skipped'), MAX_SKIPPED, readSkipped),
    preview: readPreview(at(reply, 'result', 'preview')),
  };
}

/**
 * Inspects job `jobId` of `queue` ({@link EVERY_QUEUE}: whichever monitored queue holds it) on
 * one node: issues `INSPECT_JOB`, follows it, then reads the job, which the collector serves only
 * to the `inspect` scope. Rejects with the agent's reason when it could not inspect the job.
 */
export async function inspectJob(
  target: { service: string; nodeId: string; queue: string; driver?: string; jobId: string },
  options: PollOptions = DEFAULT_POLL
): Promise<InspectedJobView> {
  const { service, nodeId, queue, driver, jobId } = target;
  const commandId = await issueCommand({
    service,
    nodeId,
    type: 'INSPECT_JOB',
    queue,
    ...(driver ? { driver } : {}),
    jobId,
    scope: 'job',
  });
  const outcome = await pollCommand(commandId, options);
  if (outcome.status !== 'succeeded') {
    const why = outcome.status === 'expired' ? 'no agent answered before the deadline' : outcome.reason;
    throw new CollectorError(`${outcome.status}: ${why ?? 'no reason given'}`);
  }
  // Through the proxy route gated by the inspect action, not the readers' `api/*`.
  const job = readInspectedJob(await collectorGet(`api/pulse/inspections/${encodeURIComponent(commandId)}/job`));
  if (job === null) {
    throw new CollectorError('The collector sent no readable job');
  }
  return job;
}

function readSkipped(value: unknown): SkippedJobs | null {
  const reason = label(field(value, 'reason'));
  const count = inRange(field(value, 'count'), 1, MAX_COUNT);
  return reason === null || count === null || !Number.isInteger(count) ? null : { reason, count };
}

/** A preview whose counts are whole, in range and consistent; anything else reads as none. */
function readPreview(value: unknown): CommandPreview | null {
  const matched = inRange(field(value, 'matched'), 0, MAX_COUNT);
  const scanned = inRange(field(value, 'scanned'), 0, MAX_COUNT);
  const complete = bool(field(value, 'complete'));
  if (matched === null || scanned === null || complete === null) {
    return null;
  }
  if (!Number.isInteger(matched) || !Number.isInteger(scanned)) {
    return null;
  }
  const sample = listOf(field(value, 'sample'), MAX_PREVIEW_SAMPLE, readFailedJob);
  return { matched, scanned, complete, sample };
}
