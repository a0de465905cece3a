/**
 * An OTLP/HTTP log record exporter: the stock `OTLPLogExporter` with the collector's encoders
 * in place of otlp-transformer's. Everything else is the OTel JS machinery: transport, retries
 * on 429/502/503/504 and network errors within the timeout, gzip, concurrency limit, and the
 * `OTEL_EXPORTER_OTLP_[LOGS_]{ENDPOINT,HEADERS,TIMEOUT,COMPRESSION}` environment variables.
 */
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import type { OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import { LogsExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { createLogRecordsSerializer } from './logs-serializer';
import type { LogsHttpProtocol } from './logs-serializer';

const CONTENT_TYPES: Record<LogsHttpProtocol, string> = {
  'http/protobuf': 'application/x-protobuf',
  'http/json': 'application/json',
};

/**
 * A drop-in for `OTLPLogExporter` (`exporter-logs-otlp-proto` or `-http`), configured the
 * same way. Each export gets a buffer of its own: SDK processors may run exports side by side,
 * and a retried request must keep its bytes, so the request buffer is never reused.
 */
export class LogRecordsExporter
  extends OTLPExporterBase<ReadableLogRecord[]>
  implements LogRecordExporter
{
  /**
   * @param protocol - the encoding; it also sets the `Content-Type` header.
   * @param config - as for the stock exporter; unset fields come from the environment.
   */
  constructor(
    readonly protocol: LogsHttpProtocol,
    config: OTLPExporterNodeConfigBase = {},
  ) {
    super(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions(config, 'LOGS', 'v1/logs', {
          'Content-Type': CONTENT_TYPES[protocol],
        }),
        createLogRecordsSerializer(protocol),
        'quasar_collector_log_exporter',
        LogsExporterMetricsHelper,
        undefined,
      ),
    );
  }
}
