/**
 * JSON writing for log records on top of {@link JsonByteWriter}: strings, the full `AnyValue` as
 * the protobuf JSON mapping spells it (int64 as decimal strings, bytes as base64, non-finite
 * doubles as `"NaN"` / `"Infinity"` / `"-Infinity"`), `HrTime` as decimal nanoseconds, and
 * optional fields in any combination.
 */
import type { HrTime } from '@opentelemetry/api';
import { JsonByteWriter, integerDigits } from './json-text';
import { isInt64 } from './encodable';
import { keyJson } from './json-cache';

/** Pre-encodes ASCII JSON text. */
export const ascii = (json: string): Uint8Array => new Uint8Array(Buffer.from(json, 'latin1'));

/** `,` */
export const COMMA = 0x2c;
const QUOTE = 0x22;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const STRING_VALUE = ascii('{"stringValue":');
const INT_VALUE = ascii('{"intValue":"');
const DOUBLE_VALUE = ascii('{"doubleValue":');
const TRUE_VALUE = ascii('{"boolValue":true}');
const FALSE_VALUE = ascii('{"boolValue":false}');
const BYTES_VALUE = ascii('{"bytesValue":"');
const ARRAY_VALUE = ascii('{"arrayValue":{');
const KVLIST_VALUE = ascii('{"kvlistValue":{');
const VALUES_OPEN = ascii('"values":[');
const KEY_OPEN = ascii('{"key":');
const VALUE_OPEN = ascii(',"value":');
const EMPTY_VALUE = ascii('{}');
const ATTRIBUTES_NAME = ascii('"attributes":');

/** {@link JsonByteWriter} plus the JSON forms of log record fields. */
export class LogsJsonWriter extends JsonByteWriter {
  private lastSeconds = Number.NaN;
  private lastSecondsDigits = '';

  /** A double: a JSON number when finite, else the mapping's quoted `NaN` or `±Infinity`. */
  double(value: number): void {
    if (Number.isFinite(value)) this.ascii(String(value));
    else this.ascii(`"${String(value)}"`);
  }

  /**
   * A normalized time (see `normalizeHrTime`) as quoted decimal nanoseconds: the digits of the
   * seconds, then nine of nanoseconds, e.g. `[1700000000, 5]` → `"1700000000000000005"`. Exact
   * without 64-bit arithmetic; records of one batch mostly share their second, so its digits
   * are kept.
   */
  hrTime(time: HrTime): void {
    const seconds = time[0];
    let nanos = time[1];
    if (seconds === 0) {
      this.byte(QUOTE);
      this.ascii(String(nanos));
      this.byte(QUOTE);
      return;
    }
    if (seconds !== this.lastSeconds) {
      this.lastSeconds = seconds;
      this.lastSecondsDigits = String(seconds);
    }
    this.byte(QUOTE);
    this.ascii(this.lastSecondsDigits);
    this.ensure(10);
    const buf = this.buf;
    const end = this.pos + 9;
    for (let pos = end - 1; pos >= this.pos; pos--) {
      const digit = nanos % 10;
      buf[pos] = 0x30 + digit;
      nanos = (nanos - digit) / 10;
    }
    buf[end] = QUOTE;
    this.pos = end + 1;
  }

  /**
   * Starts a field: a comma unless the enclosing object was just opened, then `name`, the
   * pre-encoded `"key":`. So optional fields can be written or left out in any combination.
   */
  field(name: Uint8Array): void {
    if (this.buf[this.pos - 1] !== OPEN_OBJECT) this.byte(COMMA);
    this.raw(name);
  }

  /**
   * An `AnyValue` object. Numbers follow the OTel JS rule: integers in int64 range are
   * `intValue`, others `doubleValue`. `null`, `undefined` and other types give `{}`.
   */
  anyValue(value: unknown): void {
    if (typeof value === 'string') {
      this.raw(STRING_VALUE);
      this.string(value);
      this.byte(CLOSE_OBJECT);
    } else if (typeof value === 'number') {
      if (isInt64(value)) {
        this.raw(INT_VALUE);
        this.ascii(integerDigits(value));
        this.byte(QUOTE);
      } else {
        this.raw(DOUBLE_VALUE);
        this.double(value);
      }
      this.byte(CLOSE_OBJECT);
    } else if (typeof value === 'boolean') {
      this.raw(value ? TRUE_VALUE : FALSE_VALUE);
    } else if (value instanceof Uint8Array) {
      this.raw(BYTES_VALUE);
      this.ascii(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
      this.byte(QUOTE);
      this.byte(CLOSE_OBJECT);
    } else if (Array.isArray(value)) {
      this.raw(ARRAY_VALUE);
      // An empty list is left out, as the mapping leaves out empty repeated fields.
      if (value.length > 0) {
        this.raw(VALUES_OPEN);
        for (let i = 0; i < value.length; i++) {
          if (i > 0) this.byte(COMMA);
          this.anyValue(value[i]);
        }
        this.byte(CLOSE_ARRAY);
      }
      this.byte(CLOSE_OBJECT);
      this.byte(CLOSE_OBJECT);
    } else if (typeof value === 'object' && value !== null) {
      this.raw(KVLIST_VALUE);
      const map = value as Readonly<Record<string, unknown>>;
      let first = true;
      for (const key in map) {
        if (first) this.raw(VALUES_OPEN);
        else this.byte(COMMA);
        first = false;
        // Map keys are user data: written directly, not through the bounded key cache.
        this.raw(KEY_OPEN);
        this.string(key);
        this.raw(VALUE_OPEN);
        this.anyValue(map[key]);
        this.byte(CLOSE_OBJECT);
      }
      if (!first) this.byte(CLOSE_ARRAY);
      this.byte(CLOSE_OBJECT);
      this.byte(CLOSE_OBJECT);
    } else {
      this.raw(EMPTY_VALUE);
    }
  }

  /** An `"attributes":[…]` field, or nothing for an empty map. */
  attributes(attributes: Readonly<Record<string, unknown>>): void {
    let first = true;
    for (const key in attributes) {
      if (first) {
        this.field(ATTRIBUTES_NAME);
        this.byte(OPEN_ARRAY);
      } else {
        this.byte(COMMA);
      }
      first = false;
      this.raw(keyJson(key));
      this.anyValue(attributes[key]);
      this.byte(CLOSE_OBJECT);
    }
    if (!first) this.byte(CLOSE_ARRAY);
  }
}
