/**
 * One job as `INSPECT_JOB` returns it: read through the queue system's own layout, redacted by
 * key pattern and capped by the agent, then sealed (AES-256-GCM under a key derived from the
 * command token) before it is stored, so the transport Redis never holds it in clear where
 * commands are signed. The collector unseals it for a principal with the `inspect` scope.
 */
import {
  MAX_COUNT,
  MAX_EPOCH_MS,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
} from './limits';
import { NOT_JSON, cut, describe, fromJson, inRange, isRecord } from './parse-result';
import type { ParseResult } from './parse-result';

/** The most bytes of JSON one inspected job may take, before sealing. */
export const MAX_INSPECTED_JOB_BYTES = 64 * 1024;

/** When the job was created, started, finished, and when a delayed job becomes due; epoch ms. */
export interface InspectedTimestamps {
  createdAt?: number;
  processedAt?: number;
  finishedAt?: number;
  delayUntil?: number;
}

/** A job's details, every value as the agent read it after redaction. */
export interface InspectedJob {
  queue: string;
  id: string;
  name?: string;
  /** `failed`, `waiting`, `delayed`, … as the system reports it. */
  state?: string;
  /** The payload as JSON text (or the stored text when it is not JSON), redacted and cut. */
  data?: string;
  /** The job's options as JSON text, redacted and cut. */
  opts?: string;
  attemptsMade?: number;
  maxAttempts?: number;
  timestamps: InspectedTimestamps;
  failedReason?: string;
  /** Stack traces, newest last, as the system keeps them. */
  stacktrace?: string[];
  /** Log lines the job wrote, where the system keeps them. */
  logs?: string[];
  /** The return value as JSON text, redacted and cut. */
  returnValue?: string;
  /** Values replaced by `[REDACTED]`. */
  redacted: number;
  /** Fields cut to fit `MAX_INSPECTED_JOB_BYTES`. */
  truncated: string[];
}

/** An inspected job encrypted with AES-256-GCM; every field base64. */
export interface SealedJob {
  sealed: 'aes-256-gcm';
  iv: string;
  tag: string;
  data: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max && BASE64.test(value);

/** Whether `value` is a sealed job's envelope. */
export function isSealedJob(value: unknown): value is SealedJob {
  return (
    isRecord(value) &&
    value.sealed === 'aes-256-gcm' &&
    isBase64(value.iv, 64) &&
    isBase64(value.tag, 64) &&
    isBase64(value.data, Math.ceil((MAX_INSPECTED_JOB_BYTES * 4) / 3) + 64)
  );
}

/**
 * The `job` field of a result: a sealed envelope, or a job in clear with at least its queue
 * and id (the rest is checked where it is unsealed and shown). An error text otherwise.
 */
export function readInspectedJobField(value: unknown): InspectedJob | SealedJob | string {
  if (isSealedJob(value)) return value;
  if (
    isRecord(value) &&
    typeof value.queue === 'string' &&
    typeof value.id === 'string' &&
    value.id.length <= MAX_NAME_LENGTH
  ) {
    return value as unknown as InspectedJob;
  }
  return 'job: expected a sealed envelope or an inspected job';
}

/** Stack traces and log lines kept; the newest are kept, since they tell why the job is where it is. */
export const MAX_INSPECTED_LINES = 100;
/** Longest stack trace or log line kept. */
export const MAX_INSPECTED_LINE = 8 * 1024;
/** Names kept in `truncated`. */
const MAX_TRUNCATED_FIELDS = 16;
/**
 * The longest text read as one job: the agent caps the JSON at {@link MAX_INSPECTED_JOB_BYTES}
 * bytes, and a character is at least one byte; twice that leaves room for an agent that counts
 * differently, and no more.
 */
const MAX_INSPECTED_JOB_TEXT = 2 * MAX_INSPECTED_JOB_BYTES;

const TIMESTAMP_FIELDS = ['createdAt', 'processedAt', 'finishedAt', 'delayUntil'] as const;
const JSON_TEXT_FIELDS = ['data', 'opts', 'returnValue'] as const;

const isCount = (value: unknown): value is number =>
  Number.isSafeInteger(value) && inRange(value, 0, MAX_COUNT);

/** The newest `MAX_INSPECTED_LINES` strings of `value`, each cut; undefined for anything but an array. */
function readLines(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const lines: string[] = [];
  for (const line of value.slice(-MAX_INSPECTED_LINES)) {
    if (typeof line === 'string') lines.push(cut(line, MAX_INSPECTED_LINE));
  }
  return lines;
}

function readTimestamps(value: unknown): InspectedTimestamps {
  const timestamps: InspectedTimestamps = {};
  if (!isRecord(value)) return timestamps;
  for (const key of TIMESTAMP_FIELDS) {
    const at = value[key];
    if (inRange(at, 0, MAX_EPOCH_MS)) timestamps[key] = at;
  }
  return timestamps;
}

/**
 * Validates an inspected job, given as the JSON text a sealed envelope opens to or as a parsed
 * value. Every field is rebuilt: strings cut, lists bounded, numbers in range, unknown fields
 * dropped. A job without a usable queue and id is refused; a malformed optional field is dropped
 * with a warning, so one bad field never hides the rest of the job.
 */
export function readInspectedJob(input: unknown): ParseResult<InspectedJob> {
  if (typeof input === 'string' && input.length > MAX_INSPECTED_JOB_TEXT) {
    return { ok: false, error: `longer than ${MAX_INSPECTED_JOB_TEXT} characters` };
  }
  const raw = fromJson(input);
  if (raw === NOT_JSON) return { ok: false, error: 'not valid JSON' };
  if (!isRecord(raw)) return { ok: false, error: `expected an object, got ${describe(raw)}` };
  const { queue, id } = raw;
  if (typeof queue !== 'string' || queue === '' || queue.length > MAX_NAME_LENGTH) {
    return { ok: false, error: 'queue: expected a queue name' };
  }
  if (typeof id !== 'string' || id === '' || id.length > MAX_NAME_LENGTH) {
    return { ok: false, error: 'id: expected a job id' };
  }
  const warnings: string[] = [];
  const cutHere: string[] = [];
  const job: InspectedJob = {
    queue,
    id,
    timestamps: readTimestamps(raw.timestamps),
    redacted: isCount(raw.redacted) ? raw.redacted : 0,
    truncated: [],
  };
  const optionalText = (key: string, max: number): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') {
      // A field cut here is named like those the agent cut, so the reader knows it is partial.
      if (value.length > max) cutHere.push(key);
      return cut(value, max);
    }
    warnings.push(`${key}: expected a string`);
    return undefined;
  };
  const name = optionalText('name', MAX_NAME_LENGTH);
  if (name !== undefined) job.name = name;
  const state = optionalText('state', MAX_LABEL_LENGTH);
  if (state !== undefined) job.state = state;
  for (const key of JSON_TEXT_FIELDS) {
    const text = optionalText(key, MAX_INSPECTED_JOB_BYTES);
    if (text !== undefined) job[key] = text;
  }
  const reason = optionalText('failedReason', MAX_TEXT_LENGTH * 8);
  if (reason !== undefined) job.failedReason = reason;
  for (const key of ['attemptsMade', 'maxAttempts'] as const) {
    const value = raw[key];
    if (isCount(value)) job[key] = value;
    else if (value !== undefined) warnings.push(`${key}: expected a non-negative integer`);
  }
  for (const key of ['stacktrace', 'logs'] as const) {
    if (raw[key] === undefined) continue;
    const lines = readLines(raw[key]);
    if (lines === undefined) warnings.push(`${key}: expected an array of strings`);
    else job[key] = lines;
  }
  if (raw.redacted !== undefined && !isCount(raw.redacted)) {
    warnings.push('redacted: expected a non-negative integer');
  }
  if (Array.isArray(raw.truncated)) {
    for (const field of raw.truncated.slice(0, MAX_TRUNCATED_FIELDS)) {
      if (typeof field === 'string' && field !== '')
        job.truncated.push(cut(field, MAX_LABEL_LENGTH));
    }
  } else if (raw.truncated !== undefined) {
    warnings.push('truncated: expected an array of field names');
  }
  for (const key of cutHere) if (!job.truncated.includes(key)) job.truncated.push(key);
  return { ok: true, value: job, warnings };
}
