/**
 * Field keys (number and wire type) of the OTLP logs messages, checked against
 * opentelemetry-proto v1.x (`collector/logs/v1/logs_service.proto`, `logs/v1/logs.proto`,
 * `common/v1/common.proto`, `resource/v1/resource.proto`). Messages shared with metrics
 * (`KeyValue`, `AnyValue`, `Resource`, `InstrumentationScope`) extend the metrics table, so a
 * common field has one number in one place. Every number is below 16, so each key is one byte.
 */
import { OTLP_METRICS } from './otlp-fields';
import { WIRE_I64, WIRE_LEN, WIRE_VARINT, fieldTag } from './protobuf-writer';

/** Wire type of 4-byte fields (fixed32, sfixed32, float). */
export const WIRE_I32 = 5;

/** `ExportLogsServiceRequest` and its children, by message. */
export const OTLP_LOGS = {
  ExportLogsServiceRequest: {
    resourceLogs: fieldTag(1, WIRE_LEN),
  },
  ResourceLogs: {
    resource: fieldTag(1, WIRE_LEN),
    scopeLogs: fieldTag(2, WIRE_LEN),
    schemaUrl: fieldTag(3, WIRE_LEN),
  },
  ScopeLogs: {
    scope: fieldTag(1, WIRE_LEN),
    logRecords: fieldTag(2, WIRE_LEN),
    schemaUrl: fieldTag(3, WIRE_LEN),
  },
  LogRecord: {
    timeUnixNano: fieldTag(1, WIRE_I64),
    severityNumber: fieldTag(2, WIRE_VARINT),
    severityText: fieldTag(3, WIRE_LEN),
    body: fieldTag(5, WIRE_LEN),
    attributes: fieldTag(6, WIRE_LEN),
    droppedAttributesCount: fieldTag(7, WIRE_VARINT),
    /** fixed32, not a varint. */
    flags: fieldTag(8, WIRE_I32),
    traceId: fieldTag(9, WIRE_LEN),
    spanId: fieldTag(10, WIRE_LEN),
    observedTimeUnixNano: fieldTag(11, WIRE_I64),
    eventName: fieldTag(12, WIRE_LEN),
  },
  Resource: OTLP_METRICS.Resource,
  InstrumentationScope: {
    ...OTLP_METRICS.InstrumentationScope,
    attributes: fieldTag(3, WIRE_LEN),
    droppedAttributesCount: fieldTag(4, WIRE_VARINT),
  },
  KeyValue: OTLP_METRICS.KeyValue,
  AnyValue: {
    ...OTLP_METRICS.AnyValue,
    arrayValue: fieldTag(5, WIRE_LEN),
    kvlistValue: fieldTag(6, WIRE_LEN),
    bytesValue: fieldTag(7, WIRE_LEN),
  },
  /** `ArrayValue` and `KeyValueList` alike: `repeated … values = 1`. */
  ListValue: {
    values: fieldTag(1, WIRE_LEN),
  },
} as const;
