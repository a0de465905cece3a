/**
 * A slow request or slow job, as stored in the stream `gravito:quasar:slow:{service}`.
 * Stream entries are flat field/value string pairs; this module owns that encoding both ways.
 */
import { isFiniteNumber } from './parse-result';
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

const STRING_FIELDS = ['method', 'route', 'queue', 'traceId', 'spanId'] as const;
/** Longest string kept in any field; longer values are cut, never rejected. */
export const SLOW_FIELD_MAX_LENGTH = 512;

const cut = (value: string) =>
  value.length > SLOW_FIELD_MAX_LENGTH ? value.slice(0, SLOW_FIELD_MAX_LENGTH) : value;

/** Flattens an entry into XADD field/value arguments. Absent optional fields are omitted. */
export function slowEntryToFields(entry: SlowEntry): string[] {
  const fields = [
    'kind',
    entry.kind,
    'name',
    cut(entry.name),
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
    if (value !== undefined) fields.push(field, cut(value));
  }
  if (entry.status !== undefined) fields.push('status', String(entry.status));
  return fields;
}

const numberOf = (text: string | undefined): number | undefined => {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return isFiniteNumber(value) ? value : undefined;
};

const NO_WARNINGS: readonly string[] = Object.freeze([]);

/** Reads a stream entry's flat field list (as XRANGE / XREADGROUP return it). */
export function parseSlowEntry(fields: readonly string[]): ParseResult<SlowEntry> {
  // A plain loop, no Map: the collector parses every entry of every stream.
  let kind: string | undefined;
  let name: string | undefined;
  let nodeId: string | undefined;
  let durationMs: string | undefined;
  let thresholdMs: string | undefined;
  let timestamp: string | undefined;
  let status: string | undefined;
  const optional: Partial<Record<(typeof STRING_FIELDS)[number], string>> = {};
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
        optional[fields[i] as (typeof STRING_FIELDS)[number]] = value;
        break;
    }
  }
  if (kind !== 'request' && kind !== 'job') {
    return { ok: false, error: 'kind: expected "request" or "job"' };
  }
  if (!name) return { ok: false, error: 'name: missing' };
  if (!nodeId) return { ok: false, error: 'nodeId: missing' };
  const duration = numberOf(durationMs);
  if (duration === undefined) return { ok: false, error: 'durationMs: expected a number' };
  const threshold = numberOf(thresholdMs);
  if (threshold === undefined) return { ok: false, error: 'thresholdMs: expected a number' };
  const time = numberOf(timestamp);
  if (time === undefined) return { ok: false, error: 'timestamp: expected a number' };
  const entry: SlowEntry = {
    kind,
    name: cut(name),
    nodeId,
    durationMs: duration,
    thresholdMs: threshold,
    timestamp: time,
  };
  for (const field of STRING_FIELDS) {
    const value = optional[field];
    if (value !== undefined) entry[field] = cut(value);
  }
  if (status !== undefined) {
    const code = Number(status);
    if (!Number.isInteger(code)) {
      return { ok: true, value: entry, warnings: ['status: not an integer, ignored'] };
    }
    entry.status = code;
  }
  return { ok: true, value: entry, warnings: NO_WARNINGS };
}
