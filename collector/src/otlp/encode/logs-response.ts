/**
 * Reads the body of an OTLP/HTTP logs response: `{}` or an empty body on full success,
 * `partial_success` when the backend dropped records. The body is external data: anything not
 * matching the schema is ignored, and malformed protobuf or JSON throws.
 */
import type {
  IExportLogsPartialSuccess,
  IExportLogsServiceResponse,
} from '@opentelemetry/otlp-transformer';
import { decodeMetricsResponseProtobuf } from './metrics-response';

/**
 * Decodes a protobuf `ExportLogsServiceResponse` (`partial_success` = 1, holding
 * `rejected_log_records` = 1 and `error_message` = 2). On the wire it is the metrics response
 * with the count renamed, field for field, so the metrics reader does the decoding.
 *
 * @throws Error when the bytes are truncated or malformed.
 */
export function decodeLogsResponseProtobuf(data: Uint8Array): IExportLogsServiceResponse {
  const { partialSuccess } = decodeMetricsResponseProtobuf(data);
  if (partialSuccess === undefined) return {};
  const result: IExportLogsPartialSuccess = {};
  if (partialSuccess.rejectedDataPoints !== undefined) {
    result.rejectedLogRecords = partialSuccess.rejectedDataPoints;
  }
  if (partialSuccess.errorMessage !== undefined) result.errorMessage = partialSuccess.errorMessage;
  return { partialSuccess: result };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses an OTLP/HTTP JSON `ExportLogsServiceResponse`. An empty body is a full success;
 * `rejectedLogRecords` may be a number or, as int64 in the JSON mapping, a decimal string.
 *
 * @throws SyntaxError when the body is not JSON.
 */
export function parseLogsResponseJson(data: Uint8Array): IExportLogsServiceResponse {
  if (data.length === 0) return {};
  const body: unknown = JSON.parse(new TextDecoder().decode(data));
  if (!isRecord(body) || !isRecord(body.partialSuccess)) return {};
  const raw = body.partialSuccess;
  const partialSuccess: IExportLogsPartialSuccess = {};
  const rejected =
    typeof raw.rejectedLogRecords === 'string'
      ? Number(raw.rejectedLogRecords)
      : raw.rejectedLogRecords;
  if (typeof rejected === 'number' && Number.isSafeInteger(rejected) && rejected >= 0) {
    partialSuccess.rejectedLogRecords = rejected;
  }
  if (typeof raw.errorMessage === 'string') partialSuccess.errorMessage = raw.errorMessage;
  return { partialSuccess };
}
