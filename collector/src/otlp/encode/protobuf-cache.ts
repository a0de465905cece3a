/**
 * Protobuf bytes that repeat across resources, encoded once: metric headers and scopes by
 * object identity (descriptors and scopes are shared by every resource of a cycle, and a
 * WeakMap lets retired ones go), attribute keys by value.
 */
import type { MetricDescriptor, Scope } from '../metric-batch';
import { AGGREGATION_TEMPORALITY_CUMULATIVE, OTLP_METRICS } from './otlp-fields';
import { ProtobufWriter, encodeStringField } from './protobuf-writer';

const { ScopeMetrics, InstrumentationScope, Metric, Data, KeyValue } = OTLP_METRICS;

/** Bytes of a `Metric` before and after its data points, shared by every resource. */
export interface DescriptorBytes {
  /** name, description, unit, then the key of the gauge/sum/histogram field. */
  readonly head: Uint8Array;
  /** Fields of the data message that follow the points (temporality, monotonicity). */
  readonly tail: Uint8Array;
}

const descriptorCache = new WeakMap<MetricDescriptor, DescriptorBytes>();
const scopeCache = new WeakMap<Scope, Uint8Array>();
// Attribute keys come from a fixed vocabulary; the cap only guards against a caller that
// puts unbounded values in keys.
const MAX_CACHED_KEYS = 1024;
const keyCache = new Map<string, Uint8Array>();

/** The cached `Metric` bytes of a descriptor, built on first use. */
export function descriptorBytes(descriptor: MetricDescriptor): DescriptorBytes {
  let bytes = descriptorCache.get(descriptor);
  if (bytes !== undefined) return bytes;
  const head = new ProtobufWriter(256);
  head.tag(Metric.name);
  head.string(descriptor.name);
  if (descriptor.description !== '') {
    head.tag(Metric.description);
    head.string(descriptor.description);
  }
  if (descriptor.unit !== '') {
    head.tag(Metric.unit);
    head.string(descriptor.unit);
  }
  const tail = new ProtobufWriter(16);
  if (descriptor.kind === 'gauge') {
    head.tag(Metric.gauge);
  } else {
    head.tag(descriptor.kind === 'sum' ? Metric.sum : Metric.histogram);
    tail.tag(Data.aggregationTemporality);
    tail.varint(AGGREGATION_TEMPORALITY_CUMULATIVE);
    if (descriptor.kind === 'sum' && descriptor.monotonic === true) {
      tail.tag(Data.isMonotonic);
      tail.varint(1);
    }
  }
  bytes = { head: head.toBytes(), tail: tail.toBytes() };
  descriptorCache.set(descriptor, bytes);
  return bytes;
}

/** The whole `scope` field of `ScopeMetrics`, key and length included. */
export function scopeBytes(scope: Scope): Uint8Array {
  let bytes = scopeCache.get(scope);
  if (bytes !== undefined) return bytes;
  const writer = new ProtobufWriter(128);
  writer.tag(ScopeMetrics.scope);
  const body = writer.begin(0);
  if (scope.name !== '') {
    writer.tag(InstrumentationScope.name);
    writer.string(scope.name);
  }
  if (scope.version !== '') {
    writer.tag(InstrumentationScope.version);
    writer.string(scope.version);
  }
  writer.end(body);
  bytes = writer.toBytes();
  scopeCache.set(scope, bytes);
  return bytes;
}

/** The `key` field of a `KeyValue`, key and length included. */
export function keyBytes(key: string): Uint8Array {
  let bytes = keyCache.get(key);
  if (bytes !== undefined) return bytes;
  bytes = encodeStringField(KeyValue.key, key);
  if (keyCache.size < MAX_CACHED_KEYS) keyCache.set(key, bytes);
  return bytes;
}
