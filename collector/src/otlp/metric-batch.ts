/**
 * The collector's in-memory form of one OTLP metrics export: resources, each with its
 * metrics and points. It is deliberately flatter than the OTel SDK's `ResourceMetrics` so a
 * cycle over 10,000 nodes can be mapped and encoded without building the SDK's object graph.
 * The encoders in `./encode` turn it into OTLP protobuf or OTLP JSON bytes.
 */

/** Attribute values the bridge emits. Arrays and maps are never needed. */
export type AttributeValue = string | number | boolean;
/** Attributes in insertion order; a number is encoded as an int when it is an integer. */
export type MetricAttributes = Readonly<Record<string, AttributeValue>>;

export type MetricKind = 'gauge' | 'sum' | 'histogram';

/**
 * What a metric is. Descriptors are created once and shared by every resource, so an encoder
 * may cache per-descriptor bytes (by identity).
 */
export interface MetricDescriptor {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  readonly kind: MetricKind;
  /** For `sum`: whether the value only grows. Up-down counters are non-monotonic sums. */
  readonly monotonic?: boolean;
  /** Number values are written as `as_int` when true, else `as_double`. */
  readonly integer?: boolean;
}

/**
 * One gauge or sum value. Sums are cumulative and need a start time. The times may be left to
 * the metric (`MetricData.timeMs`), so a caller can hand over points it already has.
 */
export interface NumberPoint {
  readonly value: number;
  /** When the value was observed, epoch ms (may be fractional); else the metric's `timeMs`. */
  readonly timeMs?: number;
  /** Start of a cumulative sum, epoch ms; else the metric's `startTimeMs`. */
  readonly startTimeMs?: number;
  readonly attributes?: MetricAttributes;
}

/** One cumulative explicit-bucket histogram value. */
export interface HistogramPoint {
  readonly timeMs: number;
  readonly startTimeMs: number;
  readonly count: number;
  readonly sum: number;
  readonly min?: number;
  readonly max?: number;
  /** Upper bounds of the buckets, ascending; `bucketCounts` has one more entry than this. */
  readonly explicitBounds: readonly number[];
  readonly bucketCounts: readonly number[];
  readonly attributes?: MetricAttributes;
}

/** A metric and its points on one resource. */
export type MetricData =
  | {
      readonly descriptor: MetricDescriptor & { readonly kind: 'gauge' | 'sum' };
      readonly points: readonly NumberPoint[];
      /** Time of every point that has none of its own. A point without either is skipped. */
      readonly timeMs?: number;
      /** Start time of every point that has none of its own. */
      readonly startTimeMs?: number;
    }
  | {
      readonly descriptor: MetricDescriptor & { readonly kind: 'histogram' };
      readonly points: readonly HistogramPoint[];
    };

/** The instrumentation scope every bridged metric is reported under. */
export interface Scope {
  readonly name: string;
  readonly version: string;
}

/** One resource (a node, or a service for queue metrics) and its metrics. */
export interface ResourceBlock {
  readonly attributes: MetricAttributes;
  readonly scope: Scope;
  readonly metrics: readonly MetricData[];
  /**
   * Its number points as plain numbers, without building `metrics` (see `PackedPoints`); false
   * when it has no such form. Resources that have one may build `metrics` only when read.
   */
  pack?(into: PackedPoints): boolean;
}

/**
 * A resource's number points as plain numbers: per point its time, its start time (NaN
 * without) and its value, in the order its `metrics` list them, and a shape key. Two packs of
 * one resource with equal shape keys have `metrics` of the same shape: the same descriptors,
 * point counts, point attributes and start times present or not. Reused from resource to
 * resource, so packing allocates nothing.
 */
export class PackedPoints {
  values = new Float64Array(3 * 32);
  count = 0;
  shape = -1;

  reset(shape: number): void {
    this.count = 0;
    this.shape = shape;
  }

  add(timeMs: number, startTimeMs: number, value: number): void {
    let at = 3 * this.count;
    if (at + 3 > this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[at++] = timeMs;
    this.values[at++] = startTimeMs;
    this.values[at] = value;
    this.count++;
  }
}

/**
 * One export: many resources, sent in as many requests of at most `--max-export-bytes` as they
 * need, a resource never split across two (see `request-split.ts`). `resources`
 * may be a lazy iterable that builds each resource as the encoder reaches it: objects that
 * die young cost a fast scavenge, while a whole cycle's worth held at once is promoted to the
 * old generation and costs full collections.
 */
export interface MetricBatch {
  readonly resources: readonly ResourceBlock[] | Iterable<ResourceBlock>;
}

/** Number of data points in a batch (a lazy batch is walked, and so built, once more). */
export function countPoints(batch: MetricBatch): number {
  let n = 0;
  for (const resource of batch.resources) n += pointsIn(resource);
  return n;
}

const counting = new PackedPoints();

/** Data points of a resource, from its packed form when it has one. */
export function pointsIn(resource: ResourceBlock): number {
  if (resource.pack?.(counting) === true) return counting.count;
  let n = 0;
  for (const metric of resource.metrics) n += metric.points.length;
  return n;
}
