/**
 * Runtime validation of heartbeats read from Redis. Required v1 fields must be present, well
 * typed and in range; malformed optional fields are dropped with a warning; unknown fields are
 * kept. The whole value is first checked for depth and size (`HEARTBEAT_BOUNDS`), so nothing
 * that reads it later can overflow the stack.
 */
import { countEntries } from './bounded-json';
import type { CheckResult, Heartbeat } from './heartbeat';
import {
  HEARTBEAT_BOUNDS,
  INTERVAL_RANGE_MS,
  MAX_CHECKS,
  MAX_COUNT,
  MAX_EPOCH_MS,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_QUEUES,
  MAX_TEXT_LENGTH,
} from './limits';
import { KEY_LAYOUTS } from './keys';
import type { KeyLayout } from './keys';
import { isNodeId, isServiceName } from './names';
import { readJobs } from './validate-jobs';
import { readQueue } from './validate-queue';
import {
  NOT_JSON,
  cut,
  describe,
  fromJson,
  inRange,
  isFiniteNumber,
  isRecord,
} from './parse-result';
import type { ParseResult } from './parse-result';

class Invalid extends Error {}

type Range = readonly [min: number, max: number];

const COUNT: Range = [0, MAX_COUNT];
const EPOCH_MS: Range = [0, MAX_EPOCH_MS];
/** `cpu.system`: % of the machine. */
const PERCENT: Range = [0, 100];
/** `cpu.process`: % of one core, so up to 100 per core. */
const PROCESS_PERCENT: Range = [0, 100 * 65_536];
const CORES: Range = [0, 65_536];
/** Seconds: a little over 300 years. */
const UPTIME_S: Range = [0, 1e10];
/** Process ids: 32 bits on every platform. */
const PID: Range = [0, 4_294_967_295];

function need(obj: Record<string, unknown>, path: string, key: string, range: Range) {
  const value = obj[key];
  if (!isFiniteNumber(value)) {
    throw new Invalid(`${path}${key}: expected a number, got ${describe(value)}`);
  }
  if (value < range[0] || value > range[1]) {
    throw new Invalid(`${path}${key}: ${value} is out of range [${range[0]}, ${range[1]}]`);
  }
}

function needText(obj: Record<string, unknown>, key: string, max: number) {
  const value = obj[key];
  if (typeof value !== 'string') {
    throw new Invalid(`${key}: expected a string, got ${describe(value)}`);
  }
  if (value.length > max) throw new Invalid(`${key}: longer than ${max} characters`);
}

function needObject(obj: Record<string, unknown>, path: string, key: string) {
  const value = obj[key];
  if (!isRecord(value))
    throw new Invalid(`${path}${key}: expected an object, got ${describe(value)}`);
  return value;
}

function checkRequired(raw: Record<string, unknown>): void {
  if (!isServiceName(raw.service)) {
    throw new Invalid(
      `service: expected a service name (1–128 characters, no spaces, ":" or globs), got ${describe(raw.service)}`,
    );
  }
  if (!isNodeId(raw.id)) {
    throw new Invalid(
      `id: expected a node id (1–256 characters, no spaces or globs), got ${describe(raw.id)}`,
    );
  }
  needText(raw, 'language', MAX_LABEL_LENGTH);
  needText(raw, 'hostname', MAX_NAME_LENGTH);
  needText(raw, 'platform', MAX_LABEL_LENGTH);
  need(raw, '', 'pid', PID);
  need(raw, '', 'timestamp', EPOCH_MS);
  const cpu = needObject(raw, '', 'cpu');
  need(cpu, 'cpu.', 'system', PERCENT);
  need(cpu, 'cpu.', 'process', PROCESS_PERCENT);
  need(cpu, 'cpu.', 'cores', CORES);
  const memory = needObject(raw, '', 'memory');
  // Each field by its name, not in a loop over names: a read by a computed name is slower.
  const system = needObject(memory, 'memory.', 'system');
  need(system, 'memory.system.', 'total', COUNT);
  need(system, 'memory.system.', 'free', COUNT);
  need(system, 'memory.system.', 'used', COUNT);
  const proc = needObject(memory, 'memory.', 'process');
  need(proc, 'memory.process.', 'rss', COUNT);
  need(proc, 'memory.process.', 'heapTotal', COUNT);
  need(proc, 'memory.process.', 'heapUsed', COUNT);
  const runtime = needObject(raw, '', 'runtime');
  need(runtime, 'runtime.', 'uptime', UPTIME_S);
  if (raw.version !== undefined) needText(raw, 'version', MAX_LABEL_LENGTH);
}

function validCheck(value: unknown): value is CheckResult {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    value.name.length <= MAX_NAME_LENGTH &&
    (value.type === 'http' || value.type === 'tcp') &&
    typeof value.target === 'string' &&
    value.target.length <= MAX_TEXT_LENGTH &&
    typeof value.up === 'boolean' &&
    inRange(value.latencyMs, 0, MAX_EPOCH_MS) &&
    inRange(value.checkedAt, EPOCH_MS[0], EPOCH_MS[1]) &&
    (value.status === undefined || inRange(value.status, 0, 999)) &&
    (value.certDaysLeft === undefined || inRange(value.certDaysLeft, -1e6, 1e6)) &&
    (value.method === undefined ||
      (typeof value.method === 'string' && value.method.length <= MAX_LABEL_LENGTH)) &&
    (value.error === undefined ||
      (typeof value.error === 'string' && value.error.length <= MAX_TEXT_LENGTH))
  );
}

function warnDropped(
  warnings: string[],
  field: string,
  malformed: number,
  surplus: number,
  max: number,
) {
  if (malformed > 0) warnings.push(`${field}: ${malformed} malformed entries ignored`);
  if (surplus > 0) warnings.push(`${field}: ${surplus} entries beyond the first ${max} ignored`);
}

/** Reads the `queues` array: at most `MAX_QUEUES` bounded snapshots; bad entries are dropped. */
function readQueues(value: Record<string, unknown>, warnings: string[]): void {
  const list = value.queues;
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    warnings.push(`queues: expected an array, got ${describe(list)}, ignored`);
    delete value.queues;
    return;
  }
  const kept = [];
  const considered = list.slice(0, MAX_QUEUES);
  // The heartbeat as a whole fits HEARTBEAT_BOUNDS already: each entry needs no walk of its own.
  for (const entry of considered) {
    const queue = readQueue(entry, warnings);
    if (typeof queue !== 'string') kept.push(queue);
  }
  warnDropped(
    warnings,
    'queues',
    considered.length - kept.length,
    list.length - considered.length,
    MAX_QUEUES,
  );
  value.queues = kept;
}

function readChecks(value: Record<string, unknown>, warnings: string[]): void {
  const list = value.checks;
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    warnings.push(`checks: expected an array, got ${describe(list)}, ignored`);
    delete value.checks;
    return;
  }
  const considered = list.slice(0, MAX_CHECKS);
  const kept = considered.filter(validCheck);
  warnDropped(
    warnings,
    'checks',
    considered.length - kept.length,
    list.length - considered.length,
    MAX_CHECKS,
  );
  value.checks = kept;
}

const numbers = (value: unknown, length: number, max: number) =>
  Array.isArray(value) && value.length === length && value.every((v) => inRange(v, 0, max));

type Check = (value: unknown) => boolean;

/** Checks for each optional extension; a failing one is dropped, not fatal. */
const OPTIONAL_CHECKS = {
  loadavg: (v) => numbers(v, 3, 1e9),
  eventLoop: (v) =>
    isRecord(v) &&
    inRange(v.p50, 0, MAX_EPOCH_MS) &&
    inRange(v.p99, 0, MAX_EPOCH_MS) &&
    inRange(v.max, 0, MAX_EPOCH_MS) &&
    (v.utilization === undefined || inRange(v.utilization, 0, 1)),
  interval: (v) => inRange(v, INTERVAL_RANGE_MS.min, INTERVAL_RANGE_MS.max),
  startedAt: (v) => inRange(v, EPOCH_MS[0], EPOCH_MS[1]),
  sdk: (v) =>
    isRecord(v) &&
    typeof v.name === 'string' &&
    v.name.length <= MAX_NAME_LENGTH &&
    typeof v.version === 'string' &&
    v.version.length <= MAX_LABEL_LENGTH,
  otel: (v) => isRecord(v) && typeof v.selfExport === 'boolean',
  container: (v) =>
    isRecord(v) &&
    (v.memoryLimit === undefined || inRange(v.memoryLimit, COUNT[0], COUNT[1])) &&
    (v.cpuQuota === undefined || inRange(v.cpuQuota, CORES[0], CORES[1])),
  meta: isRecord,
  keyLayout: (v) => KEY_LAYOUTS.includes(v as KeyLayout),
} satisfies Record<string, Check>;

/** Drops `value[field]` (`item`) with a warning when it is present and `valid` refuses it. */
function optional(
  value: Record<string, unknown>,
  warnings: string[],
  field: keyof typeof OPTIONAL_CHECKS,
  item: unknown,
  valid: Check,
): void {
  if (item === undefined || valid(item)) return;
  warnings.push(`${field}: malformed (${describe(item)}), ignored`);
  delete value[field];
}

/**
 * Drops each optional extension that is present but malformed. Every field is read by its
 * name: this runs for every node of every cycle, and a loop over the names, reading each by
 * a computed key, cost more than the checks themselves.
 */
function dropMalformed(value: Record<string, unknown>, warnings: string[]): void {
  const c = OPTIONAL_CHECKS;
  optional(value, warnings, 'loadavg', value.loadavg, c.loadavg);
  optional(value, warnings, 'eventLoop', value.eventLoop, c.eventLoop);
  optional(value, warnings, 'interval', value.interval, c.interval);
  optional(value, warnings, 'startedAt', value.startedAt, c.startedAt);
  optional(value, warnings, 'sdk', value.sdk, c.sdk);
  optional(value, warnings, 'otel', value.otel, c.otel);
  optional(value, warnings, 'container', value.container, c.container);
  optional(value, warnings, 'meta', value.meta, c.meta);
  optional(value, warnings, 'keyLayout', value.keyLayout, c.keyLayout);
}

/**
 * Validates a heartbeat, given as the JSON string stored in Redis or as a parsed value.
 * Accepts every original agent's payload (Node SDK 1.0, the Go agent) and our extensions.
 */
export function parseHeartbeat(input: unknown): ParseResult<Heartbeat> {
  const raw = fromJson(input);
  if (raw === NOT_JSON) return { ok: false, error: 'not valid JSON' };
  if (!isRecord(raw)) return { ok: false, error: `expected an object, got ${describe(raw)}` };
  if (countEntries(raw, HEARTBEAT_BOUNDS) === undefined) {
    return {
      ok: false,
      error: `nested deeper than ${HEARTBEAT_BOUNDS.maxDepth} levels or over ${HEARTBEAT_BOUNDS.maxEntries} entries`,
    };
  }
  try {
    checkRequired(raw);
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: error.message };
    throw error;
  }

  // A value parsed here is ours to trim in place; a caller's object is copied, never mutated.
  const value: Record<string, unknown> = typeof input === 'string' ? raw : { ...raw };
  const warnings: string[] = [];
  dropMalformed(value, warnings);
  const memSystem = (value.memory as { system: Record<string, unknown> }).system;
  if (memSystem.available !== undefined && !inRange(memSystem.available, COUNT[0], COUNT[1])) {
    warnings.push('memory.system.available: not a byte count, ignored');
    value.memory = {
      ...(value.memory as object),
      system: { ...memSystem, available: undefined },
    };
  }
  const runtime = value.runtime as Record<string, unknown>;
  if (typeof runtime.status === 'string' && runtime.status.length > MAX_LABEL_LENGTH) {
    value.runtime = { ...runtime, status: cut(runtime.status, MAX_LABEL_LENGTH) };
  }
  readQueues(value, warnings);
  readChecks(value, warnings);
  readJobs(value, warnings);
  return { ok: true, value: value as Heartbeat, warnings };
}
