import {
  ProtobufWriter,
  encodeStringField,
  fieldTag,
  varintSize,
} from '../../../src/otlp/encode/protobuf-writer';

function hex(write: (writer: ProtobufWriter) => void, initialCapacity?: number): string {
  const writer = new ProtobufWriter(initialCapacity);
  write(writer);
  return Buffer.from(writer.finish()).toString('hex');
}

describe('ProtobufWriter', () => {
  it('writes varints in their shortest form on both sides of every byte boundary', () => {
    const cases: Array<[number, string]> = [
      [0, '00'],
      [1, '01'],
      [127, '7f'],
      [128, '8001'],
      [300, 'ac02'],
      [16_383, 'ff7f'],
      [16_384, '808001'],
      [2 ** 32 - 1, 'ffffffff0f'],
      [2 ** 32, '8080808010'],
      [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f'],
    ];
    for (const [value, expected] of cases) {
      expect(hex((w) => w.varint(value))).toBe(expected);
      expect(varintSize(value)).toBe(expected.length / 2);
    }
  });

  it('writes negative int64 as ten-byte two’s complement varints', () => {
    expect(hex((w) => w.int64(-1))).toBe('ffffffffffffffffff01');
    expect(hex((w) => w.int64(-(2 ** 63)))).toBe('80808080808080808001');
    expect(hex((w) => w.int64(2 ** 60))).toBe('808080808080808010');
    expect(hex((w) => w.int64(5))).toBe('05');
  });

  it('writes fixed64, sfixed64 and doubles little-endian', () => {
    expect(hex((w) => w.fixed64(2 ** 32 + 2))).toBe('0200000001000000');
    expect(hex((w) => w.sfixed64(-1))).toBe('ffffffffffffffff');
    expect(hex((w) => w.sfixed64(-(2 ** 32)))).toBe('00000000ffffffff');
    expect(hex((w) => w.sfixed64(2 ** 53 - 1))).toBe('ffffffffffff1f00');
    expect(hex((w) => w.double(1))).toBe('000000000000f03f');
  });

  it('converts epoch milliseconds to exact fixed64 nanoseconds', () => {
    const nanos = (ms: number): string => {
      const writer = new ProtobufWriter();
      writer.unixNanosFromMs(ms);
      return Buffer.from(writer.finish()).readBigUInt64LE(0).toString();
    };
    expect(nanos(1732800000123)).toBe('1732800000123000000');
    expect(nanos(0)).toBe('0');
    expect(nanos(4_294_967_296_001)).toBe('4294967296001000000');
    expect(nanos(1732800000123.25)).toBe('1732800000123250000');
    // The last conversion is cached: a different time after it must not reuse it.
    const writer = new ProtobufWriter();
    writer.unixNanosFromMs(1);
    writer.unixNanosFromMs(1);
    writer.unixNanosFromMs(2);
    expect(Buffer.from(writer.finish()).toString('hex')).toBe(
      '40420f000000000040420f000000000080841e0000000000',
    );
  });

  it('writes strings as UTF-8 with their byte length, not their UTF-16 length', () => {
    expect(hex((w) => w.string(''))).toBe('00');
    expect(hex((w) => w.string('abc'))).toBe('03616263');
    expect(hex((w) => w.string('é'))).toBe('02c3a9');
    expect(hex((w) => w.string('🚀'))).toBe('04f09f9a80');
    const long = 'é'.repeat(100);
    expect(hex((w) => w.string(long))).toBe(`c801${'c3a9'.repeat(100)}`);
  });

  it('pre-encodes a string field with its key', () => {
    expect(Buffer.from(encodeStringField(fieldTag(1, 2), 'k')).toString('hex')).toBe('0a016b');
    expect(fieldTag(12, 1)).toBe(0x61);
  });

  it('writes canonical lengths whether the size guess was too small or too large', () => {
    const body = 'x'.repeat(200);
    const tooSmall = hex((w) => {
      const mark = w.begin(1);
      w.string(body);
      w.end(mark);
    });
    expect(tooSmall).toBe(`ca01c801${Buffer.from(body).toString('hex')}`);
    const tooLarge = hex((w) => {
      const mark = w.begin(100_000);
      w.string('hi');
      w.end(mark);
    });
    expect(tooLarge).toBe('03026869');
    const nested = hex((w) => {
      const outer = w.begin(10);
      const inner = w.begin(1_000_000);
      w.byte(0x2a);
      w.end(inner);
      w.end(outer);
    });
    expect(nested).toBe('02012a');
  });

  it('grows its buffer past the initial capacity without losing bytes', () => {
    const writer = new ProtobufWriter(64);
    const mark = writer.begin(1);
    for (let i = 0; i < 100_000; i++) writer.varint(i % 128);
    writer.end(mark);
    const bytes = writer.finish();
    expect(bytes.length).toBe(3 + 100_000);
    expect(Buffer.from(bytes.subarray(0, 3)).toString('hex')).toBe('a08d06');
    expect(bytes[3 + 99_999]).toBe(99_999 % 128);
  });
});
