/**
 * Sends one export as a stream of bounded requests: a request is encoded when a sending slot
 * is free, so at most `concurrency` request bodies exist at once, whatever the size of the
 * fleet. A request that fails loses only its own resources; a "too large" answer halves the
 * limit for the rest of the export and sends the refused resources again in halves.
 */
import type { ExportResult } from '@opentelemetry/core';
import type { RequestFraming } from './encode';
import type { ByteWriter } from './encode/byte-writer';
import type { ExportCounters } from './export-counters';
import { classifyResult, REQUEST_OUTCOMES } from './request-outcome';
import type { ClassifiedResult, RequestOutcome } from './request-outcome';
import { halveRequest, resourceCount, splitRequests } from './request-split';
import type { BufferPool, EncodedRequest, RequestLimit } from './request-split';

/** How one export went, request by request. */
export interface ExportReport {
  /** Every resource reached the receiver (some maybe after a halving). */
  readonly ok: boolean;
  /** HTTP requests by outcome; a refused request and its halves each count. */
  readonly requests: Readonly<Record<RequestOutcome, number>>;
  /** Body bytes sent, uncompressed, every request counted. */
  readonly bytes: number;
  /** Resources in the export, and data points or log records. */
  readonly resources: number;
  readonly items: number;
  /** Requests that failed for good (their resources are lost). */
  readonly failed: number;
  /** Resources and items in requests that failed for good. */
  readonly lostResources: number;
  readonly lostItems: number;
  /** Resources over the limit on their own, sent alone. */
  readonly oversized: number;
  /** Times the limit was halved after a "too large" answer. */
  readonly halvings: number;
  /** The request limit the export ended with. */
  readonly limitBytes: number;
  /** The first request that failed for good. */
  readonly firstFailure?: ClassifiedResult;
}

/** A "too large" answer halved the limit. */
export interface HalvingEvent {
  readonly status: number | undefined;
  /** Size of the refused request. */
  readonly bytes: number;
  /** The limit from now on, for the rest of this export. */
  readonly limitBytes: number;
}

export interface SendRequestsOptions<T, W extends ByteWriter> {
  readonly framing: RequestFraming<T, W>;
  readonly items: Iterable<T>;
  readonly maxBytes: number;
  readonly concurrency: number;
  /** Sends one body; resolves with the exporter's final result, never rejects. */
  readonly send: (request: EncodedRequest) => Promise<ExportResult>;
  readonly pool?: BufferPool;
  /** Expected bytes of the whole export (sizes the buffers of small ones). */
  readonly sizeHint?: number;
  readonly counters?: ExportCounters;
  /** Called on the first halving of the export. */
  readonly onHalve?: (event: HalvingEvent) => void;
}

/** Encodes and sends `items`; settles when every request is done. Never rejects on a send. */
export async function sendRequests<T, W extends ByteWriter>(
  options: SendRequestsOptions<T, W>,
): Promise<ExportReport> {
  const { framing, counters, concurrency } = options;
  const limit: RequestLimit = { bytes: options.maxBytes };
  const requests = Object.fromEntries(REQUEST_OUTCOMES.map((o) => [o, 0])) as Record<
    RequestOutcome,
    number
  >;
  let bytes = 0;
  let resources = 0;
  let items = 0;
  let lostResources = 0;
  let lostItems = 0;
  let oversized = 0;
  let halvings = 0;
  let failed = 0;
  let firstFailure: ClassifiedResult | undefined;

  const deliver = async (request: EncodedRequest): Promise<void> => {
    const result = classifyResult(await options.send(request));
    requests[result.outcome]++;
    bytes += request.body.length;
    counters?.request(result.outcome, request.body.length);
    if (result.outcome === 'success') return;
    if (result.outcome === 'too_large' && resourceCount(request) > 1) {
      // Not the same bytes again: the rest of the export goes at half the size, and these
      // resources go again in two halves (each halved again if it is still too large).
      const next = Math.max(1, Math.floor(request.body.length / 2));
      if (next < limit.bytes) {
        limit.bytes = next;
        if (halvings === 0) {
          options.onHalve?.({
            status: result.status,
            bytes: request.body.length,
            limitBytes: next,
          });
        }
        halvings++;
        if (counters) counters.halvings++;
      }
      const [first, second] = halveRequest(framing, request);
      await deliver(first);
      await deliver(second);
      return;
    }
    firstFailure ??= result;
    failed++;
    lostResources += resourceCount(request);
    lostItems += request.weight;
    if (counters) {
      counters.lostResources += resourceCount(request);
      counters.lostItems += request.weight;
    }
  };

  const inflight = new Set<Promise<void>>();
  const split = splitRequests(framing, options.items, limit, options.pool, options.sizeHint);
  try {
    for (;;) {
      while (inflight.size >= concurrency) await Promise.race(inflight);
      const next = split.next();
      if (next.done) break;
      const request = next.value;
      resources += resourceCount(request);
      items += request.weight;
      if (request.oversized) {
        oversized++;
        if (counters) counters.oversized++;
      }
      const task: Promise<void> = deliver(request).finally(() => {
        inflight.delete(task);
        options.pool?.give(request.buffer);
      });
      inflight.add(task);
    }
  } finally {
    // An encoder that throws ends the export, but never before what was sent has settled.
    await Promise.all(inflight);
  }
  return {
    ok: lostResources === 0,
    requests,
    failed,
    bytes,
    resources,
    items,
    lostResources,
    lostItems,
    oversized,
    halvings,
    limitBytes: limit.bytes,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}
