/**
 * Per-resource templates for the protobuf encoder. A node's `ResourceMetrics` has the same
 * shape every cycle (same metrics, points, attributes); only the fixed-width fields change:
 * times (fixed64), values (double or sfixed64). So its bytes are kept after the first encode
 * with the position of each such field, and later encodes copy them and patch those fields,
 * which writes byte-for-byte what a full encode would (the tests compare both).
 *
 * A template is keyed by the resource's attribute object (stable per node across cycles) and
 * used only while the shape matches exactly; anything else encodes normally.
 *
 * Only the head (the `resource_metrics` key and length, and the `resource` field) is a node's
 * own. Everything after it, the `scope_metrics` field, is the same for every node of the same
 * shape once the patched fields are set aside, so those bytes and field positions are kept
 * once per shape and shared: a fleet of 50,000 alike nodes holds a few hundred bytes each
 * instead of its whole encoding.
 *
 * A resource that can pack its points as plain numbers (see `PackedPoints`) is patched from
 * them when its packed shape key is the one its template was recorded with: a node whose
 * shape the encoder has seen costs no metric or point objects at all.
 */
import { PackedPoints } from '../metric-batch';
import type {
  MetricAttributes,
  MetricData,
  MetricDescriptor,
  ResourceBlock,
  Scope,
} from '../metric-batch';
import { INT64_END, INT64_MIN, isEncodableNumberPoint } from './encodable';
import { OTLP_METRICS } from './otlp-fields';
import type { ProtobufWriter } from './protobuf-writer';

const { ExportMetricsServiceRequest, ResourceMetrics } = OTLP_METRICS;

/** What nodes of one shape share: the `scope_metrics` field and where its patched fields sit. */
interface Shape {
  /** The `scope_metrics` field, key and length included; patched fields left at zero. */
  readonly bytes: Uint8Array;
  readonly scope: Scope;
  readonly descriptors: readonly MetricDescriptor[];
  readonly counts: readonly number[];
  /** Per point, flattened over metrics. */
  readonly attributes: ReadonlyArray<MetricAttributes | undefined>;
  /** Per point, three offsets into `bytes`: time, start time (-1 without), value. */
  readonly slots: Int32Array;
  /** Per point, 1 when its value is written as an integer (`as_int`). */
  readonly integers: Uint8Array;
}

/** Where one point's patched fields sit while a template is recorded, from the resource's start. */
interface Slot {
  time: number;
  /** -1 without a start time. */
  start: number;
  value: number;
}

interface Template {
  /** This node's own bytes: the `resource_metrics` key and length, and its `resource` field. */
  readonly head: Uint8Array;
  readonly shape: Shape;
  /** The resource's packed shape key when recorded (see `PackedPoints`), else -1. */
  readonly packed: number;
}

/** One resource's packed points at a time: the encoder writes resources one by one. */
const packing = new PackedPoints();

const templates = new WeakMap<MetricAttributes, Template>();

/**
 * Shapes by signature, for sharing. Bounded: past the cap the index starts afresh, which only
 * costs sharing for shapes recorded later (templates hold their shapes themselves).
 */
const MAX_INDEXED_SHAPES = 1024;
const shapes = new Map<string, Shape>();

/** Small ids of the objects a shape is matched on by identity, for signatures. */
const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(object: object | undefined): number {
  if (object === undefined) return 0;
  let id = ids.get(object);
  if (id === undefined) ids.set(object, (id = nextId++));
  return id;
}

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
 * Writes `resource` from its template when its shape matches; returns the points written, or
 * -1 (with nothing written) when it cannot. A resource with a packed form whose shape key
 * matches the template's is patched from its plain numbers, without reading `metrics`; any
 * other is checked point by point against the template as it is patched. A mismatch, or a
 * value the encoder would not write, rewinds the writer.
 */
export function writeFromTemplate(writer: ProtobufWriter, resource: ResourceBlock): number {
  const template = templates.get(resource.attributes);
  if (template === undefined) return -1;
  const shape = template.shape;
  if (shape.scope !== resource.scope) return -1;
  if (template.packed >= 0 && resource.pack?.(packing) === true) {
    return packing.shape === template.packed ? writePacked(writer, template, packing) : -1;
  }
  const metrics = resource.metrics;
  if (metrics.length !== shape.descriptors.length) return -1;
  const base = writer.pos;
  writer.raw(template.head);
  const shapeBase = writer.pos;
  writer.raw(shape.bytes);
  const end = writer.pos;
  const slots = shape.slots;
  let k = 0;
  for (let i = 0; i < metrics.length; i++) {
    const metric = metrics[i] as Extract<MetricData, { timeMs?: number }>;
    const descriptor = metric.descriptor;
    if (descriptor !== shape.descriptors[i] || metric.points.length !== shape.counts[i]) {
      writer.pos = base;
      return -1;
    }
    const integer = descriptor.integer === true;
    for (const point of metric.points) {
      const start = slots[3 * k + 1] as number;
      const timeMs = point.timeMs ?? metric.timeMs;
      const startTimeMs = point.startTimeMs ?? metric.startTimeMs;
      if (
        point.attributes !== shape.attributes[k] ||
        (startTimeMs !== undefined) !== start >= 0 ||
        !isEncodableNumberPoint(point, descriptor, timeMs, startTimeMs) ||
        !written(timeMs) ||
        (startTimeMs !== undefined && !written(startTimeMs))
      ) {
        writer.pos = base;
        return -1;
      }
      writer.pos = shapeBase + (slots[3 * k] as number);
      writer.unixNanosFromMs(timeMs as number);
      if (startTimeMs !== undefined) {
        writer.pos = shapeBase + start;
        writer.unixNanosFromMs(startTimeMs);
      }
      writer.pos = shapeBase + (slots[3 * k + 2] as number);
      if (integer) writer.sfixed64(Math.trunc(point.value));
      else writer.double(point.value);
      k++;
    }
  }
  writer.pos = end;
  return k;
}

/** A time the encoder writes as it is: finite, not negative, not zero once in nanoseconds. */
const writtenTime = (ms: number) => Number.isFinite(ms) && ms >= 0 && Math.round(ms * 1e6) !== 0;

/**
 * Patches the template with packed numbers of the same shape key. The checks are those of
 * `isEncodableNumberPoint` and `written`, on plain numbers; a point that fails them rewinds.
 */
function writePacked(writer: ProtobufWriter, template: Template, packed: PackedPoints): number {
  const { shape } = template;
  const { slots, integers } = shape;
  const count = packed.count;
  if (3 * count !== slots.length) return -1;
  const values = packed.values;
  const base = writer.pos;
  writer.raw(template.head);
  const shapeBase = writer.pos;
  writer.raw(shape.bytes);
  const end = writer.pos;
  for (let k = 0; k < count; k++) {
    const timeMs = values[3 * k] as number;
    const startTimeMs = values[3 * k + 1] as number;
    const value = values[3 * k + 2] as number;
    const start = slots[3 * k + 1] as number;
    const integer = integers[k] === 1;
    if (
      !writtenTime(timeMs) ||
      Number.isNaN(startTimeMs) !== start < 0 ||
      (start >= 0 && !writtenTime(startTimeMs)) ||
      !Number.isFinite(value) ||
      (integer && !(value >= INT64_MIN && value < INT64_END))
    ) {
      writer.pos = base;
      return -1;
    }
    writer.pos = shapeBase + (slots[3 * k] as number);
    writer.unixNanosFromMs(timeMs);
    if (start >= 0) {
      writer.pos = shapeBase + start;
      writer.unixNanosFromMs(startTimeMs);
    }
    writer.pos = shapeBase + (slots[3 * k + 2] as number);
    if (integer) writer.sfixed64(Math.trunc(value));
    else writer.double(value);
  }
  writer.pos = end;
  return count;
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
  const head = headLength(writer.buffer, base, writer.pos);
  // The slots must all lie in the shared part; a layout not as expected is not templated.
  if (head < 0 || slots.some((slot) => slot.time < head || slot.value < head)) return;
  const attributes: Array<MetricAttributes | undefined> = [];
  const counts: number[] = [];
  let signature = `${idOf(resource.scope)}:${writer.pos - base - head}`;
  for (const metric of resource.metrics) {
    counts.push(metric.points.length);
    signature += `|${idOf(metric.descriptor)}x${metric.points.length}`;
    for (const point of metric.points) {
      attributes.push(point.attributes);
      signature += `,${idOf(point.attributes)}`;
    }
  }
  const offsets = new Int32Array(slots.length * 3);
  const integers = new Uint8Array(slots.length);
  let point = 0;
  for (const metric of resource.metrics) {
    for (let i = 0; i < metric.points.length; i++) {
      integers[point++] = metric.descriptor.integer === true ? 1 : 0;
    }
  }
  const bytes = new Uint8Array(writer.buffer.subarray(base + head, writer.pos));
  slots.forEach((slot, k) => {
    offsets[3 * k] = slot.time - head;
    offsets[3 * k + 1] = slot.start < 0 ? -1 : slot.start - head;
    offsets[3 * k + 2] = slot.value - head;
    signature += slot.start < 0 ? 'n' : 's';
  });
  for (const offset of offsets) if (offset >= 0) bytes.fill(0, offset, offset + 8);
  let shape = shapes.get(signature);
  if (shape === undefined || !sameBytes(shape.bytes, bytes)) {
    const own: Shape = {
      bytes,
      scope: resource.scope,
      descriptors: resource.metrics.map((m) => m.descriptor),
      counts,
      attributes,
      slots: offsets,
      integers,
    };
    if (shape === undefined) {
      if (shapes.size >= MAX_INDEXED_SHAPES) shapes.clear();
      shapes.set(signature, own);
    }
    shape = own;
  }
  // A packed form is trusted for this template only when it has exactly the points written.
  const packed =
    resource.pack?.(packing) === true && packing.count === slots.length ? packing.shape : -1;
  templates.set(resource.attributes, {
    head: new Uint8Array(writer.buffer.subarray(base, base + head)),
    shape,
    packed,
  });
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && Buffer.compare(a, b) === 0;

/** Reads a varint at `pos`; returns [value, next position], or [-1, pos] past `end`. */
function varintAt(buf: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let p = pos; p < end && p < pos + 5; p++) {
    const b = buf[p] as number;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, p + 1];
    scale *= 128;
  }
  return [-1, pos];
}

/**
 * Length of the node's own head in the `resource_metrics` field written at `base`: its key
 * and length, then the `resource` field. -1 unless a `scope_metrics` field follows it.
 */
function headLength(buf: Uint8Array, base: number, end: number): number {
  if (buf[base] !== ExportMetricsServiceRequest.resourceMetrics) return -1;
  const [, afterLength] = varintAt(buf, base + 1, end);
  if (afterLength === base + 1 || buf[afterLength] !== ResourceMetrics.resource) return -1;
  const [resourceLength, resourceStart] = varintAt(buf, afterLength + 1, end);
  if (resourceLength < 0) return -1;
  const scopeAt = resourceStart + resourceLength;
  return scopeAt < end && buf[scopeAt] === ResourceMetrics.scopeMetrics ? scopeAt - base : -1;
}
