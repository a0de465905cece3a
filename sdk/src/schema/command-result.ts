/**
 * What an agent answers to a command, stored at `gravito:quasar:cmd:result:{commandId}`: the
 * decision, the jobs it moved, what it left alone and why, a dry run's preview, and an
 * inspected job. Any agent may write a result, so every field is rebuilt, bounded and cut here.
 */
import type { FailedJobSample } from './heartbeat';
import { MAX_TEXT_LENGTH } from './limits';
import { isNodeId } from './names';
import { fieldError, isCommandId } from './command';
import type { Field } from './command';
import { NOT_JSON, cut, describe, fromJson, isRecord } from './parse-result';
import type { ParseResult } from './parse-result';
import { readFailedJob } from './validate-failed-job';
import { readInspectedJobField } from './inspected-job';
import type { InspectedJob, SealedJob } from './inspected-job';

export const COMMAND_RESULT_STATUSES = ['succeeded', 'failed', 'rejected'] as const;
export type CommandResultStatus = (typeof COMMAND_RESULT_STATUSES)[number];

/** Jobs a command left alone for one reason (`over maxJobsPerCommand`, `no longer failed`, …). */
export interface SkippedJobs {
  reason: string;
  count: number;
}

/** What a dry run (or the selection of a bulk command) found. */
export interface CommandPreview {
  /** Jobs the command selects: exact over the `scanned` jobs. */
  matched: number;
  /** Jobs read to find them. */
  scanned: number;
  /** Whether every job of the scope was read, so `matched` is the whole count. */
  complete: boolean;
  /** Some of them, newest first. */
  sample: FailedJobSample[];
}

/** What the agent decided and did. */
export interface CommandResult {
  commandId: string;
  status: CommandResultStatus;
  /** Why it was rejected or failed. */
  reason?: string;
  /** Jobs retried, deleted or promoted; 1 for a queue paused or resumed, or a job inspected. */
  affected: number;
  /** The node that decided. */
  nodeId: string;
  /** When it decided, epoch ms. */
  finishedAt: number;
  /** Bulk commands: the jobs selected but left alone, per reason. */
  skipped?: SkippedJobs[];
  /** Dry runs (and bulk commands): what the selection holds. */
  preview?: CommandPreview;
  /**
   * `INSPECT_JOB`: the job, sealed with the command token where commands are signed. Agents
   * store it at `QuasarKeys.commandJob(commandId)` and leave it out of the stored result; an
   * agent of the first inspect release still writes it here.
   */
  job?: InspectedJob | SealedJob;
  /** `INSPECT_JOB`: the job is stored at `QuasarKeys.commandJob(commandId)` (for 5 minutes). */
  hasJob?: boolean;
}

/** Reasons kept in `skipped`; samples kept in `preview`. */
export const MAX_SKIPPED_REASONS = 8;
export const MAX_PREVIEW_SAMPLE = 10;
/** Longest skip reason kept. */
const MAX_SKIP_REASON = 200;

/**
 * The longest result text read. Results are a few hundred bytes; an inspected job's is capped
 * by the agent at `MAX_INSPECTED_JOB_BYTES` of JSON, sealed into base64 (4/3 of it) plus the
 * envelope.
 */
export const MAX_RESULT_BYTES = 128 * 1024;

const RESULT_FIELDS: readonly Field[] = [
  ['commandId', 'string', true, true, 128],
  ['reason', 'string', false, false],
  ['nodeId', 'string', true, true, 512],
  ['finishedAt', 'number', true, false],
];

const isCount = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;

function readSkipped(value: unknown): SkippedJobs[] | string {
  if (!Array.isArray(value)) return 'skipped: expected an array';
  const skipped: SkippedJobs[] = [];
  for (const entry of value.slice(0, MAX_SKIPPED_REASONS)) {
    if (!isRecord(entry) || typeof entry.reason !== 'string' || !isCount(entry.count)) {
      return 'skipped: expected entries of { reason, count }';
    }
    skipped.push({ reason: cut(entry.reason, MAX_SKIP_REASON), count: entry.count });
  }
  return skipped;
}

function readPreview(value: unknown): CommandPreview | string {
  if (!isRecord(value)) return 'preview: expected an object';
  const { matched, scanned, complete, sample } = value;
  if (!isCount(matched) || !isCount(scanned) || typeof complete !== 'boolean') {
    return 'preview: expected matched, scanned (counts) and complete (a boolean)';
  }
  if (!Array.isArray(sample)) return 'preview.sample: expected an array';
  const jobs: FailedJobSample[] = [];
  for (const entry of sample.slice(0, MAX_PREVIEW_SAMPLE)) {
    const job = readFailedJob(entry, MAX_TEXT_LENGTH);
    if (job !== undefined) jobs.push(job);
  }
  return { matched, scanned, complete, sample: jobs };
}

/** Validates a command result, given as JSON text or as a parsed value. */
export function parseCommandResult(input: unknown): ParseResult<CommandResult> {
  if (typeof input === 'string' && input.length > MAX_RESULT_BYTES) {
    return { ok: false, error: `longer than ${MAX_RESULT_BYTES} bytes` };
  }
  const raw = fromJson(input);
  if (raw === NOT_JSON) return { ok: false, error: 'not valid JSON' };
  if (!isRecord(raw)) return { ok: false, error: `expected an object, got ${describe(raw)}` };
  if (!COMMAND_RESULT_STATUSES.includes(raw.status as CommandResultStatus)) {
    return { ok: false, error: `status: expected one of ${COMMAND_RESULT_STATUSES.join(', ')}` };
  }
  const error = fieldError(raw, RESULT_FIELDS);
  if (error !== undefined) return { ok: false, error };
  if (!isCommandId(raw.commandId)) return { ok: false, error: 'commandId: not a command id' };
  if (!isNodeId(raw.nodeId)) return { ok: false, error: 'nodeId: not a node id' };
  if (!isCount(raw.affected)) {
    return { ok: false, error: 'affected: expected a non-negative integer' };
  }
  const { commandId, status, reason, affected, nodeId, finishedAt } = raw as {
    [K in keyof CommandResult]-?: Exclude<CommandResult[K], undefined>;
  } & { reason?: string };
  const value: CommandResult = { commandId, status, affected, nodeId, finishedAt };
  // The reason is shown to operators: cut, not trusted.
  if (reason !== undefined) value.reason = cut(reason, MAX_TEXT_LENGTH);
  // The optional parts are dropped with a warning when malformed: the decision still reads.
  const warnings: string[] = [];
  if (raw.skipped !== undefined) {
    const skipped = readSkipped(raw.skipped);
    if (typeof skipped === 'string') warnings.push(skipped);
    else value.skipped = skipped;
  }
  if (raw.preview !== undefined) {
    const preview = readPreview(raw.preview);
    if (typeof preview === 'string') warnings.push(preview);
    else value.preview = preview;
  }
  if (raw.hasJob !== undefined) {
    if (typeof raw.hasJob === 'boolean') value.hasJob = raw.hasJob;
    else warnings.push('hasJob: expected a boolean');
  }
  if (raw.job !== undefined) {
    const job = readInspectedJobField(raw.job);
    if (typeof job === 'string') warnings.push(job);
    else value.job = job;
  }
  return { ok: true, value, warnings };
}
