/**
 * Brings an OTLP/JSON body into the tree shape `decodeProtobuf` produces, so JSON from two
 * encoders (or JSON and protobuf from one) can be compared with `toEqual`. It only smooths
 * what the JSON mapping leaves open: 64-bit integers as numbers or strings, defaults written
 * or omitted, `null` for absent. An unknown key or a value of the wrong type throws.
 */
import { OTLP_METRICS_SCHEMA, fieldByName, isProto3Default } from './otlp-schema';
import type { DecodedMessage, DecodedValue, FieldSpec, Schema } from './otlp-schema';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function int64String(value: unknown, where: string): string {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value).toString();
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  throw new Error(`${where}: not a 64-bit integer: ${JSON.stringify(value)}`);
}

function typed<T>(value: unknown, type: string, where: string): T {
  if (typeof value !== type) throw new Error(`${where}: expected ${type}, got ${typeof value}`);
  return value as T;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected an array`);
  return value;
}

function scalar(field: FieldSpec, value: unknown, where: string, schema: Schema): DecodedValue {
  const type = field.type;
  if (typeof type === 'object') return normalizeOtlpJson(value, type.message, schema);
  switch (type) {
    case 'string':
      return typed<string>(value, 'string', where);
    case 'bool':
      return typed<boolean>(value, 'boolean', where);
    case 'enum':
    case 'uint32':
    case 'double':
      return typed<number>(value, 'number', where);
    case 'int64':
    case 'fixed64':
    case 'sfixed64':
      return int64String(value, where);
    case 'packedFixed64':
      return array(value, where).map((v) => int64String(v, where));
    case 'packedDouble':
      return array(value, where).map((v) => typed<number>(v, 'number', where));
  }
}

/**
 * Normalises a parsed OTLP/JSON value of schema message `message`.
 *
 * @throws Error naming the message and key on anything the schema does not allow.
 */
export function normalizeOtlpJson(
  value: unknown,
  message: string,
  schema: Schema = OTLP_METRICS_SCHEMA,
): DecodedMessage {
  if (!isObject(value)) throw new Error(`${message}: expected an object`);
  const out: DecodedMessage = {};
  for (const [key, raw] of Object.entries(value)) {
    const field = fieldByName(schema, message, key);
    if (field === undefined) throw new Error(`${message}: unknown key ${key}`);
    if (raw === null || raw === undefined) continue;
    const where = `${message}.${key}`;
    let normalized: DecodedValue;
    if (field.repeated === true) {
      const items = array(raw, where);
      if (items.length === 0) continue;
      normalized = items.map((item) => scalar(field, item, where, schema));
    } else {
      normalized = scalar(field, raw, where, schema);
    }
    if (isProto3Default(field, normalized)) continue;
    out[key] = normalized;
  }
  return out;
}
