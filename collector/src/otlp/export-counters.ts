/**
 * One signal's request counters since the process started, for `/metrics`: requests by
 * outcome, a histogram of request sizes, and what failed requests lost.
 */
import { REQUEST_OUTCOMES } from './request-outcome';
import type { RequestOutcome } from './request-outcome';

/**
 * Upper bounds of the request size histogram, bytes: 4 KiB to 64 MiB by fours, which puts
 * the default limit and the OTel Collector's 20 MiB receiver limit in separate buckets.
 */
export const REQUEST_BYTES_BUCKETS = [
  4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864,
] as const;

/** A cumulative histogram, as Prometheus exposes one. */
export interface HistogramSnapshot {
  /** Upper bounds, ascending; `+Inf` is implied. */
  readonly bounds: readonly number[];
  /** Observations at or below each bound, then the total (the `+Inf` bucket). */
  readonly cumulative: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** What one signal's exports did, cumulatively. */
export interface ExportRequestStats {
  readonly requests: Readonly<Record<RequestOutcome, number>>;
  readonly requestBytes: HistogramSnapshot;
  /** Resources in requests that failed for good (for metrics: nodes, queue services, …). */
  readonly lostResources: number;
  /** Data points (metrics) or log records in those requests. */
  readonly lostItems: number;
  /** Resources larger than the limit on their own, each sent in a request of its own. */
  readonly oversized: number;
  /** Times a "too large" answer halved the request size for the rest of an export. */
  readonly halvings: number;
}

export class ExportCounters {
  private readonly requests = Object.fromEntries(REQUEST_OUTCOMES.map((o) => [o, 0])) as Record<
    RequestOutcome,
    number
  >;
  private readonly buckets = new Array<number>(REQUEST_BYTES_BUCKETS.length + 1).fill(0);
  private bytes = 0;
  lostResources = 0;
  lostItems = 0;
  oversized = 0;
  halvings = 0;

  /** Counts one request that went out, by its outcome and body size. */
  request(outcome: RequestOutcome, bytes: number): void {
    this.requests[outcome]++;
    this.bytes += bytes;
    let i = 0;
    while (i < REQUEST_BYTES_BUCKETS.length && bytes > (REQUEST_BYTES_BUCKETS[i] as number)) i++;
    this.buckets[i] = (this.buckets[i] as number) + 1;
  }

  snapshot(): ExportRequestStats {
    const cumulative: number[] = [];
    let running = 0;
    for (const n of this.buckets) cumulative.push((running += n));
    return {
      requests: { ...this.requests },
      requestBytes: { bounds: REQUEST_BYTES_BUCKETS, cumulative, sum: this.bytes, count: running },
      lostResources: this.lostResources,
      lostItems: this.lostItems,
      oversized: this.oversized,
      halvings: this.halvings,
    };
  }
}
