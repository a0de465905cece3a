import { encodeMetricsProtobuf } from '../../../src/otlp/encode';
import type { MetricBatch, ResourceBlock } from '../../../src/otlp/metric-batch';
import {
  DESCRIPTORS,
  DURATION,
  FIXTURE_SCOPE,
  T0_MS,
  nodeBatch,
  richBatch,
} from '../../support/metric-batch-fixtures';
import { at, countOf } from '../../support/otlp-schema';
import type { DecodedMessage } from '../../support/otlp-schema';
import { decodeProtobuf } from '../../support/protobuf-decode';
import { stockProtobuf, toSdkResourceMetrics } from '../../support/stock-otlp';

const REQUEST = 'ExportMetricsServiceRequest';

/** Ours, decoded strictly: an unknown field, a long varint or a written default fails. */
function decodeOurs(batch: MetricBatch): DecodedMessage {
  return decodeProtobuf(encodeMetricsProtobuf(batch), REQUEST, { canonical: true });
}

function decodeStock(batch: MetricBatch): DecodedMessage {
  return decodeProtobuf(stockProtobuf(toSdkResourceMetrics(batch)), REQUEST);
}

function oneResource(resource: Partial<ResourceBlock>): MetricBatch {
  return { resources: [{ attributes: {}, scope: FIXTURE_SCOPE, metrics: [], ...resource }] };
}

describe('encodeMetricsProtobuf', () => {
  it('encodes the same request as the stock OTel serializer', () => {
    const batch = richBatch();
    expect(decodeOurs(batch)).toEqual(decodeStock(batch));
  });

  it('writes the exact bytes of a minimal request, field numbers included', () => {
    const bytes = encodeMetricsProtobuf({
      resources: [
        {
          attributes: {},
          scope: { name: 's', version: '' },
          metrics: [
            {
              descriptor: { name: 'm', unit: '', description: '', kind: 'gauge' },
              points: [{ value: 1, timeMs: 1 }],
            },
          ],
        },
      ],
    });
    const expected = [
      '0a24', //                 request.resource_metrics (1), 36 bytes
      '0a00', //                   resource (1), empty
      '1220', //                   scope_metrics (2), 32 bytes
      '0a030a0173', //               scope (1) { name (1) "s" }
      '1219', //                     metrics (2), 25 bytes
      '0a016d', //                     name (1) "m"
      '2a14', //                       gauge (5), 20 bytes
      '0a12', //                         data_points (1), 18 bytes
      '1940420f0000000000', //             time_unix_nano (3) fixed64 1,000,000
      '21000000000000f03f', //             as_double (4) 1.0
    ].join('');
    expect(Buffer.from(bytes).toString('hex')).toBe(expected);
  });

  it('writes sums as cumulative, monotonic only when the descriptor says so', () => {
    const metrics = at(decodeOurs(richBatch()), 'resourceMetrics', 0, 'scopeMetrics', 0, 'metrics');
    expect(at(metrics, 2, 'sum')).toMatchObject({ aggregationTemporality: 2 });
    expect(at(metrics, 2, 'sum')).not.toHaveProperty('isMonotonic');
    expect(at(metrics, 3, 'sum')).toMatchObject({ aggregationTemporality: 2, isMonotonic: true });
    expect(at(metrics, 5, 'histogram')).toMatchObject({ aggregationTemporality: 2 });
  });

  it('writes integer metrics as as_int and others as as_double, negatives included', () => {
    const metrics = at(decodeOurs(richBatch()), 'resourceMetrics', 1, 'scopeMetrics', 0, 'metrics');
    expect(at(metrics, 0, 'gauge', 'dataPoints', 0)).toEqual({
      timeUnixNano: '1732800001123000000',
      asDouble: 0,
    });
    expect(at(metrics, 1, 'gauge', 'dataPoints', 0)).toEqual({
      timeUnixNano: '1732800001123000000',
      asInt: '-2',
    });
  });

  it('writes string, int, bool and double attributes as the matching AnyValue', () => {
    const resource = at(decodeOurs(richBatch()), 'resourceMetrics', 0, 'resource', 'attributes');
    expect(resource).toEqual([
      { key: 'service.name', value: { stringValue: 'checkout' } },
      { key: 'service.instance.id', value: { stringValue: 'node-a' } },
      { key: 'process.pid', value: { intValue: '4242' } },
      { key: 'quasar.node.leader', value: { boolValue: true } },
      { key: 'quasar.node.weight', value: { doubleValue: 0.75 } },
      { key: 'host.name', value: { stringValue: 'hôte-東京-🚀' } },
    ]);
  });

  it('writes whole-millisecond times as exact nanoseconds and rounds fractions to the nanosecond', () => {
    const batch = oneResource({
      metrics: [
        {
          descriptor: DESCRIPTORS.cpu,
          points: [
            { value: 1, timeMs: 1732800000123 },
            { value: 2, timeMs: 2 ** 42 },
            { value: 3, timeMs: 1732800000123.5 },
            { value: 4, timeMs: 1732800000123.456 },
            { value: 5, timeMs: 0.9999999 },
          ],
        },
      ],
    });
    const points = at(decodeOurs(batch), 'resourceMetrics', 0, 'scopeMetrics', 0, 'metrics', 0);
    const times = (at(points, 'gauge', 'dataPoints') as DecodedMessage[]).map(
      (p) => p.timeUnixNano,
    );
    expect(times).toEqual([
      '1732800000123000000',
      '4398046511104000000',
      '1732800000123500000',
      // The double nearest 1732800000123.456 is 1732800000123.4560546875.
      '1732800000123456055',
      '1000000',
    ]);
  });

  it('writes negative and beyond-2^53 numbers the way the stock serializer does', () => {
    const batch = oneResource({
      attributes: { small: -1, big: 2 ** 60, huge: 2 ** 63, tiny: -(2 ** 63), frac: -0.125 },
      metrics: [
        {
          descriptor: DESCRIPTORS.up,
          points: [
            { value: -1, timeMs: T0_MS },
            { value: -(2 ** 40) - 5, timeMs: T0_MS },
            { value: 2 ** 53 - 1, timeMs: T0_MS },
          ],
        },
        { descriptor: DESCRIPTORS.temperature, points: [{ value: -273.15, timeMs: T0_MS }] },
      ],
    });
    const ours = decodeOurs(batch);
    expect(ours).toEqual(decodeStock(batch));
    expect(at(ours, 'resourceMetrics', 0, 'resource', 'attributes')).toEqual([
      { key: 'small', value: { intValue: '-1' } },
      { key: 'big', value: { intValue: '1152921504606846976' } },
      { key: 'huge', value: { doubleValue: 2 ** 63 } },
      { key: 'tiny', value: { intValue: '-9223372036854775808' } },
      { key: 'frac', value: { doubleValue: -0.125 } },
    ]);
  });

  it('writes two- and three-byte length prefixes for strings past 127 and 16,383 bytes', () => {
    const values = {
      ascii200: 'a'.repeat(200),
      accented300: 'é'.repeat(150),
      long20000: 'x'.repeat(20_000),
      emoji70000: '🚀'.repeat(17_500),
    };
    const batch = oneResource({
      attributes: values,
      metrics: [
        {
          descriptor: { ...DESCRIPTORS.cpu, description: 'd'.repeat(17_000) },
          points: [{ value: 1, timeMs: T0_MS, attributes: { note: 'n'.repeat(130) } }],
        },
      ],
    });
    const ours = decodeOurs(batch);
    expect(ours).toEqual(decodeStock(batch));
    expect(at(ours, 'resourceMetrics', 0, 'resource', 'attributes')).toEqual(
      Object.entries(values).map(([key, value]) => ({ key, value: { stringValue: value } })),
    );
  });

  it('encodes an empty batch as an empty request', () => {
    const bytes = encodeMetricsProtobuf({ resources: [] });
    expect(bytes.length).toBe(0);
    expect(decodeStock({ resources: [] })).toEqual({});
  });

  it('keeps a resource that has no metrics, with its scope', () => {
    const batch = oneResource({ attributes: { 'service.name': 'idle' } });
    const ours = decodeOurs(batch);
    expect(ours).toEqual(decodeStock(batch));
    expect(at(ours, 'resourceMetrics', 0)).toEqual({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'idle' } }] },
      scopeMetrics: [{ scope: { name: '@gravito/quasar-collector', version: '1.0.0' } }],
    });
  });

  it('skips points with NaN or infinite numbers and attributes with non-finite values', () => {
    const batch = oneResource({
      attributes: { good: 1, nan: Number.NaN, inf: Number.POSITIVE_INFINITY },
      metrics: [
        {
          descriptor: DESCRIPTORS.cpu,
          points: [
            { value: Number.NaN, timeMs: T0_MS },
            { value: 0.5, timeMs: T0_MS },
            { value: Number.NEGATIVE_INFINITY, timeMs: T0_MS },
            { value: 0.25, timeMs: Number.NaN },
            { value: 0.75, timeMs: T0_MS, attributes: { ratio: Number.NaN, ok: 'yes' } },
          ],
        },
        {
          descriptor: DESCRIPTORS.restarts,
          points: [{ value: Number.POSITIVE_INFINITY, timeMs: T0_MS, startTimeMs: T0_MS }],
        },
        {
          descriptor: DURATION,
          points: [
            {
              timeMs: T0_MS,
              startTimeMs: T0_MS - 1,
              count: 1,
              sum: Number.NaN,
              explicitBounds: [1],
              bucketCounts: [1, 0],
            },
            // Not NaN, but as unusable: OTLP needs one more bucket count than bounds.
            {
              timeMs: T0_MS,
              startTimeMs: T0_MS - 1,
              count: 1,
              sum: 1,
              explicitBounds: [1, 2],
              bucketCounts: [1, 0],
            },
          ],
        },
      ],
    });
    const resource = at(decodeOurs(batch), 'resourceMetrics', 0);
    expect(at(resource, 'resource', 'attributes')).toEqual([
      { key: 'good', value: { intValue: '1' } },
    ]);
    const metrics = at(resource, 'scopeMetrics', 0, 'metrics');
    expect(at(metrics, 0, 'gauge', 'dataPoints')).toEqual([
      { timeUnixNano: '1732800000123000000', asDouble: 0.5 },
      {
        timeUnixNano: '1732800000123000000',
        asDouble: 0.75,
        attributes: [{ key: 'ok', value: { stringValue: 'yes' } }],
      },
    ]);
    // The metrics stay, with no points: their descriptors still reach the backend.
    expect(at(metrics, 1, 'sum')).toEqual({ aggregationTemporality: 2, isMonotonic: true });
    expect(at(metrics, 2, 'histogram')).toEqual({ aggregationTemporality: 2 });
  });

  it('encodes 10,000 nodes of 17 gauges and decodes back to the same counts', () => {
    const batch = nodeBatch(10_000);
    const request = decodeProtobuf(encodeMetricsProtobuf(batch), REQUEST);
    const resources = at(request, 'resourceMetrics') as DecodedMessage[];
    expect(resources).toHaveLength(10_000);
    let metrics = 0;
    let points = 0;
    let pointAttributes = 0;
    for (const resource of resources) {
      expect(countOf(at(resource, 'resource'), 'attributes')).toBe(7);
      for (const metric of at(resource, 'scopeMetrics', 0, 'metrics') as DecodedMessage[]) {
        metrics += 1;
        for (const point of at(metric, 'gauge', 'dataPoints') as DecodedMessage[]) {
          points += 1;
          pointAttributes += countOf(point, 'attributes');
        }
      }
    }
    expect({ metrics, points, pointAttributes }).toEqual({
      metrics: 170_000,
      points: 170_000,
      pointAttributes: 20_000,
    });
    expect(at(resources, 9_999, 'resource', 'attributes', 2)).toEqual({
      key: 'host.name',
      value: { stringValue: 'ip-10-0-39-15.eu-west-1.compute.internal' },
    });
  });
});
