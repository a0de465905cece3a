import { encodeMetricsJson, encodeMetricsProtobuf } from '../../../src/otlp/encode';
import type { MetricBatch } from '../../../src/otlp/metric-batch';
import {
  DESCRIPTORS,
  DURATION,
  FIXTURE_SCOPE,
  T0_MS,
  nodeBatch,
  richBatch,
} from '../../support/metric-batch-fixtures';
import { normalizeOtlpJson } from '../../support/otlp-json';
import { at } from '../../support/otlp-schema';
import type { DecodedMessage } from '../../support/otlp-schema';
import { decodeProtobuf } from '../../support/protobuf-decode';
import { stockJson, toSdkResourceMetrics } from '../../support/stock-otlp';

const REQUEST = 'ExportMetricsServiceRequest';

function jsonText(batch: MetricBatch): string {
  return Buffer.from(encodeMetricsJson(batch)).toString('utf8');
}

function normalizedOurs(batch: MetricBatch): DecodedMessage {
  return normalizeOtlpJson(JSON.parse(jsonText(batch)), REQUEST);
}

/** A batch with the text and numbers JSON has to be careful with. */
function trickyBatch(): MetricBatch {
  return {
    resources: [
      {
        attributes: {
          quote: 'say "hi"',
          slash: 'C:\\temp\\new',
          control: 'tab\there\nline\u0001',
          unicode: 'ünïcödé 東京 🚀',
          long: 'é'.repeat(9_000),
          small: -1,
          big: 2 ** 60,
          tiny: 1e-7,
        },
        scope: { name: 'scope "q"', version: '' },
        metrics: [
          {
            descriptor: { ...DESCRIPTORS.cpu, description: 'a "quoted"\nnote' },
            points: [
              { value: 1e21, timeMs: T0_MS },
              { value: -5e-324, timeMs: T0_MS + 0.5 },
              { value: Number.NaN, timeMs: T0_MS },
            ],
          },
          { descriptor: DESCRIPTORS.up, points: [{ value: -(2 ** 53) + 1, timeMs: T0_MS }] },
        ],
      },
    ],
  };
}

describe('encodeMetricsJson', () => {
  it('encodes the same request as the stock OTel JSON serializer, up to int64 form and defaults', () => {
    const batch = richBatch();
    const stock = normalizeOtlpJson(stockJson(toSdkResourceMetrics(batch)), REQUEST);
    expect(normalizedOurs(batch)).toEqual(stock);
  });

  it('carries exactly what the protobuf encoding carries', () => {
    for (const batch of [richBatch(), trickyBatch()]) {
      const protobuf = decodeProtobuf(encodeMetricsProtobuf(batch), REQUEST);
      // No normalising here: our JSON already has the decoded tree's exact form.
      expect(JSON.parse(jsonText(batch))).toEqual(protobuf);
    }
  });

  it('writes 64-bit integers as decimal strings and the temporality as a number', () => {
    const json = jsonText(richBatch());
    expect(json).toContain('"timeUnixNano":"1732800000123000000"');
    expect(json).toContain('"timeUnixNano":"1732800000123500000"');
    expect(json).toContain('"timeUnixNano":"1732800000123456055"');
    expect(json).toContain('"startTimeUnixNano":"1700000000000250000"');
    expect(json).toContain('"asInt":"123456789012"');
    expect(json).toContain('"asInt":"-2"');
    expect(json).toContain('{"key":"process.pid","value":{"intValue":"4242"}}');
    expect(json).toContain('"count":"7"');
    expect(json).toContain('"bucketCounts":["1","2","3","1"]');
    expect(json).toContain('"explicitBounds":[0.5,1,5]');
    expect(json).toContain('"aggregationTemporality":2');
  });

  it('writes integers past 2^53 with every digit of their double', () => {
    const json = jsonText(trickyBatch());
    expect(json).toContain('{"key":"big","value":{"intValue":"1152921504606846976"}}');
    expect(json).toContain('"asInt":"-9007199254740991"');
  });

  it('leaves out proto3 defaults but keeps zero values of oneofs and optional fields', () => {
    const json = jsonText(richBatch());
    expect(json).not.toContain('"description":""');
    expect(json).not.toContain('"isMonotonic":false');
    expect(json).not.toContain('"count":"0"');
    expect(json).toContain('"asDouble":0');
    expect(json).toContain('"asInt":"0"');
    expect(json).toContain('"sum":0,');
  });

  it('escapes quotes, backslashes and control characters and keeps unicode as UTF-8', () => {
    const batch = trickyBatch();
    const body = JSON.parse(jsonText(batch)) as unknown;
    const attributes = at(normalizeOtlpJson(body, REQUEST), 'resourceMetrics', 0, 'resource');
    const input = [...batch.resources][0]?.attributes ?? {};
    expect(at(attributes, 'attributes', 0, 'value', 'stringValue')).toBe(input.quote);
    expect(at(attributes, 'attributes', 1, 'value', 'stringValue')).toBe(input.slash);
    expect(at(attributes, 'attributes', 2, 'value', 'stringValue')).toBe(input.control);
    expect(at(attributes, 'attributes', 3, 'value', 'stringValue')).toBe(input.unicode);
    expect(at(attributes, 'attributes', 4, 'value', 'stringValue')).toBe(input.long);
    expect(jsonText(batch)).toContain('ünïcödé 東京 🚀');
  });

  it('encodes an empty batch as an empty resourceMetrics list', () => {
    expect(jsonText({ resources: [] })).toBe('{"resourceMetrics":[]}');
  });

  it('keeps a resource that has no attributes and no metrics', () => {
    const batch = { resources: [{ attributes: {}, scope: FIXTURE_SCOPE, metrics: [] }] };
    expect(JSON.parse(jsonText(batch))).toEqual({
      resourceMetrics: [
        {
          resource: {},
          scopeMetrics: [{ scope: { name: '@gravito/quasar-collector', version: '1.0.0' } }],
        },
      ],
    });
  });

  it('skips points with non-finite numbers, so no NaN or Infinity reaches the body', () => {
    const batch: MetricBatch = {
      resources: [
        {
          attributes: { nan: Number.NaN },
          scope: FIXTURE_SCOPE,
          metrics: [
            {
              descriptor: DESCRIPTORS.cpu,
              points: [
                { value: Number.POSITIVE_INFINITY, timeMs: T0_MS },
                { value: 1, timeMs: T0_MS, attributes: { ratio: Number.NEGATIVE_INFINITY } },
              ],
            },
            {
              descriptor: DURATION,
              points: [
                {
                  timeMs: T0_MS,
                  startTimeMs: T0_MS,
                  count: 1,
                  sum: 1,
                  max: Number.NaN,
                  explicitBounds: [],
                  bucketCounts: [1],
                },
              ],
            },
          ],
        },
      ],
    };
    const json = jsonText(batch);
    expect(json).not.toMatch(/NaN|Infinity|null/);
    const metrics = at(JSON.parse(json) as DecodedMessage, 'resourceMetrics', 0, 'scopeMetrics');
    expect(at(metrics, 0, 'metrics', 0, 'gauge', 'dataPoints')).toEqual([
      { timeUnixNano: '1732800000123000000', asDouble: 1 },
    ]);
    // Empty repeated fields are left out, as protobuf JSON does.
    expect(at(metrics, 0, 'metrics', 1, 'histogram')).toEqual({ aggregationTemporality: 2 });
  });

  it('encodes 10,000 nodes of 17 gauges as JSON that parses back to the same counts', () => {
    const body = JSON.parse(jsonText(nodeBatch(10_000))) as {
      resourceMetrics: Array<{
        scopeMetrics: Array<{ metrics: Array<{ gauge: { dataPoints: unknown[] } }> }>;
      }>;
    };
    expect(body.resourceMetrics).toHaveLength(10_000);
    let points = 0;
    for (const resource of body.resourceMetrics) {
      for (const metric of resource.scopeMetrics[0]?.metrics ?? []) {
        points += metric.gauge.dataPoints.length;
      }
    }
    expect(points).toBe(170_000);
  });
});
