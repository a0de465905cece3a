/**
 * Cumulative histograms of slow durations, per node and (kind, route or queue): exported with
 * the metrics, counted only once an entry's log record was exported, so retries never count twice.
 */
import type { SlowEntry } from '@gravito/quasar/schema';
import type { HistogramPoint, MetricAttributes, ResourceBlock } from '../otlp/metric-batch';
import { BRIDGE_DESCRIPTORS as D, SLOW_BUCKETS_S } from '../mapping/descriptors';
import { COLLECTOR_SCOPE } from '../mapping/scope';

interface Series {
  attributes: MetricAttributes;
  startTimeMs: number;
  timeMs: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  buckets: number[];
}

interface NodeSeries {
  resource: MetricAttributes;
  series: Map<string, Series>;
  /** When an entry was last counted, ms. */
  lastRecordMs: number;
}

/** Bounded attributes only: the route template or queue, never the raw name (may hold ids). */
function attributesOf(entry: SlowEntry): MetricAttributes {
  const attributes: Record<string, string> = { 'quasar.slow.kind': entry.kind };
  if (entry.route !== undefined) attributes['http.route'] = entry.route;
  if (entry.method !== undefined) attributes['http.request.method'] = entry.method;
  if (entry.queue !== undefined) attributes['quasar.queue.name'] = entry.queue;
  return attributes;
}

function bucketOf(seconds: number): number {
  let i = 0;
  while (i < SLOW_BUCKETS_S.length && seconds > (SLOW_BUCKETS_S[i] as number)) i++;
  return i;
}

export class DurationHistograms {
  private readonly nodes = new Map<string, NodeSeries>();

  /**
   * @param retainMs - a node with no new entry for this long stops being exported and is
   *   forgotten (node ids change with every restart; the collector's `--forget-after`).
   */
  constructor(private readonly retainMs = Infinity) {}

  /** Adds one exported entry. `resource` identifies its node (see `resourceOfNode`). */
  record(nodeKey: string, resource: MetricAttributes, entry: SlowEntry, nowMs: number): void {
    let node = this.nodes.get(nodeKey);
    if (!node)
      this.nodes.set(nodeKey, (node = { resource, series: new Map(), lastRecordMs: nowMs }));
    node.lastRecordMs = Math.max(node.lastRecordMs, nowMs);
    // The latest identity wins: a node first seen before its heartbeat gains its full resource.
    node.resource = resource;
    const id = `${entry.kind}\u0000${entry.route ?? ''}\u0000${entry.method ?? ''}\u0000${entry.queue ?? ''}`;
    let series = node.series.get(id);
    if (!series) {
      const attributes = attributesOf(entry);
      series = {
        attributes,
        startTimeMs: nowMs,
        timeMs: nowMs,
        count: 0,
        sum: 0,
        min: Infinity,
        max: -Infinity,
        buckets: new Array<number>(SLOW_BUCKETS_S.length + 1).fill(0),
      };
      node.series.set(id, series);
    }
    const seconds = entry.durationMs / 1000;
    series.count++;
    series.sum += seconds;
    series.min = Math.min(series.min, seconds);
    series.max = Math.max(series.max, seconds);
    series.timeMs = Math.max(series.timeMs, nowMs);
    series.buckets[bucketOf(seconds)]!++;
  }

  resources(nowMs: number): ResourceBlock[] {
    const out: ResourceBlock[] = [];
    for (const [key, node] of this.nodes) {
      if (nowMs - node.lastRecordMs > this.retainMs) {
        this.nodes.delete(key);
        continue;
      }
      const points: HistogramPoint[] = [...node.series.values()].map((s) => ({
        // Never before the series' own start or last update, whichever clock `nowMs` is on.
        timeMs: Math.max(nowMs, s.timeMs),
        startTimeMs: s.startTimeMs,
        count: s.count,
        sum: s.sum,
        min: s.min,
        max: s.max,
        explicitBounds: SLOW_BUCKETS_S,
        bucketCounts: [...s.buckets],
        attributes: s.attributes,
      }));
      out.push({
        attributes: node.resource,
        scope: COLLECTOR_SCOPE,
        metrics: [{ descriptor: D.slowDuration, points }],
      });
    }
    return out;
  }

  /** Total entries counted, all nodes. */
  get total(): number {
    let n = 0;
    for (const node of this.nodes.values()) for (const s of node.series.values()) n += s.count;
    return n;
  }
}
