/**
 * Cutting an export into requests: a limit per request, never a resource split in two, a
 * resource over the limit alone, and every request byte for byte the encoding of its
 * resources, for metrics and logs, protobuf and JSON.
 */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  LOGS_JSON_FRAMING,
  LOGS_PROTOBUF_FRAMING,
  METRICS_JSON_FRAMING,
  METRICS_PROTOBUF_FRAMING,
  encodeLogsJson,
  encodeLogsProtobuf,
  encodeMetricsJson,
  encodeMetricsProtobuf,
  groupLogRecords,
} from '../../src/otlp/encode';
import type { RequestFraming, ResourceLogGroup } from '../../src/otlp/encode';
import type { MetricBatch, ResourceBlock } from '../../src/otlp/metric-batch';
import {
  BufferPool,
  halveRequest,
  resourceCount,
  splitRequests,
} from '../../src/otlp/request-split';
import type { EncodedRequest } from '../../src/otlp/request-split';
import { nodeBatch, richBatch } from '../support/metric-batch-fixtures';
import { normalizeOtlpJson } from '../support/otlp-json';
import { fleetLogRecords } from '../support/otlp-logs-fixtures';
import { decodeProtobuf } from '../support/protobuf-decode';
import { stockJson, stockProtobuf, toSdkResourceMetrics } from '../support/stock-otlp';

const REQUEST = 'ExportMetricsServiceRequest';
const METRICS: ReadonlyArray<
  readonly [string, RequestFraming<ResourceBlock>, (batch: MetricBatch) => Uint8Array]
> = [
  ['protobuf', METRICS_PROTOBUF_FRAMING, encodeMetricsProtobuf],
  ['JSON', METRICS_JSON_FRAMING, encodeMetricsJson],
];

/** The requests of `resources` at `limit` bytes, copied (the generator may reuse buffers). */
function split<T>(framing: RequestFraming<T>, items: Iterable<T>, limit: number) {
  return [...splitRequests(framing, items, { bytes: limit })];
}

/** Which resources each request holds, as indexes into `resources`, from their spans. */
function resourcesOf(requests: readonly EncodedRequest[], all: readonly ResourceBlock[]) {
  let next = 0;
  return requests.map((request) => {
    const held = all.slice(next, next + resourceCount(request));
    next += held.length;
    return held;
  });
}

const copy = (bytes: Uint8Array) => Buffer.from(bytes);

describe('splitRequests', () => {
  const batch = nodeBatch(300);
  const all = batch.resources as readonly ResourceBlock[];

  it.each(METRICS)(
    'keeps %s requests under the limit and every resource whole, in order',
    (_, framing, encode) => {
      const limit = 20_000;
      const requests = split(framing, all, limit);
      expect(requests.length).toBeGreaterThan(10);
      for (const request of requests) {
        expect(request.body.length).toBeLessThanOrEqual(limit);
        expect(request.oversized).toBe(false);
      }
      expect(requests.reduce((n, r) => n + resourceCount(r), 0)).toBe(all.length);
      expect(requests.reduce((n, r) => n + r.weight, 0)).toBe(17 * all.length);
      // Each request is exactly the whole-batch encoder's bytes for its resources.
      resourcesOf(requests, all).forEach((resources, i) => {
        expect(copy(requests[i]!.body).equals(copy(encode({ resources })))).toBe(true);
      });
      // And the requests together hold what one request of everything held.
      const whole = copy(encode(batch));
      const parts = requests.flatMap((r) => {
        const spans: Buffer[] = [];
        for (let s = 0; s < r.spans.length; s += 3) {
          spans.push(copy(r.body.subarray(r.spans[s], r.spans[s + 1])));
        }
        return spans;
      });
      const joined = Buffer.concat(
        framing.separator.length === 0
          ? parts
          : parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from(framing.separator), p])),
      );
      expect(
        Buffer.concat([Buffer.from(framing.open), joined, Buffer.from(framing.close)]).equals(
          whole,
        ),
      ).toBe(true);
    },
  );

  it('writes each protobuf request as the stock OTel serializer would for its resources', () => {
    const rich = richBatch();
    const resources = [...(rich.resources as readonly ResourceBlock[]), ...all.slice(0, 40)];
    const requests = split(METRICS_PROTOBUF_FRAMING, resources, 6000);
    expect(requests.length).toBeGreaterThan(3);
    resourcesOf(requests, resources).forEach((held, i) => {
      const stock = stockProtobuf(toSdkResourceMetrics({ resources: held }));
      expect(decodeProtobuf(requests[i]!.body, REQUEST)).toEqual(decodeProtobuf(stock, REQUEST));
    });
  });

  it('writes each JSON request as the stock OTel serializer would for its resources', () => {
    const rich = richBatch();
    const resources = [...(rich.resources as readonly ResourceBlock[]), ...all.slice(0, 40)];
    const requests = split(METRICS_JSON_FRAMING, resources, 12_000);
    expect(requests.length).toBeGreaterThan(3);
    resourcesOf(requests, resources).forEach((held, i) => {
      const ours = JSON.parse(copy(requests[i]!.body).toString('utf8')) as unknown;
      const stock = stockJson(toSdkResourceMetrics({ resources: held }));
      expect(normalizeOtlpJson(ours, REQUEST)).toEqual(normalizeOtlpJson(stock, REQUEST));
    });
  });

  it.each(METRICS)(
    'sends a %s resource larger than the limit alone and marked, without holding up the others',
    (_, framing, encode) => {
      const big: ResourceBlock = {
        ...all[0]!,
        attributes: { ...all[0]!.attributes, 'service.instance.id': 'big' },
        metrics: Array.from({ length: 40 }, () => all[1]!.metrics).flat(),
      };
      const resources = [...all.slice(0, 5), big, ...all.slice(5, 10)];
      const bigSize = encode({ resources: [big] }).length;
      const limit = Math.floor(bigSize / 3);
      const requests = split(framing, resources, limit);
      const alone = requests.filter((r) => r.oversized);
      expect(alone).toHaveLength(1);
      expect(resourceCount(alone[0]!)).toBe(1);
      expect(copy(alone[0]!.body).equals(copy(encode({ resources: [big] })))).toBe(true);
      for (const request of requests.filter((r) => !r.oversized)) {
        expect(request.body.length).toBeLessThanOrEqual(limit);
      }
      expect(requests.reduce((n, r) => n + resourceCount(r), 0)).toBe(resources.length);
    },
  );

  it('puts everything in one request when it fits, and sends nothing for no resources', () => {
    const small: MetricBatch = { resources: all.slice(0, 3) };
    const [only, ...rest] = split(METRICS_PROTOBUF_FRAMING, all.slice(0, 3), 1 << 20);
    expect(rest).toHaveLength(0);
    expect(copy(only!.body).equals(copy(encodeMetricsProtobuf(small)))).toBe(true);
    expect(split(METRICS_JSON_FRAMING, [], 1 << 20)).toHaveLength(0);
  });

  it('applies a lowered limit to the requests it has not made yet', () => {
    const limit = { bytes: 40_000 };
    const requests = splitRequests(METRICS_PROTOBUF_FRAMING, all, limit);
    const first = requests.next().value as EncodedRequest;
    limit.bytes = 10_000;
    const rest = [...requests];
    expect(first.body.length).toBeGreaterThan(30_000);
    for (const request of rest) expect(request.body.length).toBeLessThanOrEqual(10_000);
  });

  it('writes over pooled buffers and still produces the same bytes', () => {
    const pool = new BufferPool(2);
    const expected = split(METRICS_PROTOBUF_FRAMING, all, 30_000).map((r) => copy(r.body));
    const seen: Buffer[] = [];
    const got: Buffer[] = [];
    for (const r of splitRequests(METRICS_PROTOBUF_FRAMING, all, { bytes: 30_000 }, pool)) {
      got.push(copy(r.body));
      if (r.buffer) seen.push(r.buffer);
      pool.give(r.buffer);
    }
    expect(got.length).toBe(expected.length);
    got.forEach((bytes, i) => expect(bytes.equals(expected[i]!)).toBe(true));
    expect(new Set(seen).size).toBeLessThan(seen.length);
  });
});

describe('halveRequest', () => {
  const all = nodeBatch(50).resources as readonly ResourceBlock[];

  it.each(METRICS)(
    'cuts a %s request into two requests of its resources, each a valid request',
    (_, framing, encode) => {
      const [request] = split(framing, all, 1 << 20);
      const [first, second] = halveRequest(framing, request!);
      expect(resourceCount(first) + resourceCount(second)).toBe(50);
      expect(Math.abs(resourceCount(first) - resourceCount(second))).toBeLessThanOrEqual(1);
      expect(first.weight + second.weight).toBe(request!.weight);
      const firstResources = all.slice(0, resourceCount(first));
      const secondResources = all.slice(resourceCount(first));
      expect(copy(first.body).equals(copy(encode({ resources: firstResources })))).toBe(true);
      expect(copy(second.body).equals(copy(encode({ resources: secondResources })))).toBe(true);
      // And again, down to single resources.
      const [a, b] = halveRequest(framing, halveRequest(framing, first)[0]);
      expect(resourceCount(a) + resourceCount(b)).toBeGreaterThanOrEqual(2);
    },
  );

  it('refuses to halve a single resource', () => {
    const [one] = split(METRICS_PROTOBUF_FRAMING, all.slice(0, 1), 1 << 20);
    expect(() => halveRequest(METRICS_PROTOBUF_FRAMING, one!)).toThrow(RangeError);
  });
});

describe('splitRequests for log records', () => {
  const records = fleetLogRecords(1000, 100);
  const groups = [...groupLogRecords(records)];
  const recordsOf = (held: readonly ResourceLogGroup[]): ReadableLogRecord[] => {
    const resources = new Set(held.map(([resource]) => resource));
    return records.filter((r) => resources.has(r.resource));
  };
  const LOGS = [
    ['protobuf', LOGS_PROTOBUF_FRAMING, encodeLogsProtobuf],
    ['JSON', LOGS_JSON_FRAMING, encodeLogsJson],
  ] as const;

  it.each(LOGS)(
    'keeps each node’s %s records in one request under the limit, as the encoder writes them',
    (_, framing, encode) => {
      const limit = 32 * 1024;
      const requests = split(framing as RequestFraming<ResourceLogGroup>, groups, limit);
      expect(requests.length).toBeGreaterThan(5);
      let next = 0;
      for (const request of requests) {
        expect(request.body.length).toBeLessThanOrEqual(limit);
        const held = groups.slice(next, next + resourceCount(request));
        next += held.length;
        const expected = encode(recordsOf(held));
        expect(copy(request.body).equals(copy(expected))).toBe(true);
        expect(request.weight).toBe(recordsOf(held).length);
      }
      expect(next).toBe(groups.length);
    },
  );
});
