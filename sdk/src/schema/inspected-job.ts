/**
 * One job as `INSPECT_JOB` returns it: read through the queue system's own layout, redacted by
 * key pattern and capped by the agent, then sealed (AES-256-GCM under a key derived from the
 * command token) before it is stored, so the transport Redis never holds it in clear where
 * commands are signed. The collector unseals it for a principal with the `inspect` scope.
 */
import { MAX_NAME_LENGTH } from './limits';
import { isRecord } from './parse-result';

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
