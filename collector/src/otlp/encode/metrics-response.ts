/**
 * Reads the body of an OTLP/HTTP metrics response. A collector answers `{}` or an empty body
 * on full success, and `partial_success` when it dropped points. The body is external data:
 * anything not matching the schema is ignored, truncated protobuf throws.
 */
import type {
  IExportMetricsPartialSuccess,
  IExportMetricsServiceResponse,
} from '@opentelemetry/otlp-transformer';

import { WIRE_I64, WIRE_LEN, WIRE_VARINT } from './protobuf-writer';

const WIRE_I32 = 5;

/** A cursor over protobuf bytes; only what the response needs. */
class ProtobufReader {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** A varint as a number; bits above 2^53 lose precision, which a count can afford. */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.bytes[this.pos++];
      if (byte === undefined) throw new Error('OTLP response: truncated varint');
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new Error('OTLP response: varint longer than 10 bytes');
  }

  /** The body of a length-delimited field. */
  lengthDelimited(): Uint8Array {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.bytes.length) throw new Error('OTLP response: truncated field');
    const body = this.bytes.subarray(this.pos, end);
    this.pos = end;
    return body;
  }

  skip(wireType: number): void {
    if (wireType === WIRE_VARINT) this.varint();
    else if (wireType === WIRE_I64) this.advance(8);
    else if (wireType === WIRE_LEN) this.lengthDelimited();
    else if (wireType === WIRE_I32) this.advance(4);
    else throw new Error(`OTLP response: unsupported wire type ${wireType}`);
  }

  private advance(bytes: number): void {
    if (this.pos + bytes > this.bytes.length) throw new Error('OTLP response: truncated field');
    this.pos += bytes;
  }
}

function decodePartialSuccess(bytes: Uint8Array): IExportMetricsPartialSuccess {
  const reader = new ProtobufReader(bytes);
  const result: IExportMetricsPartialSuccess = {};
  while (!reader.done) {
    const key = reader.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (field === 1 && wireType === WIRE_VARINT) {
      // int64: a negative count would arrive as 2^64 - n; none is valid, so it is clamped.
      const rejected = reader.varint();
      result.rejectedDataPoints = rejected > Number.MAX_SAFE_INTEGER ? 0 : rejected;
    } else if (field === 2 && wireType === WIRE_LEN) {
      result.errorMessage = new TextDecoder().decode(reader.lengthDelimited());
    } else {
      reader.skip(wireType);
    }
  }
  return result;
}

/**
 * Decodes a protobuf `ExportMetricsServiceResponse` (`partial_success` = 1, holding
 * `rejected_data_points` = 1 and `error_message` = 2). An empty body is a full success.
 *
 * @throws Error when the bytes are truncated or malformed.
 */
export function decodeMetricsResponseProtobuf(data: Uint8Array): IExportMetricsServiceResponse {
  const reader = new ProtobufReader(data);
  const result: IExportMetricsServiceResponse = {};
  while (!reader.done) {
    const key = reader.varint();
    const wireType = key & 7;
    if (Math.floor(key / 8) === 1 && wireType === WIRE_LEN) {
      result.partialSuccess = decodePartialSuccess(reader.lengthDelimited());
    } else {
      reader.skip(wireType);
    }
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses an OTLP/HTTP JSON `ExportMetricsServiceResponse`. An empty body is a full success;
 * `rejectedDataPoints` may be a number or, as int64 in the JSON mapping, a decimal string.
 *
 * @throws SyntaxError when the body is not JSON.
 */
export function parseMetricsResponseJson(data: Uint8Array): IExportMetricsServiceResponse {
  if (data.length === 0) return {};
  const body: unknown = JSON.parse(new TextDecoder().decode(data));
  if (!isRecord(body) || !isRecord(body.partialSuccess)) return {};
  const raw = body.partialSuccess;
  const partialSuccess: IExportMetricsPartialSuccess = {};
  const rejected =
    typeof raw.rejectedDataPoints === 'string'
      ? Number(raw.rejectedDataPoints)
      : raw.rejectedDataPoints;
  if (typeof rejected === 'number' && Number.isSafeInteger(rejected) && rejected >= 0) {
    partialSuccess.rejectedDataPoints = rejected;
  }
  if (typeof raw.errorMessage === 'string') partialSuccess.errorMessage = raw.errorMessage;
  return { partialSuccess };
}
