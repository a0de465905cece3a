import { SeverityNumber } from '@opentelemetry/api-logs';
import { TraceFlags } from '@opentelemetry/api';
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SlowEntry } from '@gravito/quasar/schema';
import { toLogRecord } from '../../src/slowlog/log-records';
import { COLLECTOR_SCOPE } from '../../src/mapping/scope';
import { slowJob, slowRequest } from './consumer-fixture';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const ENTRY_ID = '1700000000123-0';
const OBSERVED_MS = 1_700_000_005_000;
const resource = resourceFromAttributes({
  'service.name': 'checkout',
  'service.instance.id': 'w1',
});

const recordOf = (entry: SlowEntry) => toLogRecord(entry, ENTRY_ID, resource, OBSERVED_MS);

describe('toLogRecord', () => {
  it('says what was slow, how long it took and its threshold in the body, in whole ms', () => {
    expect(recordOf(slowRequest({ durationMs: 1834.6, thresholdMs: 999.5 })).body).toBe(
      'Slow request GET /orders/:id took 1835 ms (threshold 1000 ms)',
    );
    expect(recordOf(slowJob()).body).toBe('Slow job SendWelcome took 7200 ms (threshold 5000 ms)');
  });

  it('is a WARN record', () => {
    const record = recordOf(slowJob());
    expect(record.severityNumber).toBe(SeverityNumber.WARN);
    expect(record.severityText).toBe('WARN');
  });

  it('names the event after the kind', () => {
    expect(recordOf(slowRequest()).eventName).toBe('quasar.slow_request');
    expect(recordOf(slowJob()).eventName).toBe('quasar.slow_job');
  });

  it('carries the method, route and status of a request as HTTP attributes', () => {
    expect(recordOf(slowRequest({ status: 503 })).attributes).toEqual({
      'quasar.slow.kind': 'request',
      'quasar.slow.name': 'GET /orders/:id',
      'quasar.slow.duration_ms': 1834,
      'quasar.slow.threshold_ms': 1000,
      'quasar.slow.entry_id': ENTRY_ID,
      'http.request.method': 'GET',
      'http.route': '/orders/:id',
      'http.response.status_code': 503,
    });
  });

  it('carries the queue of a job, and no HTTP attributes', () => {
    expect(recordOf(slowJob()).attributes).toEqual({
      'quasar.slow.kind': 'job',
      'quasar.slow.name': 'SendWelcome',
      'quasar.slow.duration_ms': 7200,
      'quasar.slow.threshold_ms': 5000,
      'quasar.slow.entry_id': ENTRY_ID,
      'quasar.queue.name': 'emails',
    });
  });

  it('leaves out the optional attributes an entry does not have', () => {
    const bare = slowRequest({
      method: undefined,
      route: undefined,
      status: undefined,
      queue: undefined,
    });
    expect(Object.keys(recordOf(bare).attributes).sort()).toEqual([
      'quasar.slow.duration_ms',
      'quasar.slow.entry_id',
      'quasar.slow.kind',
      'quasar.slow.name',
      'quasar.slow.threshold_ms',
    ]);
    expect(recordOf(slowJob({ queue: undefined })).attributes).not.toHaveProperty(
      'quasar.queue.name',
    );
  });

  it('links the record to the trace when the entry carries valid trace and span ids', () => {
    expect(recordOf(slowRequest({ traceId: TRACE_ID, spanId: SPAN_ID })).spanContext).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.NONE,
    });
  });

  it.each([
    ['no ids', {}],
    ['a trace id without a span id', { traceId: TRACE_ID }],
    ['a span id without a trace id', { spanId: SPAN_ID }],
    ['an all-zero trace id', { traceId: '0'.repeat(32), spanId: SPAN_ID }],
    ['an all-zero span id', { traceId: TRACE_ID, spanId: '0'.repeat(16) }],
    ['a trace id that is not hex', { traceId: 'z'.repeat(32), spanId: SPAN_ID }],
    ['a span id of the wrong length', { traceId: TRACE_ID, spanId: SPAN_ID.slice(1) }],
  ])('links no trace for an entry with %s', (_case, ids: Partial<SlowEntry>) => {
    expect(recordOf(slowRequest(ids))).not.toHaveProperty('spanContext');
  });

  it('is timed when the entry finished, to the nanosecond, and observed when it was read', () => {
    expect(recordOf(slowRequest({ timestamp: 1_700_000_000_123 })).hrTime).toEqual([
      1_700_000_000, 123_000_000,
    ]);
    expect(recordOf(slowRequest({ timestamp: 1_700_000_000_123.5 })).hrTime).toEqual([
      1_700_000_000, 123_500_000,
    ]);
    expect(recordOf(slowRequest({ timestamp: 1_700_000_000_999.75 })).hrTime).toEqual([
      1_700_000_000, 999_750_000,
    ]);
    expect(recordOf(slowRequest()).hrTimeObserved).toEqual([1_700_000_005, 0]);
  });

  it("is reported on the node's resource, under the collector's scope", () => {
    const record = recordOf(slowJob());
    expect(record.resource).toBe(resource);
    expect(record.instrumentationScope).toEqual({
      name: COLLECTOR_SCOPE.name,
      version: COLLECTOR_SCOPE.version,
    });
  });

  it('serialises through the stock OTLP transformer with its time, event name and trace', () => {
    const entry = slowRequest({
      timestamp: 1_700_000_000_123.5,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
    });
    const bytes = JsonLogsSerializer.serializeRequest([recordOf(entry)]);
    const json = JSON.parse(Buffer.from(bytes!).toString()) as {
      resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<Record<string, unknown>> }> }>;
    };
    expect(json.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]).toMatchObject({
      timeUnixNano: '1700000000123500000',
      observedTimeUnixNano: '1700000005000000000',
      severityNumber: SeverityNumber.WARN,
      eventName: 'quasar.slow_request',
      traceId: TRACE_ID,
      spanId: SPAN_ID,
    });
  });
});
