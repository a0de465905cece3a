/**
 * Encodes SDK log records as an OTLP/HTTP JSON `ExportLogsServiceRequest`: the protobuf JSON
 * mapping with lowerCamelCase names, 64-bit integers as decimal strings and enums as numbers,
 * except that trace and span ids are hex strings, as the OTLP specification requires. Fields
 * at their proto3 default are left out; the content is the same as `encodeLogsProtobuf`'s.
 */
import type { HrTime } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { groupLogRecords } from './logs-group';
import type { ResourceLogGroup } from './logs-group';
import type { RequestFraming } from './request-framing';
import { SPAN_ID_HEX_LENGTH, TRACE_ID_HEX_LENGTH, isHexId } from './logs-ids';
import { resourceLogsJson, scopeLogsJson } from './logs-json-cache';
import { COMMA, LogsJsonWriter, ascii } from './logs-json-writer';
import { normalizeHrTime } from './logs-time';
import type { ScratchBuffer } from './scratch-buffer';

const REQUEST_OPEN = ascii('{"resourceLogs":[');
const REQUEST_CLOSE = ascii(']}');
const TIME = ascii('"timeUnixNano":');
const SEVERITY_NUMBER = ascii('"severityNumber":');
const SEVERITY_TEXT = ascii('"severityText":');
const BODY = ascii('"body":');
const DROPPED_ATTRIBUTES_COUNT = ascii('"droppedAttributesCount":');
const FLAGS = ascii('"flags":');
const TRACE_ID = ascii('"traceId":');
const SPAN_ID = ascii('"spanId":');
const OBSERVED_TIME = ascii('"observedTimeUnixNano":');
const EVENT_NAME = ascii('"eventName":');

/** A generous size of one record: a slow request with a trace takes about 1,000 bytes. */
const RECORD_GUESS = 1280;
const REQUEST_OVERHEAD = 2048;

/** A time field as quoted decimal nanoseconds; nothing at zero or for an impossible time. */
function writeTime(writer: LogsJsonWriter, name: Uint8Array, time: HrTime): void {
  const normalized = normalizeHrTime(time);
  if (normalized === undefined || (normalized[0] === 0 && normalized[1] === 0)) return;
  writer.field(name);
  writer.hrTime(normalized);
}

function writeLogRecord(writer: LogsJsonWriter, record: ReadableLogRecord): void {
  writer.ascii('{');
  writeTime(writer, TIME, record.hrTime);
  const severity = record.severityNumber;
  if (
    severity !== undefined &&
    severity !== SeverityNumber.UNSPECIFIED &&
    Number.isInteger(severity)
  ) {
    writer.field(SEVERITY_NUMBER);
    writer.ascii(String(severity));
  }
  if (record.severityText) {
    writer.field(SEVERITY_TEXT);
    writer.string(record.severityText);
  }
  if (record.body !== undefined) {
    writer.field(BODY);
    writer.anyValue(record.body);
  }
  writer.attributes(record.attributes);
  if (record.droppedAttributesCount > 0) {
    writer.field(DROPPED_ATTRIBUTES_COUNT);
    writer.ascii(String(record.droppedAttributesCount));
  }
  const span = record.spanContext;
  if (span !== undefined) {
    const flags = span.traceFlags & 0xff;
    if (flags !== 0) {
      writer.field(FLAGS);
      writer.ascii(String(flags));
    }
    if (isHexId(span.traceId, TRACE_ID_HEX_LENGTH)) {
      writer.field(TRACE_ID);
      writer.string(span.traceId.toLowerCase());
    }
    if (isHexId(span.spanId, SPAN_ID_HEX_LENGTH)) {
      writer.field(SPAN_ID);
      writer.string(span.spanId.toLowerCase());
    }
  }
  writeTime(writer, OBSERVED_TIME, record.hrTimeObserved);
  if (record.eventName) {
    writer.field(EVENT_NAME);
    writer.string(record.eventName);
  }
  writer.ascii('}');
}

/**
 * Encodes log records as an OTLP/JSON `ExportLogsServiceRequest`, grouped like
 * `encodeLogsProtobuf` and leaving out the same fields.
 *
 * @param scratch - a buffer to write over, for a caller whose exports never overlap.
 * @returns a view on a buffer owned by the caller from now on.
 */
export function encodeLogsJson(
  records: readonly ReadableLogRecord[],
  scratch?: ScratchBuffer,
): Uint8Array {
  const writer = new LogsJsonWriter(
    REQUEST_OVERHEAD + records.length * RECORD_GUESS,
    scratch?.buffer,
  );
  writer.raw(REQUEST_OPEN);
  let firstResource = true;
  for (const group of groupLogRecords(records)) {
    if (!firstResource) writer.byte(COMMA);
    firstResource = false;
    writeResourceLogs(writer, group);
  }
  writer.raw(REQUEST_CLOSE);
  if (scratch) scratch.buffer = writer.buffer;
  return writer.finish();
}

/** One `ResourceLogs` object with one `ScopeLogs` per scope. Returns the records written. */
function writeResourceLogs(writer: LogsJsonWriter, [resource, scopes]: ResourceLogGroup): number {
  const resourceJson = resourceLogsJson(resource);
  writer.raw(resourceJson.open);
  let firstScope = true;
  let count = 0;
  for (const [scope, group] of scopes) {
    if (!firstScope) writer.byte(COMMA);
    firstScope = false;
    const scopeJson = scopeLogsJson(scope);
    writer.raw(scopeJson.open);
    for (let i = 0; i < group.length; i++) {
      if (i > 0) writer.byte(COMMA);
      writeLogRecord(writer, group[i] as ReadableLogRecord);
    }
    writer.raw(scopeJson.close);
    count += group.length;
  }
  writer.raw(resourceJson.close);
  return count;
}

/**
 * JSON logs requests: `{"resourceLogs":[` and `]}` around the resources, commas between them;
 * byte for byte what `encodeLogsJson` writes for the same records.
 */
export const LOGS_JSON_FRAMING: RequestFraming<ResourceLogGroup, LogsJsonWriter> = {
  open: REQUEST_OPEN,
  separator: ascii(','),
  close: REQUEST_CLOSE,
  createWriter: (capacity, reuse) => new LogsJsonWriter(capacity, reuse),
  write: writeResourceLogs,
};
