/**
 * One queue's history: a fixed number of points in typed arrays, oldest overwritten first. The
 * arrays are allocated once, when the queue is first seen, so a ring's memory is exact and never
 * grows: {@link ringBytes} per queue, whatever the queue reports.
 */

/** The values of one point, in the ring's column order. */
export const HISTORY_FIELDS = [
  'waiting',
  'active',
  'failed',
  'delayed',
  'in',
  'out',
  'failureRate',
] as const;

/** One column of a point. */
export type HistoryField = (typeof HISTORY_FIELDS)[number];

/** Where a point's failure rate came from. */
export const FailureBasis = {
  /** No rate: no `throughput.failed` and no earlier point to compare the failed count with. */
  none: 0,
  /** The probe's `throughput.failed`, jobs per minute. */
  throughput: 1,
  /** Increases of the `failed` count since the previous point; undercounts removed jobs. */
  failedCount: 2,
} as const;

export type FailureBasis = (typeof FailureBasis)[keyof typeof FailureBasis];

/** One point as it is recorded; `NaN` where the queue did not report the value. */
export interface HistoryPoint {
  /** The start of the point's resolution step, epoch ms. */
  t: number;
  values: Readonly<Record<HistoryField, number>>;
  basis: FailureBasis;
}

const FIELD_COUNT = HISTORY_FIELDS.length;

/** Each field's column in a point. */
const COLUMN: Readonly<Record<HistoryField, number>> = {
  waiting: 0,
  active: 1,
  failed: 2,
  delayed: 3,
  in: 4,
  out: 5,
  failureRate: 6,
};

/**
 * Bytes of sample storage of a ring of `capacity` points: an 8-byte time, a 4-byte float per
 * field and one byte for the failure basis, per point.
 */
export function ringBytes(capacity: number): number {
  return (
    capacity * (Float64Array.BYTES_PER_ELEMENT + FIELD_COUNT * Float32Array.BYTES_PER_ELEMENT + 1)
  );
}

/**
 * Values are kept as 32-bit floats: counts are exact up to 2^24 (16,777,216 jobs) and rounded to
 * about seven significant digits above; rates keep about seven significant digits.
 */
export class QueueRing {
  private readonly times: Float64Array;
  private readonly values: Float32Array;
  private readonly bases: Uint8Array;
  /** Index of the next write. */
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    const buffer = new ArrayBuffer(ringBytes(capacity));
    const valuesAt = capacity * Float64Array.BYTES_PER_ELEMENT;
    const basesAt = valuesAt + capacity * FIELD_COUNT * Float32Array.BYTES_PER_ELEMENT;
    this.times = new Float64Array(buffer, 0, capacity);
    this.values = new Float32Array(buffer, valuesAt, capacity * FIELD_COUNT);
    this.bases = new Uint8Array(buffer, basesAt, capacity);
  }

  /** Points held, at most `capacity`. */
  get size(): number {
    return this.count;
  }

  /** Bytes of sample storage, the same from the first point to the last. */
  get bytes(): number {
    return this.times.buffer.byteLength;
  }

  /** The newest point's time, or `-Infinity` when empty. */
  get lastTime(): number {
    return this.count === 0 ? -Infinity : (this.times[this.slot(this.count - 1)] ?? -Infinity);
  }

  /** The newest point's value of `field`, or `NaN` when empty. */
  last(field: HistoryField): number {
    if (this.count === 0) return NaN;
    return this.valueAt(this.count - 1, field);
  }

  /** Appends a point; over capacity, the oldest one is overwritten. */
  push(point: HistoryPoint): void {
    const at = this.head;
    this.times[at] = point.t;
    for (const field of HISTORY_FIELDS) {
      this.values[at * FIELD_COUNT + COLUMN[field]] = point.values[field];
    }
    this.bases[at] = point.basis;
    this.head = (at + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The index (oldest first) of the first point later than `sinceMs`; `size` when none is. */
  firstAfter(sinceMs: number): number {
    let index = 0;
    while (index < this.count && this.timeAt(index) <= sinceMs) index++;
    return index;
  }

  /** The times of the points from the `from`-th (oldest first) on. */
  timesFrom(from: number): number[] {
    const out: number[] = [];
    for (let i = from; i < this.count; i++) out.push(this.timeAt(i));
    return out;
  }

  /** The `field` values of the points from the `from`-th (oldest first) on. */
  valuesFrom(from: number, field: HistoryField): number[] {
    const column = COLUMN[field];
    const out: number[] = [];
    for (let i = from; i < this.count; i++) {
      out.push(this.values[this.slot(i) * FIELD_COUNT + column] ?? NaN);
    }
    return out;
  }

  /** The time of the `index`-th point, oldest first. */
  timeAt(index: number): number {
    return this.times[this.slot(index)] ?? NaN;
  }

  /** The `field` value of the `index`-th point, oldest first. */
  valueAt(index: number, field: HistoryField): number {
    return this.values[this.slot(index) * FIELD_COUNT + COLUMN[field]] ?? NaN;
  }

  /** The failure basis of the `index`-th point, oldest first. */
  basisAt(index: number): FailureBasis {
    return (this.bases[this.slot(index)] ?? FailureBasis.none) as FailureBasis;
  }

  /** The array slot of the `index`-th point, oldest first. */
  private slot(index: number): number {
    const oldest = this.count < this.capacity ? 0 : this.head;
    return (oldest + index) % this.capacity;
  }
}
