/**
 * The OTLP/HTTP logs exporter for the chosen encoding: the stock OTel JS exporters, which read
 * `OTEL_EXPORTER_OTLP_[LOGS_]{ENDPOINT,HEADERS,TIMEOUT,COMPRESSION}` and retry on their own.
 */
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { OtlpProtocol } from '../config/options';

export function createLogExporter(protocol: OtlpProtocol): LogRecordExporter {
  return protocol === 'http/json' ? new JsonLogExporter() : new ProtobufLogExporter();
}

/** Exports records; resolves with the result, never rejects. */
export function exportLogs(
  exporter: LogRecordExporter,
  records: ReadableLogRecord[],
): Promise<ExportResult> {
  return new Promise((resolve) => {
    try {
      exporter.export(records, resolve);
    } catch (error) {
      resolve({ code: 1, error: error as Error });
    }
  });
}
