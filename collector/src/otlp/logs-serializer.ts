/**
 * Plugs the hand-written log encoders into the OTel exporter machinery: the objects below
 * satisfy otlp-transformer's `ISerializer`, as the stock `ProtobufLogsSerializer` and
 * `JsonLogsSerializer` do, so `createOtlpHttpExportDelegate` sends our bytes.
 */
import type { IExportLogsServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  decodeLogsResponseProtobuf,
  encodeLogsJson,
  encodeLogsProtobuf,
  parseLogsResponseJson,
} from './encode';
import type { ScratchBuffer } from './encode/scratch-buffer';

/** The OTLP/HTTP encodings the log exporter can send. */
export type LogsHttpProtocol = 'http/protobuf' | 'http/json';

/** Serializer of one export's records, and reader of the backend's answer. */
export type LogRecordsSerializer = ISerializer<ReadableLogRecord[], IExportLogsServiceResponse>;

/** Options of {@link createLogRecordsSerializer}. */
export interface LogRecordsSerializerOptions {
  /**
   * Write each request over the previous one's buffer. Only for a caller that never
   * serializes again before the previous request was sent, retries included.
   * @default false
   */
  readonly reuseBuffer?: boolean;
}

/**
 * The serializer for an OTLP/HTTP protocol. `deserializeResponse` throws on a malformed body;
 * the export delegate logs that and still counts the export as done.
 */
export function createLogRecordsSerializer(
  protocol: LogsHttpProtocol,
  options: LogRecordsSerializerOptions = {},
): LogRecordsSerializer {
  const scratch: ScratchBuffer | undefined = options.reuseBuffer
    ? { buffer: undefined }
    : undefined;
  return protocol === 'http/json'
    ? {
        serializeRequest: (records) => encodeLogsJson(records, scratch),
        deserializeResponse: parseLogsResponseJson,
      }
    : {
        serializeRequest: (records) => encodeLogsProtobuf(records, scratch),
        deserializeResponse: decodeLogsResponseProtobuf,
      };
}
