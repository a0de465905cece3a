/**
 * The cardinality limits of the slow-duration histograms, after the OTel metrics SDK's
 * cardinality limit: what does not fit is counted in an overflow series carrying only
 * `otel.metric.overflow=true`, so totals stay right while the number of series stays bounded.
 */
import { COLLECTOR_DEFAULTS } from '../config/options';
import type { MetricAttributes } from '../otlp/metric-batch';

/** How many series and resources the histograms may hold. */
export interface HistogramLimits {
  /** Distinct (kind, route, method, queue) series per node; more go to the node's overflow. */
  readonly seriesPerNode: number;
  /**
   * Node ids the collector holds no heartbeat of that get a resource of their own, per
   * service; entries of more such nodes share the service's overflow resource.
   */
  readonly unknownNodesPerService: number;
  /** Series over every resource, overflow series included (one more: the last overflow). */
  readonly maxSeries: number;
}

/** The collector's defaults: an honest fleet (a few dozen routes per node) fits with room. */
export const DEFAULT_HISTOGRAM_LIMITS: HistogramLimits = {
  seriesPerNode: COLLECTOR_DEFAULTS.slowSeriesPerNode,
  unknownNodesPerService: COLLECTOR_DEFAULTS.slowUnknownNodes,
  maxSeries: COLLECTOR_DEFAULTS.slowMaxSeries,
};

/** Why an entry was counted in an overflow series: the limit that was reached. */
export const OVERFLOW_REASONS = ['series_per_node', 'unknown_nodes', 'max_series'] as const;
export type OverflowReason = (typeof OVERFLOW_REASONS)[number];

/** The attribute set of every overflow series, as the OTel specification names it. */
export const OVERFLOW_ATTRIBUTES: MetricAttributes = Object.freeze({
  'otel.metric.overflow': true,
});

/** `limits` over the defaults; a limit left undefined keeps its default. */
export function histogramLimits(limits: Partial<HistogramLimits> = {}): HistogramLimits {
  return {
    seriesPerNode: limits.seriesPerNode ?? DEFAULT_HISTOGRAM_LIMITS.seriesPerNode,
    unknownNodesPerService:
      limits.unknownNodesPerService ?? DEFAULT_HISTOGRAM_LIMITS.unknownNodesPerService,
    maxSeries: limits.maxSeries ?? DEFAULT_HISTOGRAM_LIMITS.maxSeries,
  };
}
