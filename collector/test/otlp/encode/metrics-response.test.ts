import { decodeMetricsResponseProtobuf, parseMetricsResponseJson } from '../../../src/otlp/encode';
import {
  ProtobufWriter,
  WIRE_LEN,
  WIRE_VARINT,
  fieldTag,
} from '../../../src/otlp/encode/protobuf-writer';

/** An ExportMetricsServiceResponse as a collector writes it, plus an unknown field. */
function protobufResponse(rejected: number, message: string): Uint8Array {
  const writer = new ProtobufWriter();
  writer.tag(fieldTag(1, WIRE_LEN));
  const partial = writer.begin(64);
  writer.tag(fieldTag(1, WIRE_VARINT));
  writer.int64(rejected);
  writer.tag(fieldTag(2, WIRE_LEN));
  writer.string(message);
  writer.tag(fieldTag(9, WIRE_VARINT));
  writer.varint(1);
  writer.end(partial);
  writer.tag(fieldTag(7, WIRE_LEN));
  writer.string('from a newer proto');
  return writer.finish();
}

const json = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('decodeMetricsResponseProtobuf', () => {
  it('reads a partial success and skips fields it does not know', () => {
    expect(decodeMetricsResponseProtobuf(protobufResponse(3, 'dropped: bad unit'))).toEqual({
      partialSuccess: { rejectedDataPoints: 3, errorMessage: 'dropped: bad unit' },
    });
  });

  it('treats an empty body as full success', () => {
    expect(decodeMetricsResponseProtobuf(new Uint8Array(0))).toEqual({});
  });

  it('throws on a truncated body', () => {
    const bytes = protobufResponse(3, 'dropped');
    expect(() => decodeMetricsResponseProtobuf(bytes.subarray(0, 5))).toThrow(/truncated/);
  });
});

describe('parseMetricsResponseJson', () => {
  it('reads a partial success, with the count as a number or an int64 string', () => {
    const expected = { partialSuccess: { rejectedDataPoints: 2, errorMessage: 'nope' } };
    expect(
      parseMetricsResponseJson(
        json('{"partialSuccess":{"rejectedDataPoints":2,"errorMessage":"nope"}}'),
      ),
    ).toEqual(expected);
    expect(
      parseMetricsResponseJson(
        json('{"partialSuccess":{"rejectedDataPoints":"2","errorMessage":"nope"}}'),
      ),
    ).toEqual(expected);
  });

  it('treats an empty body or an empty object as full success', () => {
    expect(parseMetricsResponseJson(new Uint8Array(0))).toEqual({});
    expect(parseMetricsResponseJson(json('{}'))).toEqual({});
  });

  it('ignores fields of the wrong type instead of passing them on', () => {
    expect(
      parseMetricsResponseJson(
        json('{"partialSuccess":{"rejectedDataPoints":-1,"errorMessage":7}}'),
      ),
    ).toEqual({ partialSuccess: {} });
    expect(parseMetricsResponseJson(json('[1,2]'))).toEqual({});
  });

  it('throws on a body that is not JSON', () => {
    expect(() => parseMetricsResponseJson(json('<html>'))).toThrow(SyntaxError);
  });
});
