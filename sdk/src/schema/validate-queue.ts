/**
 * Validation of queue snapshots: entries of a heartbeat's `queues` array, and the JSON values
 * of the per-service hash `gravito:quasar:queues:{service}`.
 */
import type { QueueSnapshot } from './heartbeat';
import { NOT_JSON, describe, fromJson, isFiniteNumber, isRecord } from './parse-result';
import type { ParseResult } from './parse-result';

/** A snapshot needs a name and numeric counts; everything else is optional. */
export function validQueue(value: unknown): value is QueueSnapshot {
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.size)) return false;
  if (value.driver !== undefined && typeof value.driver !== 'string') return false;
  return Object.values(value.size).every(isFiniteNumber);
}

/** Validates one queue snapshot, given as stored JSON or as a parsed value. */
export function parseQueueSnapshot(input: unknown): ParseResult<QueueSnapshot> {
  const raw = fromJson(input);
  if (raw === NOT_JSON) return { ok: false, error: 'not valid JSON' };
  if (!validQueue(raw)) {
    return { ok: false, error: `expected {name, size: {state: number}}, got ${describe(raw)}` };
  }
  const warnings: string[] = [];
  const value: QueueSnapshot = { ...raw, driver: raw.driver ?? 'redis' };
  if (value.failedSample !== undefined && !Array.isArray(value.failedSample)) {
    warnings.push('failedSample: expected an array, ignored');
    delete value.failedSample;
  }
  if (
    value.actions !== undefined &&
    !(Array.isArray(value.actions) && value.actions.every((a) => typeof a === 'string'))
  ) {
    warnings.push('actions: not an array of strings, ignored');
    delete value.actions;
  }
  if (value.paused !== undefined && typeof value.paused !== 'boolean') {
    warnings.push('paused: not a boolean, ignored');
    delete value.paused;
  }
  for (const field of ['oldestWaitingAgeMs', 'observedAt'] as const) {
    if (value[field] !== undefined && !isFiniteNumber(value[field])) {
      warnings.push(`${field}: not a number, ignored`);
      delete value[field];
    }
  }
  return { ok: true, value, warnings };
}
