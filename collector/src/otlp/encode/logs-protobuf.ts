/**
 * Encodes SDK log records straight to an OTLP `ExportLogsServiceRequest` in protobuf, the
 * bytes the stock `ProtobufLogsSerializer` would send (up to proto3 defaults, which this
 * encoder leaves out as canonical encoders do). Resources and scopes are encoded once per
 * object and copied (see `logs-protobuf-cache.ts`); only each record's own fields are written.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { OTLP_LOGS } from './logs-fields';
import { groupLogRecords } from './logs-group';
import type { ResourceLogGroup } from './logs-group';
import type { RequestFraming } from './request-framing';
import { SPAN_ID_HEX_LENGTH, TRACE_ID_HEX_LENGTH, isHexId } from './logs-ids';
import { resourceLogsBytes, scopeLogsBytes } from './logs-protobuf-cache';
import { LogsProtobufWriter } from './logs-protobuf-writer';
import type { ScratchBuffer } from './scratch-buffer';

const { ExportLogsServiceRequest, ResourceLogs, ScopeLogs, LogRecord } = OTLP_LOGS;

/**
 * A generous size of one record (a slow request with a trace takes about 390 bytes): it sizes
 * the first allocation and the length prefixes (see `ProtobufWriter.begin`). A short guess
 * costs one growth of the buffer, or one move of a body.
 */
const RECORD_GUESS = 512;
const REQUEST_OVERHEAD = 1024;
const BODY_GUESS = 96;

function writeLogRecord(writer: LogsProtobufWriter, record: ReadableLogRecord): void {
  writer.byte(ScopeLogs.logRecords);
  const body = writer.begin(RECORD_GUESS);
  writer.hrTime(LogRecord.timeUnixNano, record.hrTime);
  const severity = record.severityNumber;
  if (
    severity !== undefined &&
    severity !== SeverityNumber.UNSPECIFIED &&
    Number.isInteger(severity)
  ) {
    writer.byte(LogRecord.severityNumber);
    // An enum is an int32 varint: int64 gives a (never expected) negative its ten bytes.
    writer.int64(severity);
  }
  if (record.severityText) {
    writer.byte(LogRecord.severityText);
    writer.string(record.severityText);
  }
  // Unlike other fields, a null body is still a body: an empty AnyValue, as the stock writes.
  if (record.body !== undefined) {
    writer.byte(LogRecord.body);
    const value = writer.begin(BODY_GUESS);
    writer.anyValue(record.body);
    writer.end(value);
  }
  writer.attributes(LogRecord.attributes, record.attributes);
  if (record.droppedAttributesCount > 0) {
    writer.byte(LogRecord.droppedAttributesCount);
    writer.varint(record.droppedAttributesCount);
  }
  const span = record.spanContext;
  if (span !== undefined) {
    // Bits 0-7 are the W3C trace flags; the proto reserves the rest, which must be zero.
    const flags = span.traceFlags & 0xff;
    if (flags !== 0) {
      writer.byte(LogRecord.flags);
      writer.fixed32(flags);
    }
    if (isHexId(span.traceId, TRACE_ID_HEX_LENGTH)) {
      writer.byte(LogRecord.traceId);
      writer.hexBytes(span.traceId);
    }
    if (isHexId(span.spanId, SPAN_ID_HEX_LENGTH)) {
      writer.byte(LogRecord.spanId);
      writer.hexBytes(span.spanId);
    }
  }
  writer.hrTime(LogRecord.observedTimeUnixNano, record.hrTimeObserved);
  if (record.eventName) {
    writer.byte(LogRecord.eventName);
    writer.string(record.eventName);
  }
  writer.end(body);
}

/**
 * Encodes log records as a protobuf `ExportLogsServiceRequest`: one `ResourceLogs` per
 * resource and one `ScopeLogs` per scope within it, by object identity and in order of first
 * appearance, as the OTel JS transformer groups them.
 *
 * Leaves out, where the stock serializer writes them: fields at their proto3 default (zero
 * times, `dropped_attributes_count` 0, an empty scope name), and trace or span ids that are not
 * hex of the right length.
 *
 * @param scratch - a buffer to write over, for a caller whose exports never overlap.
 * @returns a view on a buffer owned by the caller from now on.
 */
export function encodeLogsProtobuf(
  records: readonly ReadableLogRecord[],
  scratch?: ScratchBuffer,
): Uint8Array {
  const writer = new LogsProtobufWriter(
    REQUEST_OVERHEAD + records.length * RECORD_GUESS,
    scratch?.buffer,
  );
  for (const group of groupLogRecords(records)) writeResourceLogs(writer, group);
  if (scratch) scratch.buffer = writer.buffer;
  return writer.finish();
}

/** One `resource_logs` field: the resource, and one `ScopeLogs` per scope. Returns the records. */
function writeResourceLogs(
  writer: LogsProtobufWriter,
  [resource, scopes]: ResourceLogGroup,
): number {
  const resourceBytes = resourceLogsBytes(resource);
  let count = 0;
  for (const group of scopes.values()) count += group.length;
  writer.byte(ExportLogsServiceRequest.resourceLogs);
  const resourceLogs = writer.begin(resourceBytes.head.length + count * RECORD_GUESS);
  writer.raw(resourceBytes.head);
  for (const [scope, group] of scopes) {
    const scopeBytes = scopeLogsBytes(scope);
    writer.byte(ResourceLogs.scopeLogs);
    const scopeLogs = writer.begin(scopeBytes.head.length + group.length * RECORD_GUESS);
    writer.raw(scopeBytes.head);
    for (const record of group) writeLogRecord(writer, record);
    writer.raw(scopeBytes.tail);
    writer.end(scopeLogs);
  }
  writer.raw(resourceBytes.tail);
  writer.end(resourceLogs);
  return count;
}

const NONE = new Uint8Array(0);

/**
 * Protobuf logs requests: the concatenation of their `resource_logs` fields, byte for byte what
 * `encodeLogsProtobuf` writes for the same records.
 */
export const LOGS_PROTOBUF_FRAMING: RequestFraming<ResourceLogGroup, LogsProtobufWriter> = {
  open: NONE,
  separator: NONE,
  close: NONE,
  createWriter: (capacity, reuse) => new LogsProtobufWriter(capacity, reuse),
  write: writeResourceLogs,
};
