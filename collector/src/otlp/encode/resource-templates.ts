/**
 * Per-resource templates for the protobuf encoder. A node's `ResourceMetrics` has the same
 * shape every cycle (same metrics, points, attributes); only the fixed-width fields change:
 * times (fixed64), values (double or sfixed64). So its bytes are kept after the first encode
 * with the position of each such field, and later encodes copy them and patch those fields,
 * which writes byte-for-byte what a full encode would (the tests compare both).
 *
 * A template is keyed by the resource's attribute object (stable per node across cycles) and
 * used only while the shape matches exactly; anything else encodes normally.
 */
import type {
  MetricAttributes,
  MetricData,
  MetricDescriptor,
  ResourceBlock,
  Scope,
} from '../metric-batch';
import { isEncodableNumberPoint } from './encodable';
import type { ProtobufWriter } from './protobuf-writer';

/** Where one point's changing fields sit, relative to the template's start. */
interface Slot {
  time: number;
  /** -1 without a start time. */
  start: number;
  value: number;
}

interface Template {
  readonly bytes: Uint8Array;
  readonly scope: Scope;
  readonly descriptors: readonly MetricDescriptor[];
  readonly counts: readonly number[];
  /** Per point, flattened over metrics. */
  readonly attributes: ReadonlyArray<MetricAttributes | undefined>;
  readonly slots: readonly Slot[];
}

const templates = new WeakMap<MetricAttributes, Template>();

/** A time the encoder writes (it leaves out zero, which would change the shape). */
const written = (ms: number | undefined) => ms !== undefined && Math.round(ms * 1e6) !== 0;

/**
 * Whether every point of `resource` is a number point the encoder writes, with its times
 * present: only such resources have a fixed shape. Histograms are never templated.
 */
function templatable(resource: ResourceBlock): boolean {
  for (const metric of resource.metrics) {
    if (metric.descriptor.kind === 'histogram') return false;
    const m = metric as Extract<MetricData, { timeMs?: number }>;
    for (const point of m.points) {
      const timeMs = point.timeMs ?? m.timeMs;
      const startTimeMs = point.startTimeMs ?? m.startTimeMs;
      if (!isEncodableNumberPoint(point, m.descriptor, timeMs, startTimeMs)) return false;
      if (!written(timeMs) || (startTimeMs !== undefined && !written(startTimeMs))) return false;
    }
  }
  return true;
}

/**
 * Writes `resource` from its template when its shape matches; false (with nothing written)
 * when it cannot. One pass: the bytes are copied first and each point is checked as it is
 * patched; a mismatch rewinds the writer.
 */
export function writeFromTemplate(writer: ProtobufWriter, resource: ResourceBlock): boolean {
  const template = templates.get(resource.attributes);
  if (template === undefined || template.scope !== resource.scope) return false;
  const metrics = resource.metrics;
  if (metrics.length !== template.descriptors.length) return false;
  const base = writer.pos;
  writer.raw(template.bytes);
  const end = writer.pos;
  let k = 0;
  for (let i = 0; i < metrics.length; i++) {
    const metric = metrics[i] as Extract<MetricData, { timeMs?: number }>;
    const descriptor = metric.descriptor;
    if (descriptor !== template.descriptors[i] || metric.points.length !== template.counts[i]) {
      writer.pos = base;
      return false;
    }
    const integer = descriptor.integer === true;
    for (const point of metric.points) {
      const slot = template.slots[k] as Slot;
      const timeMs = point.timeMs ?? metric.timeMs;
      const startTimeMs = point.startTimeMs ?? metric.startTimeMs;
      if (
        point.attributes !== template.attributes[k] ||
        (startTimeMs !== undefined) !== slot.start >= 0 ||
        !isEncodableNumberPoint(point, descriptor, timeMs, startTimeMs) ||
        !written(timeMs) ||
        (startTimeMs !== undefined && !written(startTimeMs))
      ) {
        writer.pos = base;
        return false;
      }
      k++;
      writer.pos = base + slot.time;
      writer.unixNanosFromMs(timeMs as number);
      if (startTimeMs !== undefined) {
        writer.pos = base + slot.start;
        writer.unixNanosFromMs(startTimeMs);
      }
      writer.pos = base + slot.value;
      if (integer) writer.sfixed64(Math.trunc(point.value));
      else writer.double(point.value);
    }
  }
  writer.pos = end;
  return true;
}

/** Notes the positions of one point's fields while it is written (see {@link recordTemplate}). */
export interface SlotRecorder {
  /** Position of the time's 8 bytes, of the start time's (or -1), and of the value's. */
  point(time: number, start: number, value: number): void;
}

/**
 * Runs `write` (a full encode of `resource` starting at the writer's position) and, when the
 * resource has a fixed shape, keeps its bytes and field positions as the resource's template.
 */
export function recordTemplate(
  writer: ProtobufWriter,
  resource: ResourceBlock,
  write: (recorder: SlotRecorder | undefined) => void,
): void {
  if (!templatable(resource)) {
    write(undefined);
    return;
  }
  const base = writer.pos;
  const moves: number[] = [];
  const raw: Array<{ positions: [number, number, number]; moveIndex: number }> = [];
  writer.moves = moves;
  try {
    write({
      point: (time, start, value) =>
        raw.push({ positions: [time, start, value], moveIndex: moves.length }),
    });
  } finally {
    writer.moves = undefined;
  }
  // A body moved by `end` after a position was noted shifts it when it lies inside that body.
  const slots: Slot[] = raw.map(({ positions, moveIndex }) => {
    const [time, start, value] = positions.map((p) => {
      if (p < 0) return -1;
      let pos = p;
      for (let j = moveIndex; j < moves.length; j += 2) {
        if ((moves[j] as number) <= pos) pos += moves[j + 1] as number;
      }
      return pos - base;
    }) as [number, number, number];
    return { time, start, value };
  });
  const attributes: Array<MetricAttributes | undefined> = [];
  const counts: number[] = [];
  for (const metric of resource.metrics) {
    counts.push(metric.points.length);
    for (const point of metric.points) attributes.push(point.attributes);
  }
  templates.set(resource.attributes, {
    bytes: writer.bytesFrom(base),
    scope: resource.scope,
    descriptors: resource.metrics.map((m) => m.descriptor),
    counts,
    attributes,
    slots,
  });
}
