/**
 * Field keys (number and wire type) of the OTLP messages the collector writes, checked
 * against opentelemetry-proto v1.x (`collector/metrics/v1/metrics_service.proto`,
 * `metrics/v1/metrics.proto`, `common/v1/common.proto`, `resource/v1/resource.proto`).
 * Every number below is below 16, so each key is a single byte.
 */
import { WIRE_I64, WIRE_LEN, WIRE_VARINT, fieldTag } from './protobuf-writer';

/** `ExportMetricsServiceRequest` and its children, by message. */
export const OTLP_METRICS = {
  ExportMetricsServiceRequest: {
    resourceMetrics: fieldTag(1, WIRE_LEN),
  },
  ResourceMetrics: {
    resource: fieldTag(1, WIRE_LEN),
    scopeMetrics: fieldTag(2, WIRE_LEN),
  },
  Resource: {
    attributes: fieldTag(1, WIRE_LEN),
  },
  ScopeMetrics: {
    scope: fieldTag(1, WIRE_LEN),
    metrics: fieldTag(2, WIRE_LEN),
  },
  InstrumentationScope: {
    name: fieldTag(1, WIRE_LEN),
    version: fieldTag(2, WIRE_LEN),
  },
  Metric: {
    name: fieldTag(1, WIRE_LEN),
    description: fieldTag(2, WIRE_LEN),
    unit: fieldTag(3, WIRE_LEN),
    gauge: fieldTag(5, WIRE_LEN),
    sum: fieldTag(7, WIRE_LEN),
    histogram: fieldTag(9, WIRE_LEN),
  },
  /** Shared by `Gauge`, `Sum` and `Histogram`, which number their fields alike. */
  Data: {
    dataPoints: fieldTag(1, WIRE_LEN),
    aggregationTemporality: fieldTag(2, WIRE_VARINT),
    /** `Sum` only. */
    isMonotonic: fieldTag(3, WIRE_VARINT),
  },
  NumberDataPoint: {
    startTimeUnixNano: fieldTag(2, WIRE_I64),
    timeUnixNano: fieldTag(3, WIRE_I64),
    asDouble: fieldTag(4, WIRE_I64),
    /** sfixed64, not a varint. */
    asInt: fieldTag(6, WIRE_I64),
    attributes: fieldTag(7, WIRE_LEN),
  },
  HistogramDataPoint: {
    startTimeUnixNano: fieldTag(2, WIRE_I64),
    timeUnixNano: fieldTag(3, WIRE_I64),
    count: fieldTag(4, WIRE_I64),
    sum: fieldTag(5, WIRE_I64),
    /** Packed fixed64. */
    bucketCounts: fieldTag(6, WIRE_LEN),
    /** Packed double. */
    explicitBounds: fieldTag(7, WIRE_LEN),
    attributes: fieldTag(9, WIRE_LEN),
    min: fieldTag(11, WIRE_I64),
    max: fieldTag(12, WIRE_I64),
  },
  KeyValue: {
    key: fieldTag(1, WIRE_LEN),
    value: fieldTag(2, WIRE_LEN),
  },
  AnyValue: {
    stringValue: fieldTag(1, WIRE_LEN),
    boolValue: fieldTag(2, WIRE_VARINT),
    /** int64 varint: negative values take ten bytes. */
    intValue: fieldTag(3, WIRE_VARINT),
    doubleValue: fieldTag(4, WIRE_I64),
  },
} as const;

/** `AggregationTemporality` value for cumulative sums and histograms (the only kind emitted). */
export const AGGREGATION_TEMPORALITY_CUMULATIVE = 2;
