/**
 * `HrTime` (`[seconds, nanoseconds]`) as the unsigned Unix-nanosecond count OTLP carries,
 * computed exactly without BigInt: `seconds * 1e9` passes 2^53 for any date after 1970-04,
 * so the product is built from parts that stay below it. (JSON needs no product: its decimal
 * digits are the seconds' followed by nine of nanoseconds; see `LogsJsonWriter.hrTime`.)
 */
import type { HrTime } from '@opentelemetry/api';
import type { ProtobufWriter } from './protobuf-writer';

const NANOS_PER_SECOND = 1_000_000_000;
const TWO_POW_16 = 0x10000;
const TWO_POW_32 = 0x100000000;
/** 2^64 ns is 18,446,744,073 s and 709,551,616 ns (the year 2554). */
const MAX_SECONDS = 18_446_744_073;
const MAX_NANOS_AT_MAX_SECONDS = 709_551_615;

/**
 * The time with integer seconds and `0 <= nanos < 1e9` (the same array when it already is),
 * or undefined when it is no uint64 nanosecond count: negative, non-finite, or past 2^64.
 * Fractions are truncated, as the SDK's own conversion does.
 */
export function normalizeHrTime(time: HrTime): HrTime | undefined {
  let seconds = time[0];
  let nanos = time[1];
  // The SDK's own times: integers in range, returned as they are.
  if (
    seconds >= 0 &&
    seconds < MAX_SECONDS &&
    nanos >= 0 &&
    nanos < NANOS_PER_SECOND &&
    Number.isInteger(seconds) &&
    Number.isInteger(nanos)
  ) {
    return time;
  }
  seconds = Math.trunc(seconds);
  nanos = Math.trunc(nanos);
  const carry = Math.floor(nanos / NANOS_PER_SECOND);
  seconds += carry;
  nanos -= carry * NANOS_PER_SECOND;
  if (!(seconds >= 0 && seconds <= MAX_SECONDS)) return undefined;
  if (seconds === MAX_SECONDS && nanos > MAX_NANOS_AT_MAX_SECONDS) return undefined;
  return [seconds, nanos];
}

/**
 * Writes a normalized time as fixed64 nanoseconds. With `seconds = a * 2^16 + b`, the parts
 * `a * 1e9 < 2^49` and `b * 1e9 + nanos < 2^47` are exact doubles, and so is every step below;
 * `& 0xffff` takes the low 16 bits of any integer below 2^53.
 */
export function writeHrTimeFixed64(writer: ProtobufWriter, time: HrTime): void {
  const seconds = time[0];
  const b = seconds & 0xffff;
  const upper = ((seconds - b) / TWO_POW_16) * NANOS_PER_SECOND;
  const upperLow16 = upper & 0xffff;
  // upper * 2^16 split at bit 32: its low 16 bits land in the low word, the rest in the high.
  const low = upperLow16 * TWO_POW_16 + b * NANOS_PER_SECOND + time[1];
  const high = (upper - upperLow16) / TWO_POW_16 + Math.floor(low / TWO_POW_32);
  writer.fixed64Parts(low >>> 0, high >>> 0);
}
