import { unixNanosString } from '../../../src/otlp/encode/unix-nanos';

describe('unixNanosString', () => {
  it('formats whole milliseconds exactly, past the 2^53 limit of a nanosecond double', () => {
    expect(unixNanosString(1732800000123)).toBe('1732800000123000000');
    expect(unixNanosString(2 ** 42 + 1)).toBe('4398046511105000000');
  });

  it('rounds a fractional millisecond to the nearest nanosecond of its double', () => {
    expect(unixNanosString(1732800000123.5)).toBe('1732800000123500000');
    // The double nearest 1732800000123.456 is 1732800000123.4560546875.
    expect(unixNanosString(1732800000123.456)).toBe('1732800000123456055');
    expect(unixNanosString(0.000001)).toBe('1');
  });

  it('carries a fraction that rounds up to a whole millisecond', () => {
    expect(unixNanosString(0.9999999)).toBe('1000000');
    expect(unixNanosString(41.9999999)).toBe('42000000');
  });

  it('formats zero and sub-millisecond times without leading zeros', () => {
    expect(unixNanosString(0)).toBe('0');
    expect(unixNanosString(0.25)).toBe('250000');
  });
});
