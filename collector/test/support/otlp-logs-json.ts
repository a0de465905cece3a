/**
 * Brings an OTLP/JSON logs body into the tree shape `decodeProtobuf` produces with
 * `OTLP_LOGS_SCHEMA`, as `normalizeOtlpJson` does for metrics, plus what logs add: bytes
 * (trace and span ids as hex, other bytes as base64; both become lowercase hex), fixed32
 * flags, and doubles spelled `"NaN"` / `"Infinity"` / `"-Infinity"`. It only smooths what the
 * JSON mapping leaves open; an unknown key or a value of the wrong type throws.
 */
import { OTLP_LOGS_SCHEMA, fieldByName, isProto3Default } from './otlp-schema';
import type { AnyFieldType, DecodedMessage, DecodedValue, FieldSpec, Schema } from './otlp-schema';

type LogsSchema = Schema<AnyFieldType>;

const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

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

function double(value: unknown, where: string): number {
  if (typeof value === 'string' && value in NON_FINITE) return NON_FINITE[value] as number;
  return typed<number>(value, 'number', where);
}

function bytes(field: FieldSpec<AnyFieldType>, value: unknown, where: string): string {
  const text = typed<string>(value, 'string', where);
  if (field.hex !== true) return Buffer.from(text, 'base64').toString('hex');
  if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new Error(`${where}: not hex: ${text}`);
  return text.toLowerCase();
}

function scalar(
  field: FieldSpec<AnyFieldType>,
  value: unknown,
  where: string,
  schema: LogsSchema,
): DecodedValue {
  const type = field.type;
  if (typeof type === 'object') return normalizeOtlpLogsJson(value, type.message, schema);
  switch (type) {
    case 'string':
      return typed<string>(value, 'string', where);
    case 'bool':
      return typed<boolean>(value, 'boolean', where);
    case 'enum':
    case 'uint32':
    case 'fixed32':
      return typed<number>(value, 'number', where);
    case 'double':
      return double(value, where);
    case 'int64':
    case 'fixed64':
    case 'sfixed64':
      return int64String(value, where);
    case 'bytes':
      return bytes(field, value, where);
    case 'packedFixed64':
    case 'packedDouble':
      throw new Error(`${where}: packed fields are not part of the logs schema`);
  }
}

/**
 * Normalises a parsed OTLP/JSON value of the logs schema message `message`.
 *
 * @throws Error naming the message and key on anything the schema does not allow.
 */
export function normalizeOtlpLogsJson(
  value: unknown,
  message: string,
  schema: LogsSchema = OTLP_LOGS_SCHEMA,
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
      if (!Array.isArray(raw)) throw new Error(`${where}: expected an array`);
      if (raw.length === 0) continue;
      normalized = raw.map((item: unknown) => scalar(field, item, where, schema));
    } else {
      normalized = scalar(field, raw, where, schema);
    }
    if (isProto3Default(field, normalized)) continue;
    out[key] = normalized;
  }
  return out;
}
