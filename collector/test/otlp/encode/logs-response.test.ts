import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { decodeLogsResponseProtobuf, parseLogsResponseJson } from '../../../src/otlp/encode';
import {
  ProtobufWriter,
  WIRE_LEN,
  WIRE_VARINT,
  fieldTag,
} from '../../../src/otlp/encode/protobuf-writer';

/** An ExportLogsServiceResponse as a collector writes it, plus unknown fields. */
function protobufResponse(partial: { rejected?: number; message?: string }): Uint8Array {
  const writer = new ProtobufWriter();
  writer.tag(fieldTag(1, WIRE_LEN));
  const body = writer.begin(64);
  if (partial.rejected !== undefined) {
    writer.tag(fieldTag(1, WIRE_VARINT));
    writer.int64(partial.rejected);
  }
  if (partial.message !== undefined) {
    writer.tag(fieldTag(2, WIRE_LEN));
    writer.string(partial.message);
  }
  writer.tag(fieldTag(9, WIRE_VARINT));
  writer.varint(1);
  writer.end(body);
  writer.tag(fieldTag(7, WIRE_LEN));
  writer.string('from a newer proto');
  return writer.finish();
}

const json = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('decodeLogsResponseProtobuf', () => {
  it('reads a partial success as the stock deserializer does, skipping unknown fields', () => {
    const body = protobufResponse({ rejected: 3, message: 'dropped: too large' });
    expect(decodeLogsResponseProtobuf(body)).toEqual({
      partialSuccess: { rejectedLogRecords: 3, errorMessage: 'dropped: too large' },
    });
    expect(decodeLogsResponseProtobuf(body)).toEqual(
      ProtobufLogsSerializer.deserializeResponse(body),
    );
  });

  it('keeps a partial success that carries only a message, or nothing', () => {
    expect(decodeLogsResponseProtobuf(protobufResponse({ message: 'slow down' }))).toEqual({
      partialSuccess: { errorMessage: 'slow down' },
    });
    expect(decodeLogsResponseProtobuf(protobufResponse({}))).toEqual({ partialSuccess: {} });
  });

  it('treats an empty body as full success', () => {
    expect(decodeLogsResponseProtobuf(new Uint8Array(0))).toEqual({});
  });

  it('throws on a truncated body', () => {
    const body = protobufResponse({ rejected: 3, message: 'dropped' });
    expect(() => decodeLogsResponseProtobuf(body.subarray(0, 5))).toThrow(/truncated/);
  });
});

describe('parseLogsResponseJson', () => {
  it('reads a partial success, with the count as a number or an int64 string', () => {
    expect(
      parseLogsResponseJson(
        json('{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"x"}}'),
      ),
    ).toEqual({ partialSuccess: { rejectedLogRecords: 2, errorMessage: 'x' } });
    expect(parseLogsResponseJson(json('{"partialSuccess":{"rejectedLogRecords":5}}'))).toEqual({
      partialSuccess: { rejectedLogRecords: 5 },
    });
  });

  it('treats an empty body or an empty object as full success', () => {
    expect(parseLogsResponseJson(new Uint8Array(0))).toEqual({});
    expect(parseLogsResponseJson(json('{}'))).toEqual({});
  });

  it('ignores fields of the wrong type instead of passing them on', () => {
    const body = '{"partialSuccess":{"rejectedLogRecords":-1,"errorMessage":7}}';
    expect(parseLogsResponseJson(json(body))).toEqual({ partialSuccess: {} });
    expect(parseLogsResponseJson(json('[1,2]'))).toEqual({});
    expect(parseLogsResponseJson(json('{"partialSuccess":"all good"}'))).toEqual({});
  });

  it('throws on a body that is not JSON', () => {
    expect(() => parseLogsResponseJson(json('<html>bad gateway</html>'))).toThrow(SyntaxError);
  });
});
