/**
 * The optional blocks of a node: event loop, container limits, availability checks and the Go
 * agent's Laravel workers. Each reads as `null` (or an empty list) when absent or unreadable,
 * bounded like the rest of the node.
 */
import { MAX_CERT_DAYS, MAX_CORES, MAX_COUNT, MAX_PID, MAX_WORKERS } from '../api/limits';
import { bool, bytes, clamped, durationMs, epochMs, field, inRange, isRecord, label, listOf, text } from '../api/read';
import type { LaravelInfo, LaravelWorker, PulseCheck, PulseNode } from './node';

/** The event-loop delays, or `null` when the agent measured none. */
export function readEventLoop(value: unknown): PulseNode['eventLoop'] {
  if (!isRecord(value)) {
    return null;
  }
  const loop = {
    p50Ms: durationMs(field(value, 'p50')),
    p99Ms: durationMs(field(value, 'p99')),
    maxMs: durationMs(field(value, 'max')),
    utilization: clamped(field(value, 'utilization'), 0, 1),
  };
  return Object.values(loop).some((v) => v !== null) ? loop : null;
}

/** The container's limits, or `null` when the node runs without any. */
export function readContainer(value: unknown): PulseNode['container'] {
  if (!isRecord(value)) {
    return null;
  }
  const memoryLimitBytes = bytes(field(value, 'memoryLimit'));
  const cpuQuotaCores = inRange(field(value, 'cpuQuota'), 0, MAX_CORES);
  return memoryLimitBytes === null && cpuQuotaCores === null ? null : { memoryLimitBytes, cpuQuotaCores };
}

/** One availability check, or `null` without the `up` verdict. */
export function readCheck(value: unknown): PulseCheck | null {
  const up = bool(field(value, 'up'));
  if (up === null) {
    // Without `up` there is nothing true to show for the check.
    return null;
  }
  const type = field(value, 'type');
  const target = text(field(value, 'target'));
  return {
    name: label(field(value, 'name')) ?? label(target) ?? 'check',
    type: type === 'http' || type === 'tcp' ? type : null,
    target,
    up,
    latencyMs: durationMs(field(value, 'latencyMs')),
    statusCode: inRange(field(value, 'status'), 0, 999),
    method: label(field(value, 'method')),
    error: text(field(value, 'error')),
    certDaysLeft: inRange(field(value, 'certDaysLeft'), -MAX_CERT_DAYS, MAX_CERT_DAYS),
    checkedAt: epochMs(field(value, 'checkedAt')),
  };
}

/** The Go agent's `meta.laravel` block, or `null` without one. */
export function readLaravel(value: unknown): LaravelInfo | null {
  if (!isRecord(value)) {
    return null;
  }
  const workers = listOf(field(value, 'workers'), MAX_WORKERS, readWorker);
  return {
    workerCount: inRange(field(value, 'workerCount'), 0, MAX_COUNT) ?? workers.length,
    roots: texts(field(value, 'roots'), MAX_WORKERS),
    workers,
  };
}

/** The strings of a list, each cut to `MAX_TEXT_LENGTH`, at most `max` of them. */
export function texts(value: unknown, max: number): string[] {
  return listOf(value, max, (entry) => text(entry));
}

function readWorker(value: unknown): LaravelWorker | null {
  if (!isRecord(value)) {
    return null;
  }
  return {
    pid: inRange(field(value, 'pid'), 0, MAX_PID),
    cmdline: text(field(value, 'cmdline')),
    memoryBytes: bytes(field(value, 'memory')),
    cpuPercent: clamped(field(value, 'cpu'), 0, 100 * MAX_CORES),
    status: label(field(value, 'status')),
  };
}
