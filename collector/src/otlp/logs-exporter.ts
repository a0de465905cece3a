/**
 * An OTLP/HTTP log record exporter: a drop-in for the stock `OTLPLogExporter` with the
 * collector's encoders in place of otlp-transformer's, and each export cut into requests of
 * bounded size between resources. Transport, retries, gzip and the
 * `OTEL_EXPORTER_OTLP_[LOGS_]{ENDPOINT,HEADERS,TIMEOUT,COMPRESSION}` variables are the OTel JS
 * machinery's (see `request-transport.ts`).
 */
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import type { IExportLogsServiceResponse } from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { OtlpProtocol } from '../config/options';
import {
  LOGS_JSON_FRAMING,
  LOGS_PROTOBUF_FRAMING,
  decodeLogsResponseProtobuf,
  groupLogRecords,
  parseLogsResponseJson,
} from './encode';
import type { RequestFraming, ResourceLogGroup } from './encode';
import { ExportCounters } from './export-counters';
import { ExportHealth, SILENT_EXPORT_LOGGER } from './export-health';
import { resolveExportOptions } from './export-options';
import type { RequestExportOptions } from './export-options';
import { sendRequests } from './request-sender';
import type { ExportReport } from './request-sender';
import { RequestTransport } from './request-transport';
import type { TransportSignal } from './request-transport';

/** The OTLP/HTTP encodings the log exporter can send. */
export type LogsHttpProtocol = OtlpProtocol;

const LOGS_SIGNAL: TransportSignal<IExportLogsServiceResponse> = {
  name: 'LOGS',
  path: 'v1/logs',
  component: 'quasar_collector_log_exporter',
  item: 'log',
  readResponse: {
    'http/protobuf': decodeLogsResponseProtobuf,
    'http/json': parseLogsResponseJson,
  },
};

/** A generous encoded size of one record, to size the buffers of small exports. */
const RECORD_BYTES_GUESS = 1280;

/**
 * Exports log records as bounded requests. The export succeeds only when every request did:
 * the slow-log consumer then keeps the whole batch pending and sends it again, so records are
 * delivered at least once (those of the requests that got through, possibly twice).
 */
export class LogRecordsExporter implements LogRecordExporter {
  /** Requests by outcome, sizes and losses since start, for `/metrics`. */
  readonly counters = new ExportCounters();
  private readonly transport: RequestTransport<IExportLogsServiceResponse>;
  private readonly options: ReturnType<typeof resolveExportOptions>;
  private readonly health: ExportHealth;
  private readonly framing: RequestFraming<ResourceLogGroup>;

  /**
   * @param protocol - the encoding; it also sets the `Content-Type` header.
   * @param config - as for the stock exporter; unset fields come from the environment.
   */
  constructor(
    readonly protocol: LogsHttpProtocol,
    config: OTLPExporterNodeConfigBase = {},
    options: RequestExportOptions = {},
  ) {
    this.options = resolveExportOptions(options);
    this.framing = protocol === 'http/json' ? LOGS_JSON_FRAMING : LOGS_PROTOBUF_FRAMING;
    this.transport = new RequestTransport(protocol, LOGS_SIGNAL, config);
    this.health = new ExportHealth(options.logger ?? SILENT_EXPORT_LOGGER, 'logs', 'records');
  }

  export(records: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this.exportRecords(records).then(
      (report) =>
        resultCallback(
          report.ok
            ? { code: ExportResultCode.SUCCESS }
            : {
                code: ExportResultCode.FAILED,
                error: new Error(
                  `${report.lostItems} of ${report.items} log records not delivered: ${report.firstFailure?.error ?? 'export failed'}`,
                ),
              },
        ),
      (error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
  }

  /** Sends the records in bounded requests; resolves with the report. */
  async exportRecords(records: readonly ReadableLogRecord[]): Promise<ExportReport> {
    const report = await sendRequests({
      framing: this.framing,
      items: groupLogRecords(records),
      maxBytes: this.options.maxRequestBytes,
      concurrency: this.options.concurrency,
      send: (request) => this.transport.sendRequest(request),
      sizeHint: records.length * RECORD_BYTES_GUESS,
      counters: this.counters,
      onHalve: (event) => this.health.halved(event),
    });
    this.health.exported(report);
    return report;
  }

  forceFlush(): Promise<void> {
    return this.transport.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.transport.shutdown();
  }
}
