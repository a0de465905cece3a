/**
 * Trace and span ids arrive as hex strings; OTLP wants 16 and 8 raw bytes in protobuf and the
 * same hex in JSON. An id of the wrong length would make a backend reject the whole request
 * (the Go collector refuses a `trace_id` that is not 16 bytes), so one that is not well-formed
 * hex of the right length is left out of the record instead.
 */

/** Hex digits of a trace id (16 bytes). */
export const TRACE_ID_HEX_LENGTH = 32;
/** Hex digits of a span id (8 bytes). */
export const SPAN_ID_HEX_LENGTH = 16;

/** Value of one hex digit, or -1 for any other character. */
export function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30; // 0-9
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x57; // a-f, A-F
  return -1;
}

/** Whether `value` is exactly `hexLength` hex digits, either case. */
export function isHexId(value: unknown, hexLength: number): value is string {
  if (typeof value !== 'string' || value.length !== hexLength) return false;
  for (let i = 0; i < hexLength; i++) {
    if (hexDigit(value.charCodeAt(i)) < 0) return false;
  }
  return true;
}
