/**
 * The stock OTel JS path, as the reference our encoders are held to: a `MetricBatch` rebuilt
 * as SDK `ResourceMetrics` and serialised by otlp-transformer. The stock serialisers take one
 * `ResourceMetrics` per call, so a many-resource request is assembled from per-resource parts.
 */
import type { Attributes, HrTime } from '@opentelemetry/api';
import { ValueType } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { MetricData as SdkMetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { isHistogramData } from '../../src/otlp/encode/encodable';
import type { MetricAttributes, MetricBatch, MetricData } from '../../src/otlp/metric-batch';

/**
 * Epoch ms as `[seconds, nanos]`, exact for integer ms (through BigInt) and rounded to the
 * nanosecond otherwise. Undefined becomes the zero time the SDK uses for "no start".
 */
export function hrTimeFromMs(ms: number | undefined): HrTime {
  if (ms === undefined) return [0, 0];
  // Whole ms need no BigInt; the bench converts 170,000 of them.
  if (Number.isInteger(ms)) return [(ms - (ms % 1000)) / 1000, (ms % 1000) * 1_000_000];
  const whole = Math.floor(ms);
  const nanos = BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
  return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
}

function attributesOf(attributes: MetricAttributes | undefined): Attributes {
  return { ...(attributes ?? {}) };
}

function toSdkMetric(metric: MetricData): SdkMetricData {
  const d = metric.descriptor;
  const descriptor = {
    name: d.name,
    description: d.description,
    unit: d.unit,
    valueType: d.integer === true ? ValueType.INT : ValueType.DOUBLE,
  };
  const aggregationTemporality = AggregationTemporality.CUMULATIVE;
  if (isHistogramData(metric)) {
    return {
      descriptor,
      aggregationTemporality,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: metric.points.map((p) => ({
        startTime: hrTimeFromMs(p.startTimeMs),
        endTime: hrTimeFromMs(p.timeMs),
        attributes: attributesOf(p.attributes),
        value: {
          buckets: { boundaries: [...p.explicitBounds], counts: [...p.bucketCounts] },
          count: p.count,
          sum: p.sum,
          ...(p.min === undefined ? {} : { min: p.min }),
          ...(p.max === undefined ? {} : { max: p.max }),
        },
      })),
    };
  }
  const dataPoints = metric.points.map((p) => ({
    startTime: hrTimeFromMs(p.startTimeMs),
    endTime: hrTimeFromMs(p.timeMs),
    attributes: attributesOf(p.attributes),
    value: d.integer === true ? Math.trunc(p.value) : p.value,
  }));
  if (d.kind === 'gauge') {
    return { descriptor, aggregationTemporality, dataPointType: DataPointType.GAUGE, dataPoints };
  }
  return {
    descriptor,
    aggregationTemporality,
    dataPointType: DataPointType.SUM,
    isMonotonic: d.monotonic === true,
    dataPoints,
  };
}

/** The batch as the SDK would hand it to an exporter: one `ResourceMetrics` per resource. */
export function toSdkResourceMetrics(batch: MetricBatch): ResourceMetrics[] {
  return [...batch.resources].map((resource) => ({
    resource: resourceFromAttributes(attributesOf(resource.attributes)),
    scopeMetrics: [{ scope: { ...resource.scope }, metrics: resource.metrics.map(toSdkMetric) }],
  }));
}

/**
 * Stock protobuf for the whole batch. Concatenated requests are one valid request whose
 * repeated `resource_metrics` holds every part, by protobuf's merge rule.
 */
export function stockProtobuf(resourceMetrics: readonly ResourceMetrics[]): Uint8Array {
  const parts = resourceMetrics.map((rm) => {
    const bytes = ProtobufMetricsSerializer.serializeRequest(rm);
    if (bytes === undefined) throw new Error('stock protobuf serializer returned nothing');
    return bytes;
  });
  return Buffer.concat(parts);
}

/** Stock OTLP/JSON for the whole batch, parsed, with every part's `resourceMetrics` joined. */
export function stockJson(resourceMetrics: readonly ResourceMetrics[]): {
  resourceMetrics: unknown[];
} {
  const decoder = new TextDecoder();
  const joined: unknown[] = [];
  for (const rm of resourceMetrics) {
    const bytes = JsonMetricsSerializer.serializeRequest(rm);
    if (bytes === undefined) throw new Error('stock JSON serializer returned nothing');
    const body = JSON.parse(decoder.decode(bytes)) as { resourceMetrics: unknown[] };
    joined.push(...body.resourceMetrics);
  }
  return { resourceMetrics: joined };
}
