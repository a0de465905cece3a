/**
 * Field tables of the OTLP metrics messages, typed from opentelemetry-proto v1.x. The test
 * decoder and JSON normaliser read them, so a field number the encoder gets wrong surfaces as
 * an unknown field instead of silently decoding into the wrong place. Names are the proto
 * JSON names, so a decoded protobuf tree and an OTLP/JSON body have the same shape.
 */

/** How a field travels and how the test tree holds it. */
export type FieldType =
  | 'string'
  | 'bool'
  | 'enum'
  | 'uint32'
  /** 64-bit integers are held as decimal strings, as OTLP/JSON writes them. */
  | 'int64'
  | 'fixed64'
  | 'sfixed64'
  | 'double'
  | 'packedFixed64'
  | 'packedDouble';

/**
 * Scalar types only the logs messages use. They are kept out of {@link FieldType} so code that
 * handles every metrics type stays exhaustive; schemas that need them say so in their type.
 */
export type LogsFieldType =
  | 'fixed32'
  /** Held as lowercase hex. OTLP/JSON writes base64, or hex where {@link FieldSpec.hex} says. */
  | 'bytes';

/** Every scalar type a schema can use. */
export type AnyFieldType = FieldType | LogsFieldType;

/** One field of a message. */
export interface FieldSpec<T extends AnyFieldType = FieldType> {
  readonly name: string;
  /** A scalar type, or the name of a message in the same schema. */
  readonly type: T | { readonly message: string };
  readonly repeated?: boolean;
  /** Oneof members and `optional` fields: a zero value is still a value. */
  readonly presence?: boolean;
  /** `bytes` that OTLP/JSON writes as hex rather than base64: trace and span ids. */
  readonly hex?: boolean;
}

/** Fields by number, per message name. */
export type Schema<T extends AnyFieldType = FieldType> = Readonly<
  Record<string, Readonly<Record<number, FieldSpec<T>>>>
>;

const msg = (message: string) => ({ message });
const attributes = (field: number) => ({
  [field]: { name: 'attributes', type: msg('KeyValue'), repeated: true },
});

/** ExportMetricsServiceRequest/Response and everything they hold, minus exemplars. */
export const OTLP_METRICS_SCHEMA: Schema = {
  ExportMetricsServiceRequest: {
    1: { name: 'resourceMetrics', type: msg('ResourceMetrics'), repeated: true },
  },
  ExportMetricsServiceResponse: {
    1: { name: 'partialSuccess', type: msg('ExportMetricsPartialSuccess') },
  },
  ExportMetricsPartialSuccess: {
    1: { name: 'rejectedDataPoints', type: 'int64' },
    2: { name: 'errorMessage', type: 'string' },
  },
  ResourceMetrics: {
    1: { name: 'resource', type: msg('Resource') },
    2: { name: 'scopeMetrics', type: msg('ScopeMetrics'), repeated: true },
    3: { name: 'schemaUrl', type: 'string' },
  },
  Resource: {
    ...attributes(1),
    2: { name: 'droppedAttributesCount', type: 'uint32' },
  },
  ScopeMetrics: {
    1: { name: 'scope', type: msg('InstrumentationScope') },
    2: { name: 'metrics', type: msg('Metric'), repeated: true },
    3: { name: 'schemaUrl', type: 'string' },
  },
  InstrumentationScope: {
    1: { name: 'name', type: 'string' },
    2: { name: 'version', type: 'string' },
    ...attributes(3),
    4: { name: 'droppedAttributesCount', type: 'uint32' },
  },
  Metric: {
    1: { name: 'name', type: 'string' },
    2: { name: 'description', type: 'string' },
    3: { name: 'unit', type: 'string' },
    5: { name: 'gauge', type: msg('Gauge') },
    7: { name: 'sum', type: msg('Sum') },
    9: { name: 'histogram', type: msg('Histogram') },
  },
  Gauge: {
    1: { name: 'dataPoints', type: msg('NumberDataPoint'), repeated: true },
  },
  Sum: {
    1: { name: 'dataPoints', type: msg('NumberDataPoint'), repeated: true },
    2: { name: 'aggregationTemporality', type: 'enum' },
    3: { name: 'isMonotonic', type: 'bool' },
  },
  Histogram: {
    1: { name: 'dataPoints', type: msg('HistogramDataPoint'), repeated: true },
    2: { name: 'aggregationTemporality', type: 'enum' },
  },
  NumberDataPoint: {
    2: { name: 'startTimeUnixNano', type: 'fixed64' },
    3: { name: 'timeUnixNano', type: 'fixed64' },
    4: { name: 'asDouble', type: 'double', presence: true },
    6: { name: 'asInt', type: 'sfixed64', presence: true },
    ...attributes(7),
    8: { name: 'flags', type: 'uint32' },
  },
  HistogramDataPoint: {
    2: { name: 'startTimeUnixNano', type: 'fixed64' },
    3: { name: 'timeUnixNano', type: 'fixed64' },
    4: { name: 'count', type: 'fixed64' },
    5: { name: 'sum', type: 'double', presence: true },
    6: { name: 'bucketCounts', type: 'packedFixed64' },
    7: { name: 'explicitBounds', type: 'packedDouble' },
    ...attributes(9),
    10: { name: 'flags', type: 'uint32' },
    11: { name: 'min', type: 'double', presence: true },
    12: { name: 'max', type: 'double', presence: true },
  },
  KeyValue: {
    1: { name: 'key', type: 'string' },
    2: { name: 'value', type: msg('AnyValue') },
  },
  AnyValue: {
    1: { name: 'stringValue', type: 'string', presence: true },
    2: { name: 'boolValue', type: 'bool', presence: true },
    3: { name: 'intValue', type: 'int64', presence: true },
    4: { name: 'doubleValue', type: 'double', presence: true },
  },
};

/** A message both signals use, taken from the metrics schema so its numbers live in one place. */
function sharedMessage(name: string): Schema[string] {
  const message = OTLP_METRICS_SCHEMA[name];
  if (message === undefined) throw new Error(`metrics schema has no message ${name}`);
  return message;
}

/**
 * ExportLogsServiceRequest/Response and everything they hold, typed from opentelemetry-proto
 * v1.x (`logs/v1/logs.proto`, `collector/logs/v1/logs_service.proto`), with the full
 * `AnyValue`: log bodies and attributes may hold bytes, arrays and maps.
 */
export const OTLP_LOGS_SCHEMA: Schema<AnyFieldType> = {
  ExportLogsServiceRequest: {
    1: { name: 'resourceLogs', type: msg('ResourceLogs'), repeated: true },
  },
  ExportLogsServiceResponse: {
    1: { name: 'partialSuccess', type: msg('ExportLogsPartialSuccess') },
  },
  ExportLogsPartialSuccess: {
    1: { name: 'rejectedLogRecords', type: 'int64' },
    2: { name: 'errorMessage', type: 'string' },
  },
  ResourceLogs: {
    1: { name: 'resource', type: msg('Resource') },
    2: { name: 'scopeLogs', type: msg('ScopeLogs'), repeated: true },
    3: { name: 'schemaUrl', type: 'string' },
  },
  ScopeLogs: {
    1: { name: 'scope', type: msg('InstrumentationScope') },
    2: { name: 'logRecords', type: msg('LogRecord'), repeated: true },
    3: { name: 'schemaUrl', type: 'string' },
  },
  LogRecord: {
    1: { name: 'timeUnixNano', type: 'fixed64' },
    11: { name: 'observedTimeUnixNano', type: 'fixed64' },
    2: { name: 'severityNumber', type: 'enum' },
    3: { name: 'severityText', type: 'string' },
    5: { name: 'body', type: msg('AnyValue') },
    ...attributes(6),
    7: { name: 'droppedAttributesCount', type: 'uint32' },
    8: { name: 'flags', type: 'fixed32' },
    9: { name: 'traceId', type: 'bytes', hex: true },
    10: { name: 'spanId', type: 'bytes', hex: true },
    12: { name: 'eventName', type: 'string' },
  },
  Resource: sharedMessage('Resource'),
  InstrumentationScope: sharedMessage('InstrumentationScope'),
  KeyValue: sharedMessage('KeyValue'),
  AnyValue: {
    ...sharedMessage('AnyValue'),
    5: { name: 'arrayValue', type: msg('ArrayValue'), presence: true },
    6: { name: 'kvlistValue', type: msg('KeyValueList'), presence: true },
    7: { name: 'bytesValue', type: 'bytes', presence: true },
  },
  ArrayValue: {
    1: { name: 'values', type: msg('AnyValue'), repeated: true },
  },
  KeyValueList: {
    1: { name: 'values', type: msg('KeyValue'), repeated: true },
  },
};

/** The field of `message` called `name` in the JSON mapping. */
export function fieldByName<T extends AnyFieldType>(
  schema: Schema<T>,
  message: string,
  name: string,
): FieldSpec<T> | undefined {
  const fields = schema[message];
  if (fields === undefined) throw new Error(`schema has no message ${message}`);
  return Object.values(fields).find((field) => field.name === name);
}

/** A decoded field value: 64-bit integers as decimal strings, messages as plain objects. */
export type DecodedValue = string | number | boolean | DecodedMessage | DecodedValue[];

/** A decoded message, keyed by proto JSON field name. */
export interface DecodedMessage {
  [name: string]: DecodedValue;
}

/**
 * Whether a scalar holds its proto3 default, which is the same message as leaving the field
 * out. Fields with presence and message fields never count as default.
 */
export function isProto3Default(field: FieldSpec<AnyFieldType>, value: DecodedValue): boolean {
  if (field.presence === true || typeof field.type === 'object') return false;
  if (Array.isArray(value)) return value.length === 0;
  return value === '' || value === 0 || value === '0' || value === false;
}

/**
 * Walks a decoded tree by field names and list indexes, e.g.
 * `at(request, 'resourceMetrics', 0, 'resource')`.
 *
 * @throws Error naming the step that is missing.
 */
export function at(value: DecodedValue, ...path: Array<string | number>): DecodedValue {
  let current: DecodedValue | undefined = value;
  for (const step of path) {
    if (typeof step === 'number') {
      current = Array.isArray(current) ? current[step] : undefined;
    } else if (typeof current === 'object' && !Array.isArray(current)) {
      current = current[step];
    } else {
      current = undefined;
    }
    if (current === undefined) throw new Error(`no ${path.join('.')} (missing at ${step})`);
  }
  return current;
}

/** Number of items of a repeated field, 0 when the field is absent. */
export function countOf(message: DecodedValue, field: string): number {
  if (typeof message !== 'object' || Array.isArray(message)) throw new Error('not a message');
  const list = message[field];
  return Array.isArray(list) ? list.length : 0;
}
