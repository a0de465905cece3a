/**
 * The job an `INSPECT_JOB` returned, as `GET /api/pulse/commands/:id/job` serves it, read
 * defensively: the collector validates it, but the page never trusts a reply, so every field is
 * read again here, bounded, and kept as text. Nothing here parses the payload: the drawer shows
 * it as the text it is.
 */
import { MAX_COUNT, MAX_ID_LENGTH, MAX_LABEL_LENGTH } from './limits';
import { at, epochMs, field, id, inRange, listOf, text } from './read';

/** Most characters read of a JSON text field (data, opts, return value): the agent caps a job at 64 KB. */
export const MAX_JOB_TEXT = 70_000;
/** Stack traces and log lines read; the collector keeps 100. */
export const MAX_JOB_LINES = 100;
/** Characters read of one stack trace or log line. */
export const MAX_JOB_LINE = 8_192;

/** One inspected job, every field text or a bounded number; `null` where the agent sent none. */
export interface InspectedJobView {
  queue: string;
  id: string;
  name: string | null;
  state: string | null;
  /** The payload as the agent wrote it: JSON text, redacted and possibly cut. */
  data: string | null;
  opts: string | null;
  returnValue: string | null;
  attemptsMade: number | null;
  maxAttempts: number | null;
  createdAt: number | null;
  processedAt: number | null;
  finishedAt: number | null;
  delayUntil: number | null;
  failedReason: string | null;
  stacktrace: string[];
  logs: string[];
  /** Values the agent replaced by `[REDACTED]`. */
  redacted: number;
  /** Fields cut to fit the agent's cap. */
  truncated: string[];
}

const count = (value: unknown): number | null => {
  const n = inRange(value, 0, MAX_COUNT);
  return n !== null && Number.isInteger(n) ? n : null;
};
const line = (value: unknown): string | null => text(value, MAX_JOB_LINE);
const fieldName = (value: unknown): string | null => text(value, MAX_LABEL_LENGTH);

/** Reads the reply's `job`; `null` when it has no usable queue and id. */
export function readInspectedJob(reply: unknown): InspectedJobView | null {
  const job = field(reply, 'job');
  const queue = id(field(job, 'queue'));
  const jobId = id(field(job, 'id'));
  if (queue === null || jobId === null) {
    return null;
  }
  const jsonText = (key: string) => text(field(job, key), MAX_JOB_TEXT);
  return {
    queue,
    id: jobId,
    name: text(field(job, 'name'), MAX_ID_LENGTH),
    state: text(field(job, 'state'), MAX_LABEL_LENGTH),
    data: jsonText('data'),
    opts: jsonText('opts'),
    returnValue: jsonText('returnValue'),
    attemptsMade: count(field(job, 'attemptsMade')),
    maxAttempts: count(field(job, 'maxAttempts')),
    createdAt: epochMs(at(job, 'timestamps', 'createdAt')),
    processedAt: epochMs(at(job, 'timestamps', 'processedAt')),
    finishedAt: epochMs(at(job, 'timestamps', 'finishedAt')),
    delayUntil: epochMs(at(job, 'timestamps', 'delayUntil')),
    failedReason: text(field(job, 'failedReason'), MAX_JOB_LINE),
    stacktrace: listOf(field(job, 'stacktrace'), MAX_JOB_LINES, line),
    logs: listOf(field(job, 'logs'), MAX_JOB_LINES, line),
    redacted: count(field(job, 'redacted')) ?? 0,
    truncated: listOf(field(job, 'truncated'), 16, fieldName),
  };
}
