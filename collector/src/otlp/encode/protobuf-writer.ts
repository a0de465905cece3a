/**
 * A minimal protobuf wire-format writer for the fixed OTLP shapes the collector emits. It
 * knows wire types, not messages: callers write tags and values in field order. Every varint
 * is written in its shortest form, which is the canonical encoding the Go collector expects.
 */
import { ByteWriter } from './byte-writer';

/** Wire type of varint fields (int64, uint32, bool, enum). */
export const WIRE_VARINT = 0;
/** Wire type of 8-byte fields (fixed64, sfixed64, double). */
export const WIRE_I64 = 1;
/** Wire type of length-delimited fields (string, bytes, messages, packed repeated). */
export const WIRE_LEN = 2;

const TWO_POW_32 = 4294967296;
const NANOS_PER_MS = 1_000_000;

/** The key of a field: field number and wire type, as one varint. */
export function fieldTag(fieldNumber: number, wireType: number): number {
  return ((fieldNumber << 3) | wireType) >>> 0;
}

/** Bytes a non-negative integer below 2^53 takes as a varint. */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  if (value < 0x800000000) return 5;
  if (value < 0x40000000000) return 6;
  if (value < 0x2000000000000) return 7;
  return 8;
}

/**
 * Pre-encodes a string field (key, length, UTF-8 bytes) so names and keys repeated on every
 * resource are copied rather than re-encoded.
 *
 * @param tag - the field key, from {@link fieldTag}.
 */
export function encodeStringField(tag: number, value: string): Uint8Array {
  const writer = new ProtobufWriter(value.length * 3 + 16);
  writer.tag(tag);
  writer.string(value);
  return writer.toBytes();
}

/**
 * Protobuf on top of {@link ByteWriter}. Nested messages use reserve-and-backpatch: `begin`
 * reserves as many length bytes as the expected size needs, `end` writes the real length and
 * moves the body only when the guess was wrong, so a good guess costs no copy.
 */
export class ProtobufWriter extends ByteWriter {
  // Most points of one cycle share a timestamp, so the last conversion is kept.
  private lastTimeMs = Number.NaN;
  private lastTimeLow = 0;
  private lastTimeHigh = 0;
  /**
   * When set, every body `end` moves is logged as (body start, shift) pairs, so a caller that
   * noted positions inside it can correct them (see `resource-templates.ts`).
   */
  moves: number[] | undefined;

  /** Writes a field key built by {@link fieldTag}. */
  tag(tag: number): void {
    this.varint(tag);
  }

  /** Writes a non-negative integer below 2^53 as a shortest-form varint. */
  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    if (value < TWO_POW_32) {
      let v = value >>> 0;
      while (v > 0x7f) {
        buf[pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[pos++] = v;
      this.pos = pos;
      return;
    }
    this.varint64(value >>> 0, Math.floor(value / TWO_POW_32) >>> 0);
  }

  /**
   * Writes an int64 varint. Negative values take ten bytes (two's complement), as protobuf
   * requires for int64; integers beyond 2^53 keep the exact bits of their double.
   */
  int64(value: number): void {
    if (value >= 0 && value < TWO_POW_32) {
      this.varint(value);
      return;
    }
    // ToUint32 and the floored division are exact for any integer double, negative included.
    this.varint64(value >>> 0, Math.floor(value / TWO_POW_32) >>> 0);
  }

  private varint64(low: number, high: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    let lo = low;
    let hi = high;
    while (hi !== 0 || lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  /** Writes a fixed64 from its two 32-bit halves, little-endian. */
  fixed64Parts(low: number, high: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, low, true);
    this.view.setUint32(this.pos + 4, high, true);
    this.pos += 8;
  }

  /** Writes a non-negative integer below 2^53 as fixed64 (counts). */
  fixed64(value: number): void {
    this.fixed64Parts(value >>> 0, Math.floor(value / TWO_POW_32) >>> 0);
  }

  /** Writes an integer with |value| < 2^63 as sfixed64 (two's complement). */
  sfixed64(value: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, value >>> 0, true);
    // floor() makes the high half the two's-complement high word for negatives too.
    this.view.setInt32(this.pos + 4, Math.floor(value / TWO_POW_32) | 0, true);
    this.pos += 8;
  }

  /**
   * Writes epoch milliseconds as fixed64 Unix nanoseconds. Integer ms are exact up to 2^53 ms;
   * a fractional part is rounded to the nearest nanosecond. Needs `ms >= 0`; nanosecond values
   * past 2^64 (the year 2554) wrap.
   */
  unixNanosFromMs(ms: number): void {
    if (ms !== this.lastTimeMs) {
      // ms * 1e6 overflows 2^53, so the product is built from 32-bit halves of the whole ms.
      const wholeMs = Math.floor(ms);
      // ms - floor(ms) is exact in doubles, and so is its product with 1e6 for epoch-sized ms.
      const subMsNanos = Math.round((ms - wholeMs) * NANOS_PER_MS);
      const msLow = wholeMs >>> 0;
      const msHigh = (wholeMs - msLow) / TWO_POW_32;
      const lowProduct = msLow * NANOS_PER_MS + subMsNanos; // < 2^53: exact
      const low = lowProduct >>> 0;
      this.lastTimeMs = ms;
      this.lastTimeLow = low;
      this.lastTimeHigh = (msHigh * NANOS_PER_MS + (lowProduct - low) / TWO_POW_32) >>> 0;
    }
    this.fixed64Parts(this.lastTimeLow, this.lastTimeHigh);
  }

  /** Writes an IEEE 754 double, little-endian. */
  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Writes a string as a length-prefixed UTF-8 byte string. */
  string(value: string): void {
    const n = value.length;
    // Up to 3 UTF-8 bytes per UTF-16 unit: under 43 units the length always fits one byte.
    if (n < 43) {
      this.ensure(1 + n * 3);
      const buf = this.buf;
      const start = this.pos + 1;
      let pos = start;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) {
          pos = start + buf.write(value, start, 'utf8');
          break;
        }
        buf[pos++] = c;
      }
      buf[this.pos] = pos - start;
      this.pos = pos;
      return;
    }
    this.varint(Buffer.byteLength(value, 'utf8'));
    this.utf8(value);
  }

  /**
   * Opens a length-delimited body and returns its mark for {@link end}.
   *
   * @param expectedBytes - a guess at the body's size, used to reserve its length prefix. A
   *   wrong guess still yields canonical bytes, at the cost of moving the body once.
   */
  begin(expectedBytes: number): number {
    const reserved = expectedBytes < 0x80 ? 1 : expectedBytes < 0x4000 ? 2 : 3;
    this.ensure(reserved);
    const mark = this.pos;
    this.pos += reserved;
    // The reservation (1-3) rides in the low two bits: callers hold one number per message.
    return mark * 4 + reserved;
  }

  /** Closes the body opened by {@link begin}: writes its length, shortest form. */
  end(mark: number): void {
    const reserved = mark & 3;
    const lengthPos = (mark - reserved) / 4;
    const bodyStart = lengthPos + reserved;
    const length = this.pos - bodyStart;
    const size = varintSize(length);
    if (size !== reserved) {
      this.ensure(size - reserved);
      this.buf.copyWithin(lengthPos + size, bodyStart, this.pos);
      this.pos += size - reserved;
      this.moves?.push(bodyStart, size - reserved);
    }
    const buf = this.buf;
    let pos = lengthPos;
    let v = length;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos] = v;
  }
}
