import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { encodeLogsJson, encodeLogsProtobuf } from '../../src/otlp/encode';
import { LogRecordsExporter } from '../../src/otlp/logs-exporter';
import { createLogRecordsSerializer } from '../../src/otlp/logs-serializer';
import { startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver } from '../../../testing/otlp-receiver';
import {
  fleetLogRecords,
  realisticLogRecords,
  stockLogsProtobuf,
} from '../support/otlp-logs-fixtures';
import { OTLP_LOGS_SCHEMA } from '../support/otlp-schema';
import { decodeProtobuf } from '../support/protobuf-decode';

const REQUEST = 'ExportLogsServiceRequest';

describe('createLogRecordsSerializer', () => {
  it('serializes records with the protobuf encoder for http/protobuf', () => {
    const records = realisticLogRecords();
    const serializer = createLogRecordsSerializer('http/protobuf');
    expect(serializer.serializeRequest(records)).toEqual(encodeLogsProtobuf(records));
  });

  it('serializes records with the JSON encoder for http/json', () => {
    const records = realisticLogRecords();
    const serializer = createLogRecordsSerializer('http/json');
    expect(serializer.serializeRequest(records)).toEqual(encodeLogsJson(records));
  });

  it('reads each protocol’s response body, an empty one meaning full success', () => {
    const protobuf = createLogRecordsSerializer('http/protobuf');
    const json = createLogRecordsSerializer('http/json');
    expect(protobuf.deserializeResponse(new Uint8Array(0))).toEqual({});
    expect(json.deserializeResponse(new Uint8Array(0))).toEqual({});
    // partial_success { rejected_log_records: 1 }
    expect(protobuf.deserializeResponse(Uint8Array.from([0x0a, 0x02, 0x08, 0x01]))).toEqual({
      partialSuccess: { rejectedLogRecords: 1 },
    });
    const body = Buffer.from('{"partialSuccess":{"rejectedLogRecords":"1"}}');
    expect(json.deserializeResponse(body)).toEqual({ partialSuccess: { rejectedLogRecords: 1 } });
  });

  it('writes each request over the previous one’s buffer with reuseBuffer', () => {
    for (const protocol of ['http/protobuf', 'http/json'] as const) {
      const serializer = createLogRecordsSerializer(protocol, { reuseBuffer: true });
      const fresh = createLogRecordsSerializer(protocol);
      const first = fleetLogRecords(200, 20);
      const second = fleetLogRecords(200, 40);
      const a = serializer.serializeRequest(first) as Uint8Array;
      const expected = fresh.serializeRequest(second) as Uint8Array;
      const b = serializer.serializeRequest(second) as Uint8Array;
      expect(b.buffer).toBe(a.buffer);
      expect(Buffer.from(b).equals(Buffer.from(expected))).toBe(true);
      expect(fresh.serializeRequest(first)?.buffer).not.toBe(expected.buffer);
    }
  });
});

function exportOnce(
  exporter: LogRecordsExporter,
  records: ReadableLogRecord[],
): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(records, resolve));
}

describe('LogRecordsExporter', () => {
  let receiver: OtlpReceiver;
  const exporters: LogRecordsExporter[] = [];

  function exporterFor(...args: ConstructorParameters<typeof LogRecordsExporter>) {
    const exporter = new LogRecordsExporter(...args);
    exporters.push(exporter);
    return exporter;
  }

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });

  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((exporter) => exporter.shutdown()));
    await receiver.close();
  });

  it('delivers records as OTLP/JSON that a receiver reads back, node by node', async () => {
    const records = realisticLogRecords();
    const exporter = exporterFor('http/json', { url: receiver.logsUrl });
    expect(await exportOnce(exporter, records)).toEqual({ code: ExportResultCode.SUCCESS });
    expect(receiver.requests[0]?.contentType).toBe('application/json');
    const received = receiver.logRecords();
    expect(received).toHaveLength(records.length);
    expect(received.map((r) => r.resource['service.instance.id'])).toEqual([
      'web-1',
      'web-1',
      'web-1',
      'worker-1',
      'worker-1',
      'worker-1',
      'web-2',
      'web-2',
    ]);
    expect(received[0]?.scope).toBe('@gravito/quasar-collector');
    expect(received[0]?.resource).toMatchObject({ 'process.pid': 4000, 'host.name': 'host-0' });
    expect(received[0]?.record).toMatchObject({
      timeUnixNano: '1700000000000000000',
      severityNumber: 13,
      severityText: 'WARN',
      body: { stringValue: 'Slow request GET /orders/:id took 1834 ms (threshold 1000 ms)' },
    });
  });

  it('sends the stock exporter’s protobuf request, decoded field by field', async () => {
    const records = realisticLogRecords();
    const exporter = exporterFor('http/protobuf', { url: receiver.logsUrl });
    expect(await exportOnce(exporter, records)).toEqual({ code: ExportResultCode.SUCCESS });
    const request = receiver.requests[0];
    expect(request?.contentType).toBe('application/x-protobuf');
    const options = { schema: OTLP_LOGS_SCHEMA };
    expect(decodeProtobuf(request?.body ?? new Uint8Array(), REQUEST, options)).toEqual(
      decodeProtobuf(stockLogsProtobuf(records), REQUEST, options),
    );
  });

  it('retries through an outage and delivers the records once', async () => {
    const records = realisticLogRecords();
    const exporter = exporterFor('http/json', { url: receiver.logsUrl, timeoutMillis: 20_000 });
    receiver.failWith(503);
    const result = exportOnce(exporter, records);
    await receiver.waitFor((r) => r.rejected.length >= 1);
    expect(receiver.requests).toHaveLength(0);
    receiver.recover();
    expect(await result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(receiver.logRecords()).toHaveLength(records.length);
    expect(receiver.rejected.length).toBeGreaterThanOrEqual(1);
  });

  it('reports a failure when the receiver refuses for good', async () => {
    const exporter = exporterFor('http/json', { url: receiver.logsUrl });
    receiver.failWith(400);
    const result = await exportOnce(exporter, realisticLogRecords());
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(receiver.rejected).toHaveLength(1);
  });

  it('takes its endpoint from OTEL_EXPORTER_OTLP_LOGS_ENDPOINT like the stock exporter', async () => {
    const saved = process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT = receiver.logsUrl;
    let exporter: LogRecordsExporter;
    try {
      exporter = exporterFor('http/json');
    } finally {
      if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT = saved;
    }
    expect(await exportOnce(exporter, realisticLogRecords())).toEqual({
      code: ExportResultCode.SUCCESS,
    });
    expect(receiver.logRecords()).toHaveLength(realisticLogRecords().length);
  });
});
