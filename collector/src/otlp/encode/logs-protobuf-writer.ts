/**
 * The protobuf writer with what log records need beyond metrics: fixed32 flags, ids as raw
 * bytes, `HrTime` timestamps, and the full `AnyValue` (log bodies and attributes may hold
 * bytes, arrays and maps, where metric attributes are scalars).
 */
import type { HrTime } from '@opentelemetry/api';
import { isInt64 } from './encodable';
import { hexDigit } from './logs-ids';
import { OTLP_LOGS } from './logs-fields';
import { normalizeHrTime, writeHrTimeFixed64 } from './logs-time';
import { keyBytes } from './protobuf-cache';
import { ProtobufWriter } from './protobuf-writer';

const { KeyValue, AnyValue, ListValue } = OTLP_LOGS;

// Typical body sizes, used only to size length prefixes (see `ProtobufWriter.begin`).
const VALUE_GUESS = 64;

/** Attribute maps as the SDK types them: plain objects of `AnyValue`-like values. */
export type AttributeMap = Readonly<Record<string, unknown>>;

/** {@link ProtobufWriter} plus the field types of `LogRecord`. */
export class LogsProtobufWriter extends ProtobufWriter {
  /** Writes a 32-bit unsigned integer, little-endian. */
  fixed32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  /**
   * Writes a string as length-prefixed UTF-8. Log bodies run to a few dozen ASCII characters,
   * past the base writer's short-string loop: up to 127 ASCII characters are copied here too,
   * which beats measuring and writing them through two native calls.
   */
  override string(value: string): void {
    const n = value.length;
    if (n >= 43 && n < 0x80) {
      this.ensure(1 + n);
      const buf = this.buf;
      const start = this.pos + 1;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) {
          super.string(value);
          return;
        }
        buf[start + i] = c;
      }
      buf[this.pos] = n;
      this.pos = start + n;
      return;
    }
    super.string(value);
  }

  /** Writes hex text as a length-delimited byte string; `hex` must be validated hex digits. */
  hexBytes(hex: string): void {
    const length = hex.length >>> 1;
    this.varint(length);
    this.ensure(length);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < hex.length; i += 2) {
      buf[pos++] = (hexDigit(hex.charCodeAt(i)) << 4) | hexDigit(hex.charCodeAt(i + 1));
    }
    this.pos = pos;
  }

  /**
   * Writes a fixed64 time field, or nothing when the time is zero (the proto3 default, meaning
   * unknown) or cannot be a Unix-nanosecond count (see `normalizeHrTime`).
   */
  hrTime(tag: number, time: HrTime): void {
    const normalized = normalizeHrTime(time);
    if (normalized === undefined || (normalized[0] === 0 && normalized[1] === 0)) return;
    this.byte(tag);
    writeHrTimeFixed64(this, normalized);
  }

  /**
   * Writes the fields of an `AnyValue` (the caller opens and closes the message). Numbers
   * follow the OTel JS rule: integers in int64 range are `int_value`, others `double_value`.
   * `null`, `undefined` and other types leave the message empty, as the stock serializer does.
   */
  anyValue(value: unknown): void {
    if (typeof value === 'string') {
      this.byte(AnyValue.stringValue);
      this.string(value);
    } else if (typeof value === 'number') {
      if (isInt64(value)) {
        this.byte(AnyValue.intValue);
        this.int64(value);
      } else {
        this.byte(AnyValue.doubleValue);
        this.double(value);
      }
    } else if (typeof value === 'boolean') {
      this.byte(AnyValue.boolValue);
      this.byte(value ? 1 : 0);
    } else if (value instanceof Uint8Array) {
      this.byte(AnyValue.bytesValue);
      this.varint(value.length);
      this.raw(value);
    } else if (Array.isArray(value)) {
      this.byte(AnyValue.arrayValue);
      const list = this.begin(value.length * VALUE_GUESS);
      for (const item of value) {
        this.byte(ListValue.values);
        const body = this.begin(VALUE_GUESS);
        this.anyValue(item);
        this.end(body);
      }
      this.end(list);
    } else if (typeof value === 'object' && value !== null) {
      this.byte(AnyValue.kvlistValue);
      const list = this.begin(VALUE_GUESS * 4);
      const map = value as AttributeMap;
      for (const key in map) {
        this.byte(ListValue.values);
        const body = this.begin(VALUE_GUESS);
        // Map keys are user data: written directly, not through the bounded key cache.
        this.byte(KeyValue.key);
        this.string(key);
        this.valueField(map[key]);
        this.end(body);
      }
      this.end(list);
    }
  }

  /** Writes each attribute as a `KeyValue` under the repeated field `tag`. */
  attributes(tag: number, attributes: AttributeMap): void {
    for (const key in attributes) {
      this.byte(tag);
      const body = this.begin(VALUE_GUESS);
      this.raw(keyBytes(key));
      this.valueField(attributes[key]);
      this.end(body);
    }
  }

  /** The `value` field of a `KeyValue`. */
  private valueField(value: unknown): void {
    this.byte(KeyValue.value);
    const body = this.begin(VALUE_GUESS);
    this.anyValue(value);
    this.end(body);
  }
}
