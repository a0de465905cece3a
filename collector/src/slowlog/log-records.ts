/**
 * A slow-log entry as an OTLP log record on its node's resource, so it lands next to that
 * node's metrics (and its trace, when one was active) in any backend.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { LogAttributes } from '@opentelemetry/api-logs';
import { isValidSpanId, isValidTraceId, TraceFlags } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { SlowEntry } from '@gravito/quasar/schema';
import { COLLECTOR_SCOPE } from '../mapping/scope';

const msToHrTime = (ms: number): HrTime => {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
};

/** Stable scope object: the transformer groups records by scope identity. */
const SCOPE = { name: COLLECTOR_SCOPE.name, version: COLLECTOR_SCOPE.version };

export function slowEventName(entry: SlowEntry): string {
  return entry.kind === 'request' ? 'quasar.slow_request' : 'quasar.slow_job';
}

export function slowLogBody(entry: SlowEntry): string {
  const what = entry.kind === 'request' ? 'request' : 'job';
  return `Slow ${what} ${entry.name} took ${Math.round(entry.durationMs)} ms (threshold ${Math.round(entry.thresholdMs)} ms)`;
}

export function slowLogAttributes(entry: SlowEntry, entryId: string): LogAttributes {
  const attributes: LogAttributes = {
    'quasar.slow.kind': entry.kind,
    'quasar.slow.name': entry.name,
    'quasar.slow.duration_ms': entry.durationMs,
    'quasar.slow.threshold_ms': entry.thresholdMs,
    'quasar.slow.entry_id': entryId,
  };
  if (entry.method !== undefined) attributes['http.request.method'] = entry.method;
  if (entry.route !== undefined) attributes['http.route'] = entry.route;
  if (entry.status !== undefined) attributes['http.response.status_code'] = entry.status;
  if (entry.queue !== undefined) attributes['quasar.queue.name'] = entry.queue;
  return attributes;
}

export function toLogRecord(
  entry: SlowEntry,
  entryId: string,
  resource: Resource,
  observedMs: number,
): ReadableLogRecord {
  const record: ReadableLogRecord = {
    hrTime: msToHrTime(entry.timestamp),
    hrTimeObserved: msToHrTime(observedMs),
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: slowLogBody(entry),
    eventName: slowEventName(entry),
    resource,
    instrumentationScope: SCOPE,
    attributes: slowLogAttributes(entry, entryId),
    droppedAttributesCount: 0,
  };
  if (
    entry.traceId !== undefined &&
    entry.spanId !== undefined &&
    isValidTraceId(entry.traceId) &&
    isValidSpanId(entry.spanId)
  ) {
    return {
      ...record,
      spanContext: { traceId: entry.traceId, spanId: entry.spanId, traceFlags: TraceFlags.NONE },
    };
  }
  return record;
}
