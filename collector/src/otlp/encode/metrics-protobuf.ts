/**
 * Encodes a {@link MetricBatch} straight to an OTLP `ExportMetricsServiceRequest` in protobuf,
 * without building the SDK's object graph. Bytes that repeat on every resource (metric
 * headers, scopes, attribute keys) are encoded once and copied.
 */
import { pointsIn } from '../metric-batch';
import type {
  HistogramPoint,
  MetricAttributes,
  MetricBatch,
  NumberPoint,
  ResourceBlock,
} from '../metric-batch';
import {
  isEncodableAttribute,
  isEncodableHistogramPoint,
  isEncodableNumberPoint,
  isHistogramData,
  isInt64,
} from './encodable';
import { OTLP_METRICS } from './otlp-fields';
import { descriptorBytes, keyBytes, scopeBytes } from './protobuf-cache';
import { estimateProtobufSize } from './protobuf-size';
import { ProtobufWriter } from './protobuf-writer';
import { recordTemplate, writeFromTemplate } from './resource-templates';
import type { SlotRecorder } from './resource-templates';
import type { ScratchBuffer } from './scratch-buffer';
import type { RequestFraming } from './request-framing';

const {
  ExportMetricsServiceRequest,
  ResourceMetrics,
  Resource,
  ScopeMetrics,
  Data,
  NumberDataPoint,
  HistogramDataPoint,
  KeyValue,
  AnyValue,
} = OTLP_METRICS;

// Typical body sizes, used only to guess how many bytes each length prefix needs; see
// `ProtobufWriter.begin`. A wrong guess costs a move of that one body.
const ATTRIBUTE_GUESS = 64;
const POINT_GUESS = 40;
const METRIC_GUESS = 150;
const RESOURCE_GUESS = 256;

/** Writes each attribute as a `KeyValue` under the given repeated field. */
function writeAttributes(writer: ProtobufWriter, attributes: MetricAttributes, tag: number): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (!isEncodableAttribute(value)) continue;
    writer.byte(tag);
    const keyValue = writer.begin(ATTRIBUTE_GUESS);
    writer.raw(keyBytes(key));
    writer.byte(KeyValue.value);
    const anyValue = writer.begin(ATTRIBUTE_GUESS);
    if (typeof value === 'string') {
      writer.byte(AnyValue.stringValue);
      writer.string(value);
    } else if (typeof value === 'boolean') {
      writer.byte(AnyValue.boolValue);
      writer.byte(value ? 1 : 0);
    } else if (isInt64(value)) {
      writer.byte(AnyValue.intValue);
      writer.int64(value);
    } else {
      writer.byte(AnyValue.doubleValue);
      writer.double(value);
    }
    writer.end(anyValue);
    writer.end(keyValue);
  }
}

/**
 * Attribute sets are immutable and shared (a node's resource across cycles, a point's constant
 * state attributes across nodes), so their encoding is kept by identity. Attribute objects
 * handed to the encoder must therefore never be mutated afterwards.
 */
const attributeCache = new WeakMap<MetricAttributes, { tag: number; bytes: Uint8Array }>();

function writeCachedAttributes(
  writer: ProtobufWriter,
  attributes: MetricAttributes,
  tag: number,
): void {
  const cached = attributeCache.get(attributes);
  if (cached !== undefined && cached.tag === tag) {
    writer.raw(cached.bytes);
    return;
  }
  const scratch = new ProtobufWriter(256);
  writeAttributes(scratch, attributes, tag);
  const bytes = scratch.toBytes();
  // One tag per set in practice: a set is either a resource's or a point's.
  attributeCache.set(attributes, { tag, bytes });
  writer.raw(bytes);
}

/** A time field, left out at zero: canonical proto3 never writes a default. */
function writeTime(writer: ProtobufWriter, tag: number, ms: number): void {
  if (Math.round(ms * 1e6) === 0) return;
  writer.byte(tag);
  writer.unixNanosFromMs(ms);
}

function writeNumberPoint(
  writer: ProtobufWriter,
  point: NumberPoint,
  integer: boolean,
  timeMs: number,
  startTimeMs: number | undefined,
  recorder: SlotRecorder | undefined,
): void {
  writer.byte(Data.dataPoints);
  const body = writer.begin(POINT_GUESS);
  // Each field key is one byte, so a value starts one byte after its key.
  const start = startTimeMs !== undefined ? writer.pos + 1 : -1;
  if (startTimeMs !== undefined) {
    writeTime(writer, NumberDataPoint.startTimeUnixNano, startTimeMs);
  }
  const time = writer.pos + 1;
  writeTime(writer, NumberDataPoint.timeUnixNano, timeMs);
  const value = writer.pos + 1;
  if (integer) {
    writer.byte(NumberDataPoint.asInt);
    writer.sfixed64(Math.trunc(point.value));
  } else {
    writer.byte(NumberDataPoint.asDouble);
    writer.double(point.value);
  }
  recorder?.point(time, start, value);
  if (point.attributes !== undefined) {
    writeCachedAttributes(writer, point.attributes, NumberDataPoint.attributes);
  }
  writer.end(body);
}

function writeHistogramPoint(writer: ProtobufWriter, point: HistogramPoint): void {
  writer.byte(Data.dataPoints);
  const body = writer.begin(POINT_GUESS + point.bucketCounts.length * 16);
  writeTime(writer, HistogramDataPoint.startTimeUnixNano, point.startTimeMs);
  writeTime(writer, HistogramDataPoint.timeUnixNano, point.timeMs);
  if (point.count !== 0) {
    writer.byte(HistogramDataPoint.count);
    writer.fixed64(point.count);
  }
  // sum is `optional`: written even at zero, which tells "no observations" from "no sum".
  writer.byte(HistogramDataPoint.sum);
  writer.double(point.sum);
  // bucket_counts always has at least one entry (see isEncodableHistogramPoint).
  writer.byte(HistogramDataPoint.bucketCounts);
  writer.varint(point.bucketCounts.length * 8);
  for (const count of point.bucketCounts) writer.fixed64(count);
  if (point.explicitBounds.length > 0) {
    writer.byte(HistogramDataPoint.explicitBounds);
    writer.varint(point.explicitBounds.length * 8);
    for (const bound of point.explicitBounds) writer.double(bound);
  }
  if (point.attributes !== undefined) {
    writeAttributes(writer, point.attributes, HistogramDataPoint.attributes);
  }
  if (point.min !== undefined) {
    writer.byte(HistogramDataPoint.min);
    writer.double(point.min);
  }
  if (point.max !== undefined) {
    writer.byte(HistogramDataPoint.max);
    writer.double(point.max);
  }
  writer.end(body);
}

/**
 * Encodes a batch as a protobuf `ExportMetricsServiceRequest`: one `ResourceMetrics` per
 * resource, each with one `ScopeMetrics`. Sums and histograms are cumulative. Points with
 * non-finite numbers and attributes with non-finite values are left out (see `encodable.ts`).
 *
 * @returns a view on a buffer owned by the caller from now on.
 */
export function encodeMetricsProtobuf(batch: MetricBatch, scratch?: ScratchBuffer): Uint8Array {
  const writer = new ProtobufWriter(estimateProtobufSize(batch), scratch?.buffer);
  for (const resource of batch.resources) writeResourceMetrics(writer, resource);
  if (scratch) scratch.buffer = writer.buffer;
  return writer.finish();
}

/**
 * One `resource_metrics` field, from the resource's template when its shape allows.
 * @returns its data points, encodable or not (what a lost request loses).
 */
function writeResourceMetrics(writer: ProtobufWriter, resource: ResourceBlock): number {
  const patched = writeFromTemplate(writer, resource);
  if (patched >= 0) return patched;
  recordTemplate(writer, resource, (recorder) => writeResource(writer, resource, recorder));
  return resourcePoints(resource);
}

/** Data points of a resource, encodable or not (what a lost request loses). */
export const resourcePoints = pointsIn;

const NONE = new Uint8Array(0);

/**
 * Protobuf metrics requests: a request is the concatenation of its `resource_metrics` fields,
 * so any run of resources encoded here is a valid `ExportMetricsServiceRequest`, byte for byte
 * the one `encodeMetricsProtobuf` writes for those resources.
 */
export const METRICS_PROTOBUF_FRAMING: RequestFraming<ResourceBlock, ProtobufWriter> = {
  open: NONE,
  separator: NONE,
  close: NONE,
  createWriter: (capacity, reuse) => new ProtobufWriter(capacity, reuse),
  write: writeResourceMetrics,
};

/** One `resource_metrics` field: the resource, its scope and every metric. */
function writeResource(
  writer: ProtobufWriter,
  resource: ResourceBlock,
  recorder: SlotRecorder | undefined,
): void {
  writer.byte(ExportMetricsServiceRequest.resourceMetrics);
  const resourceMetrics = writer.begin(RESOURCE_GUESS + resource.metrics.length * METRIC_GUESS);
  writer.byte(ResourceMetrics.resource);
  const resourceBody = writer.begin(RESOURCE_GUESS);
  writeCachedAttributes(writer, resource.attributes, Resource.attributes);
  writer.end(resourceBody);

  writer.byte(ResourceMetrics.scopeMetrics);
  const scopeMetrics = writer.begin(resource.metrics.length * METRIC_GUESS);
  writer.raw(scopeBytes(resource.scope));
  for (const metric of resource.metrics) {
    const bytes = descriptorBytes(metric.descriptor);
    writer.byte(ScopeMetrics.metrics);
    const metricBody = writer.begin(bytes.head.length + metric.points.length * POINT_GUESS);
    writer.raw(bytes.head);
    const data = writer.begin(metric.points.length * POINT_GUESS);
    if (isHistogramData(metric)) {
      for (const point of metric.points) {
        if (isEncodableHistogramPoint(point)) writeHistogramPoint(writer, point);
      }
    } else {
      const descriptor = metric.descriptor;
      const integer = descriptor.integer === true;
      for (const point of metric.points) {
        const timeMs = point.timeMs ?? metric.timeMs;
        const startTimeMs = point.startTimeMs ?? metric.startTimeMs;
        if (isEncodableNumberPoint(point, descriptor, timeMs, startTimeMs)) {
          writeNumberPoint(writer, point, integer, timeMs as number, startTimeMs, recorder);
        }
      }
    }
    writer.raw(bytes.tail);
    writer.end(data);
    writer.end(metricBody);
  }
  writer.end(scopeMetrics);
  writer.end(resourceMetrics);
}
