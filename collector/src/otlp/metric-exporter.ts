/**
 * Sends a `MetricBatch` through the OTel JS exporter machinery (`otlp-exporter-base`): its
 * HTTP transport, retries on 429/502/503/504 and network errors within the timeout, gzip, and
 * the standard `OTEL_EXPORTER_OTLP_[METRICS_]{ENDPOINT,HEADERS,TIMEOUT,COMPRESSION}` handling.
 * Only serialisation is ours: a lean encoder for the bridge's fixed metric shapes.
 */
import type { ExportResult } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import type { OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import type { OtlpProtocol } from '../config/options';
import { countPoints } from './metric-batch';
import type { MetricBatch } from './metric-batch';
import { createMetricBatchSerializer } from './metrics-serializer';

const CONTENT_TYPES: Record<OtlpProtocol, string> = {
  'http/protobuf': 'application/x-protobuf',
  'http/json': 'application/json',
};

/**
 * Exports `MetricBatch`es one at a time: a `send` waits for the previous one (retries
 * included), which bounds memory to one request and lets the request buffer be reused.
 */
export class MetricBatchExporter extends OTLPExporterBase<MetricBatch> {
  private previous: Promise<unknown> = Promise.resolve();

  constructor(
    readonly protocol: OtlpProtocol,
    config: OTLPExporterNodeConfigBase = {},
  ) {
    super(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions(config, 'METRICS', 'v1/metrics', {
          'Content-Type': CONTENT_TYPES[protocol],
        }),
        createMetricBatchSerializer(protocol, { reuseBuffer: true }),
        'quasar_collector_metric_exporter',
        { name: 'metric_data_point', countItems: countPoints },
        undefined,
      ),
    );
  }

  /** Exports one batch after the previous one; resolves with the result, never rejects. */
  send(batch: MetricBatch): Promise<ExportResult> {
    const next = this.previous.then(
      () =>
        new Promise<ExportResult>((resolve) => {
          try {
            this.export(batch, resolve);
          } catch (error) {
            resolve({ code: 1, error: error as Error });
          }
        }),
    );
    this.previous = next;
    return next;
  }
}
