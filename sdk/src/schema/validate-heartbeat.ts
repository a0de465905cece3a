/**
 * Runtime validation of heartbeats read from Redis. Required v1 fields must be present and
 * well typed; malformed optional fields are dropped with a warning; unknown fields are kept.
 */
import type { CheckResult, Heartbeat } from './heartbeat';
import { validQueue } from './validate-queue';
import { NOT_JSON, describe, fromJson, isFiniteNumber, isRecord } from './parse-result';
import type { ParseResult } from './parse-result';

class Invalid extends Error {}

function need(obj: Record<string, unknown>, path: string, key: string, kind: 'string' | 'number') {
  const value = obj[key];
  const ok = kind === 'number' ? isFiniteNumber(value) : typeof value === 'string';
  if (!ok) throw new Invalid(`${path}${key}: expected a ${kind}, got ${describe(value)}`);
}

function needObject(obj: Record<string, unknown>, path: string, key: string) {
  const value = obj[key];
  if (!isRecord(value))
    throw new Invalid(`${path}${key}: expected an object, got ${describe(value)}`);
  return value;
}

function checkRequired(raw: Record<string, unknown>): void {
  need(raw, '', 'id', 'string');
  need(raw, '', 'service', 'string');
  if (raw.id === '' || raw.service === '') throw new Invalid('id and service must not be empty');
  need(raw, '', 'language', 'string');
  need(raw, '', 'pid', 'number');
  need(raw, '', 'hostname', 'string');
  need(raw, '', 'platform', 'string');
  need(raw, '', 'timestamp', 'number');
  const cpu = needObject(raw, '', 'cpu');
  for (const k of ['system', 'process', 'cores']) need(cpu, 'cpu.', k, 'number');
  const memory = needObject(raw, '', 'memory');
  const system = needObject(memory, 'memory.', 'system');
  for (const k of ['total', 'free', 'used']) need(system, 'memory.system.', k, 'number');
  const proc = needObject(memory, 'memory.', 'process');
  for (const k of ['rss', 'heapTotal', 'heapUsed']) need(proc, 'memory.process.', k, 'number');
  const runtime = needObject(raw, '', 'runtime');
  need(runtime, 'runtime.', 'uptime', 'number');
  if (raw.version !== undefined && typeof raw.version !== 'string') {
    throw new Invalid(`version: expected a string, got ${describe(raw.version)}`);
  }
}

function validCheck(value: unknown): value is CheckResult {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    (value.type === 'http' || value.type === 'tcp') &&
    typeof value.target === 'string' &&
    typeof value.up === 'boolean' &&
    isFiniteNumber(value.latencyMs) &&
    isFiniteNumber(value.checkedAt) &&
    (value.status === undefined || isFiniteNumber(value.status)) &&
    (value.certDaysLeft === undefined || isFiniteNumber(value.certDaysLeft)) &&
    (value.error === undefined || typeof value.error === 'string')
  );
}

/** Keeps the well-formed entries of an optional array field, warning about the rest. */
function filterArray(
  value: Record<string, unknown>,
  field: 'queues' | 'checks',
  valid: (entry: unknown) => boolean,
  warnings: string[],
): void {
  const list = value[field];
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    warnings.push(`${field}: expected an array, got ${describe(list)}, ignored`);
    delete value[field];
    return;
  }
  const kept = list.filter(valid);
  if (kept.length !== list.length) {
    warnings.push(`${field}: ${list.length - kept.length} malformed entries ignored`);
  }
  value[field] = kept;
}

const numbers = (value: unknown, length: number) =>
  Array.isArray(value) && value.length === length && value.every(isFiniteNumber);

/** Checks for each optional extension; a failing one is dropped, not fatal. */
const OPTIONAL_CHECKS: Record<string, (value: unknown) => boolean> = {
  loadavg: (v) => numbers(v, 3),
  eventLoop: (v) =>
    isRecord(v) &&
    ['p50', 'p99', 'max'].every((k) => isFiniteNumber(v[k])) &&
    (v.utilization === undefined || isFiniteNumber(v.utilization)),
  interval: (v) => isFiniteNumber(v) && v > 0,
  startedAt: isFiniteNumber,
  sdk: (v) => isRecord(v) && typeof v.name === 'string' && typeof v.version === 'string',
  otel: (v) => isRecord(v) && typeof v.selfExport === 'boolean',
  container: (v) =>
    isRecord(v) &&
    (v.memoryLimit === undefined || isFiniteNumber(v.memoryLimit)) &&
    (v.cpuQuota === undefined || isFiniteNumber(v.cpuQuota)),
  meta: isRecord,
};

const OPTIONAL_FIELDS = Object.keys(OPTIONAL_CHECKS);

/**
 * Validates a heartbeat, given as the JSON string stored in Redis or as a parsed value.
 * Accepts every original agent's payload (Node SDK 1.0, the Go agent) and our extensions.
 */
export function parseHeartbeat(input: unknown): ParseResult<Heartbeat> {
  const raw = fromJson(input);
  if (raw === NOT_JSON) return { ok: false, error: 'not valid JSON' };
  if (!isRecord(raw)) return { ok: false, error: `expected an object, got ${describe(raw)}` };
  try {
    checkRequired(raw);
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }

  // A value parsed here is ours to trim in place; a caller's object is copied, never mutated.
  const value: Record<string, unknown> = typeof input === 'string' ? raw : { ...raw };
  const warnings: string[] = [];
  for (const field of OPTIONAL_FIELDS) {
    const check = OPTIONAL_CHECKS[field] as (value: unknown) => boolean;
    if (value[field] !== undefined && !check(value[field])) {
      warnings.push(`${field}: malformed (${describe(value[field])}), ignored`);
      delete value[field];
    }
  }
  const memSystem = (value.memory as { system: Record<string, unknown> }).system;
  if (memSystem.available !== undefined && !isFiniteNumber(memSystem.available)) {
    warnings.push('memory.system.available: not a number, ignored');
    value.memory = {
      ...(value.memory as object),
      system: { ...memSystem, available: undefined },
    };
  }
  filterArray(value, 'queues', validQueue, warnings);
  filterArray(value, 'checks', validCheck, warnings);
  return { ok: true, value: value as Heartbeat, warnings };
}
