/**
 * Plugs the hand-written encoders into the OTel exporter machinery: the objects below satisfy
 * otlp-transformer's `ISerializer`, so `createOtlpHttpExportDelegate` keeps its retries,
 * headers, compression and environment handling while sending our bytes.
 */
import type { IExportMetricsServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';

import {
  decodeMetricsResponseProtobuf,
  encodeMetricsJson,
  encodeMetricsProtobuf,
  parseMetricsResponseJson,
} from './encode';
import type { ScratchBuffer } from './encode/scratch-buffer';
import type { MetricBatch } from './metric-batch';

/** The OTLP/HTTP encodings the collector can send. */
export type MetricsHttpProtocol = 'http/protobuf' | 'http/json';

/** Serializer of one batch per request, and reader of the collector's answer. */
export type MetricBatchSerializer = ISerializer<MetricBatch, IExportMetricsServiceResponse>;

/**
 * The serializer for an OTLP/HTTP protocol. `deserializeResponse` throws on a malformed body;
 * the export delegate logs that and still counts the export as done, as it does for the stock
 * serializers.
 *
 * With `reuseBuffer`, each request is written over the previous one's buffer: the caller
 * promises never to serialize again before the previous request was sent (see
 * `MetricBatchExporter`, which sends one batch at a time).
 */
export function createMetricBatchSerializer(
  protocol: MetricsHttpProtocol,
  options: { reuseBuffer?: boolean } = {},
): MetricBatchSerializer {
  const scratch: ScratchBuffer | undefined = options.reuseBuffer
    ? { buffer: undefined }
    : undefined;
  return protocol === 'http/json'
    ? {
        serializeRequest: (batch) => encodeMetricsJson(batch, scratch),
        deserializeResponse: parseMetricsResponseJson,
      }
    : {
        serializeRequest: (batch) => encodeMetricsProtobuf(batch, scratch),
        deserializeResponse: decodeMetricsResponseProtobuf,
      };
}
