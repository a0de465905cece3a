/**
 * A small, strict protobuf wire decoder for tests. It turns bytes into a plain tree keyed by
 * the proto JSON names in a {@link Schema}, so two encoders can be compared with `toEqual`,
 * and it throws on anything the schema does not expect: an unknown field number, a wrong wire
 * type, a truncated body. Fields at their proto3 default are left out of the tree, because on
 * the wire "absent" and "default" are the same message.
 */
import { OTLP_METRICS_SCHEMA, isProto3Default } from './otlp-schema';
import type { AnyFieldType, DecodedMessage, DecodedValue, FieldSpec, Schema } from './otlp-schema';

/** Decoder switches. */
export interface DecodeOptions {
  /**
   * Also reject what a canonical encoder (Go's `proto.Marshal`) never writes: varints longer
   * than needed, and scalars written explicitly at their default value.
   * @default false
   */
  readonly canonical?: boolean;
  /** @default OTLP_METRICS_SCHEMA */
  readonly schema?: Schema<AnyFieldType>;
}

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

class Reader {
  pos = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly canonical: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    const start = this.pos;
    for (;;) {
      const byte = this.bytes[this.pos++];
      if (byte === undefined) throw new Error(`truncated varint at ${start}`);
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) {
        if (this.canonical && byte === 0 && this.pos - start > 1) {
          throw new Error(`non-minimal varint at ${start}`);
        }
        return result;
      }
      shift += 7n;
      if (shift > 63n) throw new Error(`varint longer than 10 bytes at ${start}`);
    }
  }

  smallVarint(): number {
    const value = this.varint();
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`varint too large at ${this.pos}`);
    return Number(value);
  }

  fixed64(): bigint {
    this.need(8);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  fixed32(): number {
    this.need(4);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  lengthDelimited(): Uint8Array {
    const length = this.smallVarint();
    this.need(length);
    const body = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return body;
  }

  private need(bytes: number): void {
    if (this.pos + bytes > this.bytes.length) throw new Error(`truncated field at ${this.pos}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function expectWire(
  field: FieldSpec<AnyFieldType>,
  actual: number,
  expected: number,
  message: string,
): void {
  if (actual !== expected) {
    throw new Error(`${message}.${field.name}: wire type ${actual}, expected ${expected}`);
  }
}

function readPacked(body: Uint8Array, read: (reader: Reader) => DecodedValue): DecodedValue[] {
  if (body.length % 8 !== 0) throw new Error('packed 8-byte field with a ragged length');
  const reader = new Reader(body, false);
  const values: DecodedValue[] = [];
  while (!reader.done) values.push(read(reader));
  return values;
}

function readField(
  reader: Reader,
  field: FieldSpec<AnyFieldType>,
  wireType: number,
  message: string,
  options: Required<DecodeOptions>,
): DecodedValue {
  const type = field.type;
  if (typeof type === 'object') {
    expectWire(field, wireType, WIRE_LEN, message);
    return decodeProtobuf(reader.lengthDelimited(), type.message, options);
  }
  switch (type) {
    case 'string':
      expectWire(field, wireType, WIRE_LEN, message);
      return utf8.decode(reader.lengthDelimited());
    case 'bool':
    case 'enum':
    case 'uint32': {
      expectWire(field, wireType, WIRE_VARINT, message);
      const value = reader.smallVarint();
      return type === 'bool' ? value !== 0 : value;
    }
    case 'int64':
      expectWire(field, wireType, WIRE_VARINT, message);
      return BigInt.asIntN(64, reader.varint()).toString();
    case 'fixed64':
      expectWire(field, wireType, WIRE_I64, message);
      return reader.fixed64().toString();
    case 'sfixed64':
      expectWire(field, wireType, WIRE_I64, message);
      return BigInt.asIntN(64, reader.fixed64()).toString();
    case 'double':
      expectWire(field, wireType, WIRE_I64, message);
      return reader.double();
    case 'packedFixed64':
      expectWire(field, wireType, WIRE_LEN, message);
      return readPacked(reader.lengthDelimited(), (r) => r.fixed64().toString());
    case 'packedDouble':
      expectWire(field, wireType, WIRE_LEN, message);
      return readPacked(reader.lengthDelimited(), (r) => r.double());
    case 'fixed32':
      expectWire(field, wireType, WIRE_I32, message);
      return reader.fixed32();
    case 'bytes':
      expectWire(field, wireType, WIRE_LEN, message);
      return Buffer.from(reader.lengthDelimited()).toString('hex');
  }
}

/**
 * Decodes `bytes` as the schema message `message`.
 *
 * @throws Error naming the message and field on anything unexpected.
 */
export function decodeProtobuf(
  bytes: Uint8Array,
  message: string,
  options: DecodeOptions = {},
): DecodedMessage {
  const resolved: Required<DecodeOptions> = {
    canonical: options.canonical ?? false,
    schema: options.schema ?? OTLP_METRICS_SCHEMA,
  };
  const fields = resolved.schema[message];
  if (fields === undefined) throw new Error(`schema has no message ${message}`);
  const reader = new Reader(bytes, resolved.canonical);
  const out: DecodedMessage = {};
  while (!reader.done) {
    const key = reader.smallVarint();
    const number = Math.floor(key / 8);
    const field = fields[number];
    if (field === undefined) throw new Error(`${message}: unknown field number ${number}`);
    const value = readField(reader, field, key & 7, message, resolved);
    if (field.repeated === true) {
      const list = (out[field.name] ??= []) as DecodedValue[];
      list.push(value);
      continue;
    }
    if (field.name in out) throw new Error(`${message}.${field.name}: written twice`);
    if (isProto3Default(field, value)) {
      if (resolved.canonical) throw new Error(`${message}.${field.name}: default written`);
      continue;
    }
    out[field.name] = value;
  }
  return out;
}
