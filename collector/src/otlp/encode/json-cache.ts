/**
 * OTLP/JSON fragments that repeat across resources, encoded to UTF-8 once: metric headers
 * and scopes by object identity (shared by every resource of a cycle; a WeakMap lets retired
 * ones go), attribute-key prefixes by value.
 */
import type { MetricDescriptor, Scope } from '../metric-batch';
import { AGGREGATION_TEMPORALITY_CUMULATIVE } from './otlp-fields';

/**
 * JSON of a `Metric` before its data points. The points list is opened only when a point is
 * written, since protobuf JSON leaves empty repeated fields out; so temporality and
 * monotonicity come first.
 */
export interface DescriptorJson {
  /** `{"name":…,"gauge":{` or `{"name":…,"sum":{"aggregationTemporality":2`. */
  readonly head: Uint8Array;
  /** `"dataPoints":[`, behind a comma when the head ends in a field. */
  readonly pointsOpen: Uint8Array;
}

const descriptorCache = new WeakMap<MetricDescriptor, DescriptorJson>();
const scopeCache = new WeakMap<Scope, Uint8Array>();
// Attribute keys come from a fixed vocabulary; the cap only guards against unbounded keys.
const MAX_CACHED_KEYS = 1024;
const keyCache = new Map<string, Uint8Array>();

const utf8 = (json: string): Uint8Array => new Uint8Array(Buffer.from(json, 'utf8'));

/** The cached JSON around a descriptor's points, built on first use. */
export function descriptorJson(descriptor: MetricDescriptor): DescriptorJson {
  let json = descriptorCache.get(descriptor);
  if (json !== undefined) return json;
  let head = `{"name":${JSON.stringify(descriptor.name)}`;
  if (descriptor.description !== '') {
    head += `,"description":${JSON.stringify(descriptor.description)}`;
  }
  if (descriptor.unit !== '') head += `,"unit":${JSON.stringify(descriptor.unit)}`;
  // The JSON names of the data oneof are the kinds themselves: gauge, sum, histogram.
  head += `,"${descriptor.kind}":{`;
  let pointsOpen = '"dataPoints":[';
  if (descriptor.kind !== 'gauge') {
    head += `"aggregationTemporality":${AGGREGATION_TEMPORALITY_CUMULATIVE}`;
    if (descriptor.kind === 'sum' && descriptor.monotonic === true) head += ',"isMonotonic":true';
    pointsOpen = `,${pointsOpen}`;
  }
  json = { head: utf8(head), pointsOpen: utf8(pointsOpen) };
  descriptorCache.set(descriptor, json);
  return json;
}

/** `{"scope":{…}`, the opening of a `ScopeMetrics`. */
export function scopeJson(scope: Scope): Uint8Array {
  let json = scopeCache.get(scope);
  if (json !== undefined) return json;
  const fields: string[] = [];
  if (scope.name !== '') fields.push(`"name":${JSON.stringify(scope.name)}`);
  if (scope.version !== '') fields.push(`"version":${JSON.stringify(scope.version)}`);
  json = utf8(`{"scope":{${fields.join(',')}}`);
  scopeCache.set(scope, json);
  return json;
}

/** `{"key":…,"value":`, the opening of a `KeyValue`. */
export function keyJson(key: string): Uint8Array {
  let json = keyCache.get(key);
  if (json !== undefined) return json;
  json = utf8(`{"key":${JSON.stringify(key)},"value":`);
  if (keyCache.size < MAX_CACHED_KEYS) keyCache.set(key, json);
  return json;
}
