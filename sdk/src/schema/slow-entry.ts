/**
 * A slow request or slow job, as stored in the stream `gravito:quasar:slow:{service}`.
 * Stream entries are flat field/value string pairs; this module owns that encoding both ways,
 * and the bounds a reader applies: any agent (or anything else with `XADD`) can write there.
 */
import { MAX_EPOCH_MS, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from './limits';
import { isNodeId } from './names';
import { cut, inRange } from './parse-result';
import type { ParseResult } from './parse-result';

export const SLOW_KINDS = ['request', 'job'] as const;
export type SlowKind = (typeof SLOW_KINDS)[number];

/** One slow-log entry. */
export interface SlowEntry {
  kind: SlowKind;
  /** What was slow: `GET /users/:id`, or a job's name. */
  name: string;
  /** How long it took, ms. */
  durationMs: number;
  /** The threshold it crossed, ms. */
  thresholdMs: number;
  /** The node that recorded it. */
  nodeId: string;
  /** When it finished, epoch ms. */
  timestamp: number;
  /** HTTP method, for requests. */
  method?: string;
  /** The route template (`/users/:id`), for requests. */
  route?: string;
  /** HTTP status code, for requests. */
  status?: number;
  /** The queue, for jobs. */
  queue?: string;
  /** The active OTel trace, when there was one. */
  traceId?: string;
  spanId?: string;
}

type StringField = 'method' | 'route' | 'queue' | 'traceId' | 'spanId';
const STRING_FIELDS: readonly StringField[] = ['method', 'route', 'queue', 'traceId', 'spanId'];

/** Longest name or route kept; longer values are cut, never rejected. */
export const SLOW_FIELD_MAX_LENGTH = 512;

/**
 * Longest value kept per optional field. A method is a short token and a queue a name; ids are
 * 32 and 16 hex digits, so anything longer is invalid anyway and only needs to stay small.
 */
const MAX_LENGTH: Readonly<Record<StringField, number>> = {
  method: MAX_LABEL_LENGTH,
  route: SLOW_FIELD_MAX_LENGTH,
  queue: MAX_NAME_LENGTH,
  traceId: MAX_LABEL_LENGTH,
  spanId: MAX_LABEL_LENGTH,
};

/**
 * Longest duration or threshold accepted: 30 days, ms. A job may run for days; a longer value
 * is a broken clock or a hostile writer, and would swamp the histogram's sum.
 */
export const MAX_SLOW_DURATION_MS = 30 * 86_400_000;

/** HTTP status codes accepted (RFC 9110 defines 100–599); others are dropped with a warning. */
export const HTTP_STATUS_RANGE = { min: 100, max: 599 } as const;

/**
 * Most field/value pairs read from one entry: the writer emits 12 at most. More means another
 * writer, and the entry is refused before its fields are walked.
 */
export const MAX_SLOW_FIELDS = 32;

/** Flattens an entry into XADD field/value arguments. Absent optional fields are omitted. */
export function slowEntryToFields(entry: SlowEntry): string[] {
  const fields = [
    'kind',
    entry.kind,
    'name',
    cut(entry.name, SLOW_FIELD_MAX_LENGTH),
    'durationMs',
    String(entry.durationMs),
    'thresholdMs',
    String(entry.thresholdMs),
    'nodeId',
    entry.nodeId,
    'timestamp',
    String(entry.timestamp),
  ];
  for (const field of STRING_FIELDS) {
    const value = entry[field];
    if (value !== undefined) fields.push(field, cut(value, MAX_LENGTH[field]));
  }
  if (entry.status !== undefined) fields.push('status', String(entry.status));
  return fields;
}

/** A stream value as a number within `[min, max]`, or undefined. */
const numberIn = (text: string | undefined, min: number, max: number): number | undefined => {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return inRange(value, min, max) ? value : undefined;
};

const NO_WARNINGS: readonly string[] = Object.freeze([]);

/**
 * Reads a stream entry's flat field list (as XRANGE / XREADGROUP return it). Refuses an entry
 * whose node id breaks the name grammar, whose duration, threshold or timestamp is not a number
 * in range, or that has more fields than any writer emits; cuts overlong strings; drops a
 * status that is not an HTTP status code, with a warning.
 */
export function parseSlowEntry(fields: readonly string[]): ParseResult<SlowEntry> {
  if (fields.length > MAX_SLOW_FIELDS * 2) {
    return { ok: false, error: `fields: more than ${MAX_SLOW_FIELDS}` };
  }
  // A plain loop, no Map: the collector parses every entry of every stream.
  let kind: string | undefined;
  let name: string | undefined;
  let nodeId: string | undefined;
  let durationMs: string | undefined;
  let thresholdMs: string | undefined;
  let timestamp: string | undefined;
  let status: string | undefined;
  const optional: Partial<Record<StringField, string>> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const value = fields[i + 1] as string;
    switch (fields[i]) {
      case 'kind':
        kind = value;
        break;
      case 'name':
        name = value;
        break;
      case 'nodeId':
        nodeId = value;
        break;
      case 'durationMs':
        durationMs = value;
        break;
      case 'thresholdMs':
        thresholdMs = value;
        break;
      case 'timestamp':
        timestamp = value;
        break;
      case 'status':
        status = value;
        break;
      case 'method':
      case 'route':
      case 'queue':
      case 'traceId':
      case 'spanId':
        optional[fields[i] as StringField] = value;
        break;
    }
  }
  if (kind !== 'request' && kind !== 'job') {
    return { ok: false, error: 'kind: expected "request" or "job"' };
  }
  if (!name) return { ok: false, error: 'name: missing' };
  if (!nodeId) return { ok: false, error: 'nodeId: missing' };
  if (!isNodeId(nodeId)) return { ok: false, error: 'nodeId: not a valid node id' };
  const duration = numberIn(durationMs, 0, MAX_SLOW_DURATION_MS);
  if (duration === undefined) {
    return { ok: false, error: `durationMs: expected a number from 0 to ${MAX_SLOW_DURATION_MS}` };
  }
  const threshold = numberIn(thresholdMs, 0, MAX_SLOW_DURATION_MS);
  if (threshold === undefined) {
    return { ok: false, error: `thresholdMs: expected a number from 0 to ${MAX_SLOW_DURATION_MS}` };
  }
  const time = numberIn(timestamp, 0, MAX_EPOCH_MS);
  if (time === undefined) {
    return { ok: false, error: `timestamp: expected epoch ms from 0 to ${MAX_EPOCH_MS}` };
  }
  const entry: SlowEntry = {
    kind,
    name: cut(name, SLOW_FIELD_MAX_LENGTH),
    nodeId,
    durationMs: duration,
    thresholdMs: threshold,
    timestamp: time,
  };
  for (const field of STRING_FIELDS) {
    const value = optional[field];
    if (value !== undefined) entry[field] = cut(value, MAX_LENGTH[field]);
  }
  if (status !== undefined) {
    const code = Number(status);
    if (!Number.isInteger(code)) {
      return { ok: true, value: entry, warnings: ['status: not an integer, ignored'] };
    }
    if (code < HTTP_STATUS_RANGE.min || code > HTTP_STATUS_RANGE.max) {
      return { ok: true, value: entry, warnings: ['status: not an HTTP status code, ignored'] };
    }
    entry.status = code;
  }
  return { ok: true, value: entry, warnings: NO_WARNINGS };
}
