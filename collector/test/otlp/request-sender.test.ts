/**
 * Sending one export as bounded requests: at most `concurrency` bodies at once, a failed
 * request losing only its own resources, and a "too large" answer halving the size. The
 * receiver here is a function with the transport's signature; the real HTTP path is proven
 * against the real OTel Collector in test/integration/fleet-export.test.ts.
 */
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPExporterError } from '@opentelemetry/otlp-exporter-base';
import { METRICS_PROTOBUF_FRAMING, encodeMetricsProtobuf } from '../../src/otlp/encode';
import { ExportCounters } from '../../src/otlp/export-counters';
import type { ResourceBlock } from '../../src/otlp/metric-batch';
import { classifyResult } from '../../src/otlp/request-outcome';
import { sendRequests } from '../../src/otlp/request-sender';
import type { HalvingEvent } from '../../src/otlp/request-sender';
import { resourceCount } from '../../src/otlp/request-split';
import type { EncodedRequest } from '../../src/otlp/request-split';
import { nodeBatch } from '../support/metric-batch-fixtures';

const ok: ExportResult = { code: ExportResultCode.SUCCESS };
const refused = (status: number, body = ''): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: new OTLPExporterError('refused', status, body),
});
const settle = () => new Promise((resolve) => setImmediate(resolve));

const all = nodeBatch(200).resources as readonly ResourceBlock[];
const oneResource = encodeMetricsProtobuf({ resources: all.slice(0, 1) }).length;

function run(
  send: (request: EncodedRequest) => Promise<ExportResult>,
  maxBytes: number,
  extra: { counters?: ExportCounters; onHalve?: (e: HalvingEvent) => void } = {},
) {
  return sendRequests({
    framing: METRICS_PROTOBUF_FRAMING,
    items: all,
    maxBytes,
    concurrency: 3,
    send,
    ...extra,
  });
}

describe('classifyResult', () => {
  it('tells success, rejection, failure and too large apart', () => {
    expect(classifyResult(ok).outcome).toBe('success');
    expect(classifyResult(refused(400, 'bad data')).outcome).toBe('rejected');
    expect(classifyResult(refused(401)).outcome).toBe('rejected');
    expect(classifyResult(refused(413)).outcome).toBe('too_large');
    expect(classifyResult(refused(400, 'http: request body too large')).outcome).toBe('too_large');
    const timeout: ExportResult = { code: ExportResultCode.FAILED, error: new Error('timed out') };
    expect(classifyResult(timeout)).toEqual({ outcome: 'failed', error: 'timed out' });
  });
});

describe('sendRequests', () => {
  it('never has more than `concurrency` requests in flight, and delivers every resource', async () => {
    let inflight = 0;
    let most = 0;
    let delivered = 0;
    const report = await run(async (request) => {
      inflight++;
      most = Math.max(most, inflight);
      await settle();
      delivered += resourceCount(request);
      inflight--;
      return ok;
    }, 10 * oneResource);
    expect(most).toBe(3);
    expect(delivered).toBe(200);
    expect(report).toMatchObject({ ok: true, resources: 200, items: 200 * 17, failed: 0 });
    expect(report.requests.success).toBeGreaterThanOrEqual(20);
  });

  it('encodes a request only when a slot is free: bodies held never exceed the concurrency', async () => {
    let encoded = 0;
    let settledCount = 0;
    let mostHeld = 0;
    const items = (function* () {
      for (const resource of all) {
        yield resource;
      }
    })();
    const report = await sendRequests({
      framing: {
        ...METRICS_PROTOBUF_FRAMING,
        createWriter: (capacity, reuse) => {
          encoded++;
          mostHeld = Math.max(mostHeld, encoded - settledCount);
          return METRICS_PROTOBUF_FRAMING.createWriter(capacity, reuse);
        },
      },
      items,
      maxBytes: 10 * oneResource,
      concurrency: 2,
      send: async () => {
        await settle();
        settledCount++;
        return ok;
      },
    });
    expect(report.ok).toBe(true);
    expect(mostHeld).toBeLessThanOrEqual(2);
  });

  it('loses only the resources of the requests that fail, and counts them', async () => {
    const counters = new ExportCounters();
    let n = 0;
    const report = await run(
      async () => {
        await settle();
        return n++ % 3 === 1 ? refused(400, 'bad data') : ok;
      },
      10 * oneResource,
      { counters },
    );
    const requests = report.requests.success + report.requests.rejected;
    expect(report.requests.rejected).toBe(Math.floor((requests + 1) / 3));
    expect(report.ok).toBe(false);
    expect(report.failed).toBe(report.requests.rejected);
    expect(report.lostResources).toBeGreaterThan(0);
    expect(report.lostResources).toBeLessThan(200);
    expect(report.firstFailure).toMatchObject({ outcome: 'rejected', status: 400 });
    const stats = counters.snapshot();
    expect(stats.requests).toMatchObject({
      rejected: report.requests.rejected,
      success: report.requests.success,
    });
    expect(stats.lostResources).toBe(report.lostResources);
    expect(stats.lostItems).toBe(report.lostResources * 17);
    expect(stats.requestBytes.count).toBe(requests);
  });

  it('halves the size on 413 and sends the refused resources again in halves, down to one', async () => {
    const cap = 4 * oneResource;
    const delivered = new Set<number>();
    const halvings: HalvingEvent[] = [];
    let offset = 0;
    const report = await run(
      async (request) => {
        await settle();
        if (request.body.length > cap) return refused(413);
        offset += resourceCount(request);
        delivered.add(offset);
        return ok;
      },
      20 * oneResource,
      { onHalve: (event) => halvings.push(event) },
    );
    expect(report.ok).toBe(true);
    expect(report.resources).toBe(200);
    expect(offset).toBe(200);
    expect(report.requests.too_large).toBeGreaterThan(0);
    expect(report.halvings).toBeGreaterThanOrEqual(2);
    expect(report.limitBytes).toBeLessThanOrEqual(cap);
    expect(halvings).toHaveLength(1);
    expect(halvings[0]).toMatchObject({ status: 413 });
  });

  it('gives up on a single resource the receiver still finds too large', async () => {
    const report = await run(async () => {
      await settle();
      return refused(413);
    }, 2 * oneResource);
    expect(report.ok).toBe(false);
    expect(report.lostResources).toBe(200);
    expect(report.failed).toBe(200);
    expect(report.firstFailure?.outcome).toBe('too_large');
  });
});
