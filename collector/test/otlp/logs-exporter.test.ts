import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { LogRecordsExporter } from '../../src/otlp/logs-exporter';
import { startOtlpReceiver } from '../../../testing/otlp-receiver';
import type { OtlpReceiver } from '../../../testing/otlp-receiver';
import {
  fleetLogRecords,
  realisticLogRecords,
  stockLogsProtobuf,
} from '../support/otlp-logs-fixtures';
import { groupLogRecords } from '../../src/otlp/encode';
import { OTLP_LOGS_SCHEMA } from '../support/otlp-schema';
import { decodeProtobuf } from '../support/protobuf-decode';

const REQUEST = 'ExportLogsServiceRequest';

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

  it('cuts a large export into requests under the limit, every record delivered once', async () => {
    const records = fleetLogRecords(2000, 200);
    const exporter = exporterFor(
      'http/json',
      { url: receiver.logsUrl },
      { maxRequestBytes: 64 * 1024 },
    );
    expect(await exportOnce(exporter, records)).toEqual({ code: ExportResultCode.SUCCESS });
    const requests = receiver.requests.filter((r) => r.signal === 'logs');
    expect(requests.length).toBeGreaterThanOrEqual(20);
    for (const request of requests) expect(request.body.length).toBeLessThanOrEqual(64 * 1024);
    expect(receiver.logRecords()).toHaveLength(records.length);
    // A node's records sit in one request: resources never repeat across requests.
    const perRequest = requests.map(
      (r) => (r.json as { resourceLogs: unknown[] }).resourceLogs.length,
    );
    expect(perRequest.reduce((a, b) => a + b, 0)).toBe(groupLogRecords(records).size);
    expect(exporter.counters.snapshot().requests.success).toBe(requests.length);
  });
});
