/**
 * Log records as the slow-log consumer builds them (`toLogRecord` on node resources), for the
 * logs encoder tests and benchmark, and the stock OTel JS serializers they are held to.
 */
import { TraceFlags } from '@opentelemetry/api';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { SlowEntry } from '@gravito/quasar/schema';
import { toLogRecord } from '../../src/slowlog/log-records';

/** 2023-11-14T22:13:20Z, the epoch ms every fixture time starts from. */
export const T0_MS = 1_700_000_000_000;

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN_ID = '00f067aa0ba902b7';

/** A node's resource, as the collector builds it: one object per node, shared by its records. */
export function nodeLogResource(service: string, nodeId: string, index = 0): Resource {
  return resourceFromAttributes({
    'service.name': service,
    'service.instance.id': nodeId,
    'host.name': `host-${index}`,
    'process.pid': 4000 + index,
    'quasar.node.load': 0.25 + index / 8,
    'quasar.node.self_export': index % 2 === 0,
    'process.command_args': ['node', 'dist/server.js', `--node=${nodeId}`],
  });
}

/** A slow request as `recordSlow()` stamps it. */
export function slowRequest(overrides: Partial<SlowEntry> = {}): SlowEntry {
  return {
    kind: 'request',
    name: 'GET /orders/:id',
    durationMs: 1834,
    thresholdMs: 1000,
    nodeId: 'web-1',
    timestamp: T0_MS,
    method: 'GET',
    route: '/orders/:id',
    status: 200,
    ...overrides,
  };
}

/** A slow job as `recordSlow()` stamps it. */
export function slowJob(overrides: Partial<SlowEntry> = {}): SlowEntry {
  return {
    kind: 'job',
    name: 'SendWelcome',
    durationMs: 7200,
    thresholdMs: 5000,
    nodeId: 'worker-1',
    timestamp: T0_MS,
    queue: 'emails',
    ...overrides,
  };
}

/**
 * Records from three nodes, interleaved, so grouping must keep first-appearance order: with
 * and without a trace (one sampled), integer and fractional durations, fractional-ms times,
 * unicode text, a boolean attribute, and a record under a second scope.
 */
export function realisticLogRecords(): ReadableLogRecord[] {
  const web1 = nodeLogResource('web', 'web-1', 0);
  const web2 = nodeLogResource('web', 'web-2', 1);
  const worker = nodeLogResource('worker', 'worker-1', 2);
  const observed = T0_MS + 1_500;
  const traced = { traceId: TRACE_ID, spanId: SPAN_ID };
  const records = [
    toLogRecord(slowRequest(traced), `${T0_MS}-0`, web1, observed),
    toLogRecord(
      slowJob({ durationMs: 7200.75, timestamp: T0_MS + 0.123456 }),
      '1-0',
      worker,
      observed,
    ),
    toLogRecord(slowRequest({ nodeId: 'web-2', status: 503 }), '2-0', web2, observed + 0.5),
    toLogRecord(
      slowRequest({
        name: 'GET /übersicht/東京 🚀',
        route: '/übersicht/:city',
        timestamp: T0_MS + 1.5,
      }),
      '3-0',
      web1,
      observed,
    ),
    toLogRecord(slowJob({ name: 'Say "hi" \\ \n\t', queue: 'ünïcödé' }), '4-0', worker, observed),
    toLogRecord(slowRequest({ ...traced, durationMs: 1000.001 }), '5-0', web2, observed),
  ];
  const sampled = records[0] as ReadableLogRecord;
  records.push({
    ...sampled,
    attributes: { ...sampled.attributes, 'quasar.slow.sampled': true, 'quasar.slow.retry': false },
    spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED },
  });
  const other = records[1] as ReadableLogRecord;
  records.push({
    ...other,
    instrumentationScope: { name: 'quasar-tests', version: '', schemaUrl: 'https://example.com/s' },
  });
  return records;
}

/**
 * Records that between them use every field the encoders can write: a resource and a scope
 * with schema URLs, scope attributes, dropped counts, trace flags, and bodies of every
 * `AnyValue` kind. Resource and scope objects are new on each call, so nothing is cached yet.
 */
export function everyFieldLogRecords(): ReadableLogRecord[] {
  const resource = resourceFromAttributes(
    { 'service.name': 'web', 'service.instance.id': 'web-9', 'quasar.ports': [8080, 8443] },
    { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
  );
  const scope = {
    name: 'quasar-tests',
    version: '9.9.9',
    schemaUrl: 'https://opentelemetry.io/schemas/1.27.0',
    attributes: { 'scope.kind': 'test' },
    droppedAttributesCount: 2,
  };
  const base: ReadableLogRecord = {
    ...toLogRecord(slowRequest({ traceId: TRACE_ID, spanId: SPAN_ID }), '1-0', resource, T0_MS),
    instrumentationScope: scope,
    droppedAttributesCount: 3,
    spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED },
  };
  const bodies: unknown[] = [
    'text',
    42,
    -7,
    2 ** 60,
    2.5,
    true,
    Uint8Array.of(0, 1, 254, 255),
    [1, 'a', null, [true]],
    { a: 1, nested: { b: 'c' }, empty: [] },
  ];
  return bodies.map((body) => ({ ...base, body: body as ReadableLogRecord['body'] }));
}

/**
 * `count` records spread round-robin over `nodes` nodes (one resource object each), the shape
 * of one busy export: every tenth has a trace.
 */
export function fleetLogRecords(count: number, nodes: number): ReadableLogRecord[] {
  const resources = Array.from({ length: nodes }, (_, i) =>
    nodeLogResource(i % 3 === 0 ? 'worker' : 'web', `node-${i}`, i),
  );
  const records: ReadableLogRecord[] = [];
  for (let i = 0; i < count; i++) {
    const node = i % nodes;
    const timestamp = T0_MS + i * 7 + (i % 4) * 0.25;
    const entry =
      node % 3 === 0
        ? slowJob({ nodeId: `node-${node}`, timestamp, durationMs: 5000 + (i % 997) })
        : slowRequest({
            nodeId: `node-${node}`,
            timestamp,
            durationMs: 1000 + (i % 991) + 0.5,
            ...(i % 10 === 0 ? { traceId: TRACE_ID, spanId: SPAN_ID } : {}),
          });
    records.push(
      toLogRecord(entry, `${timestamp}-${i}`, resources[node] as Resource, timestamp + 250),
    );
  }
  return records;
}

/** The stock OTel JS protobuf request for `records`. */
export function stockLogsProtobuf(records: ReadableLogRecord[]): Uint8Array {
  const bytes = ProtobufLogsSerializer.serializeRequest(records);
  if (bytes === undefined) throw new Error('stock protobuf serializer returned nothing');
  return bytes;
}

interface StockJsonRequest {
  resourceLogs?: Array<{ resource?: Record<string, unknown> }>;
}

/**
 * The stock OTel JS JSON request for `records`, parsed. The stock serializer also copies a
 * resource's schema URL into `resource.schemaUrl`, a field `Resource` does not have (the
 * proper `ResourceLogs.schemaUrl` is written too); that copy is dropped here, so the schema
 * check can stay strict about every other key.
 */
export function stockLogsJson(records: ReadableLogRecord[]): unknown {
  const bytes = JsonLogsSerializer.serializeRequest(records);
  if (bytes === undefined) throw new Error('stock JSON serializer returned nothing');
  const request = JSON.parse(new TextDecoder().decode(bytes)) as StockJsonRequest;
  for (const resourceLogs of request.resourceLogs ?? []) delete resourceLogs.resource?.schemaUrl;
  return request;
}
