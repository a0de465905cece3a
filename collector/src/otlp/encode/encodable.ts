/**
 * What both encoders refuse to write, decided in one place so protobuf and JSON always carry
 * the same points. A point holding a non-finite number (NaN, ±Infinity) or an impossible time
 * is skipped rather than sent: NaN and Infinity are not JSON numbers, and a backend cannot tell
 * a NaN gauge from a broken probe. The metric itself is kept, even when all its points go.
 */
import type {
  AttributeValue,
  HistogramPoint,
  MetricData,
  MetricDescriptor,
  NumberPoint,
} from '../metric-batch';

/** int64 bounds; both are powers of two, so exact as doubles. */
export const INT64_MIN = -(2 ** 63);
export const INT64_END = 2 ** 63;

/** A metric whose points are histogram points. */
export type HistogramMetricData = Extract<MetricData, { descriptor: { kind: 'histogram' } }>;

/** Narrows a metric to histogram data; the union's tag sits on the descriptor, so TS cannot. */
export function isHistogramData(metric: MetricData): metric is HistogramMetricData {
  return metric.descriptor.kind === 'histogram';
}

/** Epoch ms that map to an unsigned Unix-nanosecond timestamp. */
function isUnixMs(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0;
}

function isOptionalUnixMs(ms: number | undefined): boolean {
  return ms === undefined || isUnixMs(ms);
}

/** Non-negative integers only; counts are written as fixed64. */
function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/**
 * Whether a gauge or sum point can be written. `as_int` values are truncated toward zero and
 * must fit int64.
 */
export function isEncodableNumberPoint(
  point: NumberPoint,
  descriptor: MetricDescriptor,
  timeMs: number | undefined,
  startTimeMs: number | undefined,
): boolean {
  const value = point.value;
  if (!Number.isFinite(value)) return false;
  if (descriptor.integer === true && !(value >= INT64_MIN && value < INT64_END)) return false;
  return timeMs !== undefined && isUnixMs(timeMs) && isOptionalUnixMs(startTimeMs);
}

/**
 * Whether a histogram point can be written: finite sum, min, max and bounds, integer counts,
 * and one more bucket count than bounds, as the proto requires.
 */
export function isEncodableHistogramPoint(point: HistogramPoint): boolean {
  if (!isUnixMs(point.timeMs) || !isUnixMs(point.startTimeMs)) return false;
  if (!isCount(point.count) || !Number.isFinite(point.sum)) return false;
  if (point.min !== undefined && !Number.isFinite(point.min)) return false;
  if (point.max !== undefined && !Number.isFinite(point.max)) return false;
  const bounds = point.explicitBounds;
  const counts = point.bucketCounts;
  if (counts.length !== bounds.length + 1) return false;
  for (const bound of bounds) if (!Number.isFinite(bound)) return false;
  for (const count of counts) if (!isCount(count)) return false;
  return true;
}

/** Attributes with a non-finite number are left out, like points. */
export function isEncodableAttribute(value: AttributeValue | undefined): value is AttributeValue {
  return value !== undefined && (typeof value !== 'number' || Number.isFinite(value));
}

/**
 * Whether a number attribute is written as `int_value`: integers in int64 range (the OTel JS
 * transformer's rule, so a PID stays an int). Other finite numbers become `double_value`.
 */
export function isInt64(value: number): boolean {
  return Number.isInteger(value) && value >= INT64_MIN && value < INT64_END;
}
