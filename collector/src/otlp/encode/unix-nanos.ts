/**
 * Epoch milliseconds to the decimal Unix-nanosecond strings OTLP/JSON uses for fixed64 times.
 * The protobuf writer does the same conversion to binary in `ProtobufWriter.unixNanosFromMs`.
 */

const NANOS_PER_MS = 1_000_000;

/**
 * Formats epoch ms as Unix nanoseconds, e.g. `1732800000123` → `"1732800000123000000"`.
 * Integer ms are exact (ms * 1e6 would not be: it passes 2^53); a fractional part is rounded
 * to the nearest nanosecond. Needs finite `ms >= 0`.
 */
export function unixNanosString(ms: number): string {
  let wholeMs = Math.floor(ms);
  // Exact: the fraction of a double and its product with 1e6 both fit the mantissa.
  let subMsNanos = Math.round((ms - wholeMs) * NANOS_PER_MS);
  if (subMsNanos === NANOS_PER_MS) {
    wholeMs += 1;
    subMsNanos = 0;
  }
  if (wholeMs === 0) return String(subMsNanos);
  // Digits of whole ms followed by six digits of nanoseconds: no 64-bit arithmetic needed.
  return String(wholeMs) + String(subMsNanos).padStart(6, '0');
}
