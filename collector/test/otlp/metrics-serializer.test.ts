import { encodeMetricsJson, encodeMetricsProtobuf } from '../../src/otlp/encode';
import { createMetricBatchSerializer } from '../../src/otlp/metrics-serializer';
import { richBatch } from '../support/metric-batch-fixtures';

describe('createMetricBatchSerializer', () => {
  it('serializes batches with the protobuf encoder for http/protobuf', () => {
    const batch = richBatch();
    const serializer = createMetricBatchSerializer('http/protobuf');
    expect(serializer.serializeRequest(batch)).toEqual(encodeMetricsProtobuf(batch));
  });

  it('serializes batches with the JSON encoder for http/json', () => {
    const batch = richBatch();
    const serializer = createMetricBatchSerializer('http/json');
    expect(serializer.serializeRequest(batch)).toEqual(encodeMetricsJson(batch));
  });

  it('reads each protocol’s response body, an empty one meaning full success', () => {
    const protobuf = createMetricBatchSerializer('http/protobuf');
    const json = createMetricBatchSerializer('http/json');
    expect(protobuf.deserializeResponse(new Uint8Array(0))).toEqual({});
    expect(json.deserializeResponse(new Uint8Array(0))).toEqual({});
    // partial_success { rejected_data_points: 1 }
    expect(protobuf.deserializeResponse(Uint8Array.from([0x0a, 0x02, 0x08, 0x01]))).toEqual({
      partialSuccess: { rejectedDataPoints: 1 },
    });
    const body = Buffer.from('{"partialSuccess":{"rejectedDataPoints":"1"}}');
    expect(json.deserializeResponse(body)).toEqual({ partialSuccess: { rejectedDataPoints: 1 } });
  });
});
