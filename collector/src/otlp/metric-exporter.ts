/**
 * Sends a `MetricBatch` (one cycle) as OTLP/HTTP requests of bounded size, through the OTel JS
 * exporter machinery (see `request-transport.ts`). Only serialisation is ours: a lean encoder
 * for the bridge's fixed metric shapes, cut into requests between resources.
 */
import type { OtlpProtocol } from '../config/options';
import type { OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import type { IExportMetricsServiceResponse } from '@opentelemetry/otlp-transformer';
import {
  METRICS_JSON_FRAMING,
  METRICS_PROTOBUF_FRAMING,
  decodeMetricsResponseProtobuf,
  parseMetricsResponseJson,
} from './encode';
import type { RequestFraming } from './encode';
import { ExportCounters } from './export-counters';
import { ExportHealth, SILENT_EXPORT_LOGGER } from './export-health';
import { resolveExportOptions } from './export-options';
import type { RequestExportOptions } from './export-options';
import type { MetricBatch, ResourceBlock } from './metric-batch';
import { BufferPool } from './request-split';
import { sendRequests } from './request-sender';
import type { ExportReport } from './request-sender';
import { RequestTransport } from './request-transport';
import type { TransportSignal } from './request-transport';

const METRICS_SIGNAL: TransportSignal<IExportMetricsServiceResponse> = {
  name: 'METRICS',
  path: 'v1/metrics',
  component: 'quasar_collector_metric_exporter',
  item: 'metric_data_point',
  readResponse: {
    'http/protobuf': decodeMetricsResponseProtobuf,
    'http/json': parseMetricsResponseJson,
  },
};

/**
 * Exports `MetricBatch`es one at a time: a `send` waits for the previous one, so a slow
 * receiver never stacks cycles up. Within one, requests go out `concurrency` at a time.
 */
export class MetricBatchExporter {
  /** Requests by outcome, sizes and losses since start, for `/metrics`. */
  readonly counters = new ExportCounters();
  private readonly transport: RequestTransport<IExportMetricsServiceResponse>;
  private readonly options: ReturnType<typeof resolveExportOptions>;
  private readonly pool: BufferPool;
  private readonly health: ExportHealth;
  private readonly framing: RequestFraming<ResourceBlock>;
  private previous: Promise<unknown> = Promise.resolve();

  /**
   * @param protocol - the encoding; it also sets the `Content-Type` header.
   * @param config - as for the stock exporter; unset fields come from the environment.
   */
  constructor(
    readonly protocol: OtlpProtocol,
    config: OTLPExporterNodeConfigBase = {},
    options: RequestExportOptions = {},
  ) {
    this.options = resolveExportOptions(options);
    this.framing = protocol === 'http/json' ? METRICS_JSON_FRAMING : METRICS_PROTOBUF_FRAMING;
    this.transport = new RequestTransport(protocol, METRICS_SIGNAL, config);
    this.pool = new BufferPool(this.options.concurrency);
    this.health = new ExportHealth(options.logger ?? SILENT_EXPORT_LOGGER, 'metrics', 'points');
  }

  /** The request size limit, bytes. */
  get maxRequestBytes(): number {
    return this.options.maxRequestBytes;
  }

  /** Exports one batch after the previous one; resolves with its report, never rejects. */
  send(batch: MetricBatch): Promise<ExportReport> {
    const next = this.previous.then(() => this.exportBatch(batch));
    this.previous = next.catch(() => undefined);
    return next;
  }

  private async exportBatch(batch: MetricBatch): Promise<ExportReport> {
    const report = await sendRequests({
      framing: this.framing,
      items: batch.resources,
      maxBytes: this.options.maxRequestBytes,
      concurrency: this.options.concurrency,
      send: (request) => this.transport.sendRequest(request),
      pool: this.pool,
      counters: this.counters,
      onHalve: (event) => this.health.halved(event),
    });
    this.health.exported(report);
    return report;
  }

  forceFlush(): Promise<void> {
    return this.transport.forceFlush();
  }

  /** Waits for the export in flight, then closes the transport. */
  async shutdown(): Promise<void> {
    await this.previous;
    await this.transport.shutdown();
  }
}
