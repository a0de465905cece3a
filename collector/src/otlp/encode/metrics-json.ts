/**
 * Encodes a {@link MetricBatch} as an OTLP/HTTP JSON `ExportMetricsServiceRequest`: the
 * protobuf JSON mapping with lowerCamelCase names, 64-bit integers as decimal strings and enums
 * as numbers. Fields holding their proto3 default (empty strings, `false`, zero times and
 * counts) are left out, as the mapping does; oneof and `optional` members are always written.
 * Bytes are written in place: a 45 MB request built as JS strings spends most of its time in GC.
 */
import type { ScratchBuffer } from './scratch-buffer';
import type {
  AttributeValue,
  HistogramPoint,
  MetricAttributes,
  MetricBatch,
  MetricData,
  NumberPoint,
  ResourceBlock,
} from '../metric-batch';
import { JsonByteWriter, integerDigits } from './json-text';
import {
  isEncodableAttribute,
  isEncodableHistogramPoint,
  isEncodableNumberPoint,
  isHistogramData,
  isInt64,
} from './encodable';
import { descriptorJson, keyJson, scopeJson } from './json-cache';
import { estimateProtobufSize } from './protobuf-size';
import { resourcePoints } from './metrics-protobuf';
import type { RequestFraming } from './request-framing';
import { unixNanosString } from './unix-nanos';

const ascii = (json: string): Uint8Array => new Uint8Array(Buffer.from(json, 'latin1'));

const COMMA = 0x2c;
const COMMA_BYTES = ascii(',');
const QUOTE = 0x22;
const CLOSE_OBJECT = 0x7d;
const REQUEST_OPEN = ascii('{"resourceMetrics":[');
const REQUEST_CLOSE = ascii(']}');
const RESOURCE_OPEN = ascii('{"resource":{');
const SCOPE_METRICS_OPEN = ascii('},"scopeMetrics":[');
const SCOPE_METRICS_CLOSE = ascii('}]}');
const METRICS_OPEN = ascii(',"metrics":[');
const POINTS_CLOSE = ascii(']}}');
const DATA_CLOSE = ascii('}}');
const ATTRIBUTES_OPEN = ascii('"attributes":[');
const START_TIME = ascii('"startTimeUnixNano":"');
const TIME = ascii('"timeUnixNano":"');
const AS_INT = ascii('"asInt":"');
const AS_DOUBLE = ascii('"asDouble":');
const COUNT = ascii('"count":"');
const SUM = ascii('"sum":');
const BUCKET_COUNTS = ascii(',"bucketCounts":["');
const EXPLICIT_BOUNDS = ascii(',"explicitBounds":[');
const MIN = ascii(',"min":');
const MAX = ascii(',"max":');
const STRING_VALUE = ascii('{"stringValue":');
const INT_VALUE = ascii('{"intValue":"');
const DOUBLE_VALUE = ascii('{"doubleValue":');
const TRUE_VALUE = ascii('{"boolValue":true}');
const FALSE_VALUE = ascii('{"boolValue":false}');
/** JSON proportion of the protobuf size, for the first allocation: times turn into text. */
const JSON_TO_PROTOBUF_SIZE = 2;

/** JSON writing on top of {@link JsonByteWriter}, with the cycle's last timestamp kept. */
export class JsonWriter extends JsonByteWriter {
  private lastTimeMs = Number.NaN;
  private lastNanos = '';

  /** A finite double as a JSON number; `String()` gives the shortest round-trip form. */
  number(value: number): void {
    this.ascii(String(value));
  }

  /** `"name":"nanos",`, or nothing at zero, which the mapping leaves out as a default. */
  time(name: Uint8Array, ms: number): void {
    if (ms !== this.lastTimeMs) {
      this.lastTimeMs = ms;
      this.lastNanos = unixNanosString(ms);
    }
    if (this.lastNanos === '0') return;
    this.raw(name);
    this.ascii(this.lastNanos);
    this.byte(QUOTE);
    this.byte(COMMA);
  }
}

function writeAnyValue(writer: JsonWriter, value: AttributeValue): void {
  if (typeof value === 'string') {
    writer.raw(STRING_VALUE);
    writer.string(value);
    writer.byte(CLOSE_OBJECT);
  } else if (typeof value === 'boolean') {
    writer.raw(value ? TRUE_VALUE : FALSE_VALUE);
  } else if (isInt64(value)) {
    writer.raw(INT_VALUE);
    writer.ascii(integerDigits(value));
    writer.byte(QUOTE);
    writer.byte(CLOSE_OBJECT);
  } else {
    writer.raw(DOUBLE_VALUE);
    writer.number(value);
    writer.byte(CLOSE_OBJECT);
  }
}

/** `"attributes":[…],` with its trailing comma, or nothing when no attribute is written. */
function writeAttributes(writer: JsonWriter, attributes: MetricAttributes | undefined): void {
  let first = true;
  for (const key in attributes) {
    const value = attributes[key];
    if (!isEncodableAttribute(value)) continue;
    if (first) writer.raw(ATTRIBUTES_OPEN);
    else writer.byte(COMMA);
    first = false;
    writer.raw(keyJson(key));
    writeAnyValue(writer, value);
    writer.byte(CLOSE_OBJECT);
  }
  if (!first) {
    writer.byte(0x5d); // ]
    writer.byte(COMMA);
  }
}

function writeNumberPoint(
  writer: JsonWriter,
  point: NumberPoint,
  integer: boolean,
  timeMs: number,
  startTimeMs: number | undefined,
): void {
  writer.byte(0x7b); // {
  writeAttributes(writer, point.attributes);
  if (startTimeMs !== undefined) writer.time(START_TIME, startTimeMs);
  writer.time(TIME, timeMs);
  if (integer) {
    writer.raw(AS_INT);
    writer.ascii(integerDigits(Math.trunc(point.value)));
    writer.byte(QUOTE);
  } else {
    writer.raw(AS_DOUBLE);
    writer.number(point.value);
  }
  writer.byte(CLOSE_OBJECT);
}

function writeHistogramPoint(writer: JsonWriter, point: HistogramPoint): void {
  writer.byte(0x7b); // {
  writeAttributes(writer, point.attributes);
  writer.time(START_TIME, point.startTimeMs);
  writer.time(TIME, point.timeMs);
  if (point.count !== 0) {
    writer.raw(COUNT);
    writer.ascii(String(point.count));
    writer.byte(QUOTE);
    writer.byte(COMMA);
  }
  writer.raw(SUM);
  writer.number(point.sum);
  writer.raw(BUCKET_COUNTS);
  writer.ascii(point.bucketCounts.join('","'));
  writer.byte(QUOTE);
  writer.byte(0x5d); // ]
  if (point.explicitBounds.length > 0) {
    writer.raw(EXPLICIT_BOUNDS);
    writer.ascii(point.explicitBounds.join(','));
    writer.byte(0x5d); // ]
  }
  if (point.min !== undefined) {
    writer.raw(MIN);
    writer.number(point.min);
  }
  if (point.max !== undefined) {
    writer.raw(MAX);
    writer.number(point.max);
  }
  writer.byte(CLOSE_OBJECT);
}

/** Writes `,"metrics":[…]`, each metric with its encodable points; nothing when empty. */
function writeMetrics(writer: JsonWriter, metrics: readonly MetricData[]): void {
  if (metrics.length === 0) return;
  writer.raw(METRICS_OPEN);
  let firstMetric = true;
  for (const metric of metrics) {
    if (!firstMetric) writer.byte(COMMA);
    firstMetric = false;
    const json = descriptorJson(metric.descriptor);
    writer.raw(json.head);
    let written = 0;
    if (isHistogramData(metric)) {
      for (const point of metric.points) {
        if (!isEncodableHistogramPoint(point)) continue;
        writer.raw(written === 0 ? json.pointsOpen : COMMA_BYTES);
        writeHistogramPoint(writer, point);
        written += 1;
      }
    } else {
      const descriptor = metric.descriptor;
      const integer = descriptor.integer === true;
      for (const point of metric.points) {
        const timeMs = point.timeMs ?? metric.timeMs;
        const startTimeMs = point.startTimeMs ?? metric.startTimeMs;
        if (!isEncodableNumberPoint(point, descriptor, timeMs, startTimeMs)) continue;
        writer.raw(written === 0 ? json.pointsOpen : COMMA_BYTES);
        writeNumberPoint(writer, point, integer, timeMs as number, startTimeMs);
        written += 1;
      }
    }
    writer.raw(written === 0 ? DATA_CLOSE : POINTS_CLOSE);
  }
  writer.byte(0x5d); // ]
}

/**
 * Encodes a batch as OTLP/HTTP JSON, UTF-8. Carries exactly the points and attributes that
 * `encodeMetricsProtobuf` would (see `encodable.ts` for what is left out).
 *
 * @returns a view on a buffer owned by the caller from now on.
 */
export function encodeMetricsJson(batch: MetricBatch, scratch?: ScratchBuffer): Uint8Array {
  const writer = new JsonWriter(
    estimateProtobufSize(batch) * JSON_TO_PROTOBUF_SIZE,
    scratch?.buffer,
  );
  writer.raw(REQUEST_OPEN);
  let firstResource = true;
  for (const resource of batch.resources) {
    if (!firstResource) writer.byte(COMMA);
    firstResource = false;
    writeResource(writer, resource);
  }
  writer.raw(REQUEST_CLOSE);
  if (scratch) scratch.buffer = writer.buffer;
  return writer.finish();
}

/** One `ResourceMetrics` object: the resource, its scope and every metric. */
function writeResource(writer: JsonWriter, resource: ResourceBlock): void {
  writer.raw(RESOURCE_OPEN);
  const start = writer.pos;
  writeAttributes(writer, resource.attributes);
  // Attributes end in a comma, ready for a next field; a Resource has no other to write.
  if (writer.pos > start) writer.pos -= 1;
  writer.raw(SCOPE_METRICS_OPEN);
  writer.raw(scopeJson(resource.scope));
  writeMetrics(writer, resource.metrics);
  writer.raw(SCOPE_METRICS_CLOSE);
}

/**
 * JSON metrics requests: `{"resourceMetrics":[` and `]}` around the resources, with commas
 * between them; byte for byte what `encodeMetricsJson` writes for the same resources.
 */
export const METRICS_JSON_FRAMING: RequestFraming<ResourceBlock, JsonWriter> = {
  open: REQUEST_OPEN,
  separator: COMMA_BYTES,
  close: REQUEST_CLOSE,
  createWriter: (capacity, reuse) => new JsonWriter(capacity, reuse),
  write: (writer, resource) => {
    writeResource(writer, resource);
    return resourcePoints(resource);
  },
};
