/**
 * From what an executor read to what a result may carry: every stored text redacted (JSON by
 * key, any text for the credentials it quotes), names cut, lists bounded, then the whole job
 * capped to `MAX_INSPECTED_JOB_BYTES`. Executors read; this is the one place that makes a job
 * safe to show.
 */
import { MAX_NAME_LENGTH } from '../../schema/limits';
import { cut } from '../../schema/parse-result';
import type { InspectedJob, InspectedTimestamps } from '../../schema/inspected-job';
import { capJob } from './cap';
import { cutLong, keyMatcher, redactStored, redactText } from './redact';
import type { KeyMatcher } from './redact';

/** The log lines (newest) and stack traces an inspected job keeps at most. */
export const MAX_INSPECTED_LINES = 50;

/**
 * Fields above this many bytes are not read at all: a value cannot be redacted by key without
 * being parsed whole, and a cut JSON text no longer parses. Such a field is named in
 * `truncated` and shown as {@link unreadText}.
 */
export const MAX_FIELD_READ_BYTES = 8 * 1024 * 1024;

/** What stands for a field too large to read. */
export const unreadText = (bytes: number) => `[not read: ${bytes} bytes]`;

/** One job as an executor read it, every text as stored (before redaction and the cap). */
export interface ReadJob extends Omit<InspectedJob, 'redacted' | 'truncated'> {
  /** Fields left unread because they were over `MAX_FIELD_READ_BYTES`. */
  unread?: string[];
}

/** A finite, non-negative number in `text`; undefined otherwise. */
export function numberIn(text: unknown): number | undefined {
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  const value = Number(text);
  return text !== '' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The timestamps among `values` that are numbers, as epoch ms. */
export function timestampsOf(values: Record<keyof InspectedTimestamps, unknown>) {
  const out: InspectedTimestamps = {};
  for (const key of Object.keys(values) as (keyof InspectedTimestamps)[]) {
    const value = numberIn(values[key]);
    if (value !== undefined && value > 0) out[key] = value;
  }
  return out;
}

/**
 * `read` redacted with `matches` (the default patterns when unset), bounded and capped: what an
 * inspect executor returns as its outcome's `job`.
 */
export function toInspectedJob(read: ReadJob, matches: KeyMatcher = keyMatcher()): InspectedJob {
  let redacted = 0;
  const truncated = new Set<string>(read.unread ?? []);
  const stored = (field: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const safe = redactStored(text, matches);
    redacted += safe.redacted;
    if (safe.truncated) truncated.add(field);
    return safe.value;
  };
  const lines = (field: string, list: string[] | undefined) => {
    if (list === undefined) return undefined;
    if (list.length > MAX_INSPECTED_LINES) truncated.add(field);
    return list.slice(-MAX_INSPECTED_LINES).map((line) => {
      const long = cutLong(line);
      if (long.cut) truncated.add(field);
      const safe = redactText(long.text, matches);
      redacted += safe.count;
      return safe.text;
    });
  };
  const reason = read.failedReason === undefined ? undefined : cutLong(read.failedReason);
  if (reason?.cut) truncated.add('failedReason');
  const failedReason = reason === undefined ? undefined : redactText(reason.text, matches);
  redacted += failedReason?.count ?? 0;
  const job: InspectedJob = {
    queue: cut(read.queue, MAX_NAME_LENGTH),
    id: cut(read.id, MAX_NAME_LENGTH),
    ...(read.name !== undefined ? { name: cut(read.name, MAX_NAME_LENGTH) } : {}),
    ...(read.state !== undefined ? { state: cut(read.state, MAX_NAME_LENGTH) } : {}),
    ...defined('data', stored('data', read.data)),
    ...defined('opts', stored('opts', read.opts)),
    ...defined('attemptsMade', read.attemptsMade),
    ...defined('maxAttempts', read.maxAttempts),
    timestamps: read.timestamps,
    ...defined('failedReason', failedReason?.text),
    ...defined('stacktrace', lines('stacktrace', read.stacktrace)),
    ...defined('logs', lines('logs', read.logs)),
    ...defined('returnValue', stored('returnValue', read.returnValue)),
    redacted: 0,
    truncated: [],
  };
  job.redacted = redacted;
  job.truncated = [...truncated];
  return capJob(job);
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
