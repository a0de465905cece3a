import type { HrTime } from '@opentelemetry/api';
import { LogsJsonWriter } from '../../../src/otlp/encode/logs-json-writer';
import { normalizeHrTime, writeHrTimeFixed64 } from '../../../src/otlp/encode/logs-time';
import { ProtobufWriter } from '../../../src/otlp/encode/protobuf-writer';

const exact = ([seconds, nanos]: HrTime): bigint =>
  BigInt(seconds) * 1_000_000_000n + BigInt(nanos);

function fixed64(time: HrTime): bigint {
  const writer = new ProtobufWriter(16);
  writeHrTimeFixed64(writer, time);
  const bytes = writer.finish();
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
}

/** Times around every carry the split arithmetic has: 2^16 s, 2^32 ns, 2^53 ns, 2^64 ns. */
const EDGES: HrTime[] = [
  [0, 1],
  [0, 999_999_999],
  [4, 294_967_295],
  [4, 294_967_296],
  [65_535, 999_999_999],
  [65_536, 0],
  [9_007_199, 254_740_993],
  [1_700_000_000, 123_456_789],
  [4_294_967_295, 999_999_999],
  [4_294_967_296, 0],
  [18_446_744_073, 709_551_615],
];

describe('HrTime to Unix nanoseconds', () => {
  it('writes fixed64 nanoseconds exactly at every carry boundary', () => {
    for (const time of EDGES) expect([time, fixed64(time)]).toEqual([time, exact(time)]);
  });

  it('writes fixed64 nanoseconds exactly across a sweep of seconds and nanoseconds', () => {
    for (let seconds = 1; seconds < 18_446_744_073; seconds = Math.floor(seconds * 1.37) + 11) {
      for (const nanos of [0, 1, 65_535, 500_000_000, 999_999_999]) {
        expect(fixed64([seconds, nanos])).toBe(exact([seconds, nanos]));
      }
    }
  });

  it('formats decimal nanoseconds with every digit, for JSON', () => {
    const writer = new LogsJsonWriter(64);
    for (const time of [...EDGES, [1, 0] as HrTime, [1_700_000_000, 5] as HrTime]) {
      writer.pos = 0;
      writer.hrTime(time);
      expect(Buffer.from(writer.finish()).toString()).toBe(`"${exact(time)}"`);
    }
  });

  it('carries nanoseconds outside 0..1e9 into seconds and truncates fractions', () => {
    expect(normalizeHrTime([5, 1_500_000_000])).toEqual([6, 500_000_000]);
    expect(normalizeHrTime([5, -1])).toEqual([4, 999_999_999]);
    expect(normalizeHrTime([5.9, 7.5])).toEqual([5, 7]);
    const time: HrTime = [1, 2];
    expect(normalizeHrTime(time)).toBe(time);
  });

  it('rejects times that are no uint64 nanosecond count', () => {
    expect(normalizeHrTime([-1, 0])).toBeUndefined();
    expect(normalizeHrTime([0, -1])).toBeUndefined();
    expect(normalizeHrTime([18_446_744_073, 709_551_616])).toBeUndefined();
    expect(normalizeHrTime([Number.NaN, 0])).toBeUndefined();
    expect(normalizeHrTime([Infinity, 0])).toBeUndefined();
  });
});
