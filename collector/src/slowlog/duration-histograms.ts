/**
 * Cumulative histograms of slow durations, per node and (kind, route or queue): exported with
 * the metrics, counted only once an entry's log record was exported, so retries never count
 * twice. Node ids and routes come from agents, so both are bounded (see `histogram-limits.ts`).
 */
import type { SlowEntry } from '@gravito/quasar/schema';
import type { MetricAttributes, ResourceBlock } from '../otlp/metric-batch';
import { BRIDGE_DESCRIPTORS as D } from '../mapping/descriptors';
import { COLLECTOR_SCOPE } from '../mapping/scope';
import { OVERFLOW_ATTRIBUTES, histogramLimits } from './histogram-limits';
import type { HistogramLimits, OverflowReason } from './histogram-limits';
import { addDuration, newSeries, pointOf } from './histogram-series';
import type { Series } from './histogram-series';

/** The node an entry is counted for. */
export interface HistogramNode {
  readonly service: string;
  /** Stable key of the node (see `NodeIdentity.nodeKey`). */
  readonly nodeKey: string;
  /** Its resource attributes; the latest wins. */
  readonly attributes: MetricAttributes;
  /** Whether the collector holds a heartbeat of it: unknown nodes are limited per service. */
  readonly known: boolean;
}

/** One resource: a node, a service's overflow, or the last overflow. */
interface Block {
  /** The service it belongs to; undefined for the last overflow, which no service claims. */
  readonly service: string | undefined;
  resource: MetricAttributes;
  /** The service whose limit of unknown nodes this block counts against, if it does. */
  unknownOf: string | undefined;
  readonly series: Map<string, Series>;
  overflow: Series | undefined;
  /** When an entry was last counted, ms. */
  lastRecordMs: number;
}

/** Keys of the overflow blocks: a NUL never starts a node key. */
const serviceOverflowKey = (service: string) => `\u0000overflow\u0000${service}`;
const LAST_OVERFLOW_KEY = '\u0000overflow';
/**
 * The default resource of the last overflow, used once `maxSeries` leaves no room for a
 * service's: no service, so nothing claims it belongs to one. A collector among replicas
 * names itself instead (see the constructor), so each replica's last overflow is its own series.
 */
const LAST_OVERFLOW_RESOURCE: MetricAttributes = Object.freeze({});

/** Bounded attributes only: the route template or queue, never the raw name (may hold ids). */
function attributesOf(entry: SlowEntry): MetricAttributes {
  const attributes: Record<string, string> = { 'quasar.slow.kind': entry.kind };
  if (entry.route !== undefined) attributes['http.route'] = entry.route;
  if (entry.method !== undefined) attributes['http.request.method'] = entry.method;
  if (entry.queue !== undefined) attributes['quasar.queue.name'] = entry.queue;
  return attributes;
}

const seriesIdOf = (entry: SlowEntry) =>
  `${entry.kind}\u0000${entry.route ?? ''}\u0000${entry.method ?? ''}\u0000${entry.queue ?? ''}`;

/** The `quasar.slow.duration` series of every node, within the cardinality limits. */
export class DurationHistograms {
  private readonly blocks = new Map<string, Block>();
  /** Blocks of unknown nodes, per service. */
  private readonly unknownCounts = new Map<string, number>();
  private seriesCount = 0;
  /** Entries counted in an overflow series since start, by the limit that sent them there. */
  readonly overflows: Record<OverflowReason, number> = {
    series_per_node: 0,
    unknown_nodes: 0,
    max_series: 0,
  };
  private readonly limits: HistogramLimits;

  /**
   * @param retainMs - a node with no new entry for this long stops being exported and is
   *   forgotten (node ids change with every restart; the collector's `--forget-after`).
   * @param limits - the cardinality limits; unset fields take `DEFAULT_HISTOGRAM_LIMITS`.
   */
  /**
   * @param lastOverflowResource the resource of the last overflow series: every writer of it
   *   needs its own (replicas each count their own entries there), so one series has one writer.
   */
  constructor(
    private readonly retainMs = Infinity,
    limits: Partial<HistogramLimits> = {},
    private readonly lastOverflowResource: MetricAttributes = LAST_OVERFLOW_RESOURCE,
  ) {
    this.limits = histogramLimits(limits);
  }

  /** Adds one exported entry for its node. */
  record(node: HistogramNode, entry: SlowEntry, nowMs: number): void {
    const block = this.blocks.get(node.nodeKey) ?? this.admit(node, nowMs);
    if (typeof block === 'string') {
      this.countOverflow(this.serviceOverflow(node.service, nowMs), block, entry, nowMs);
      return;
    }
    block.lastRecordMs = Math.max(block.lastRecordMs, nowMs);
    // The latest identity wins: a node first seen before its heartbeat gains its full resource.
    block.resource = node.attributes;
    if (node.known && block.unknownOf !== undefined) this.release(block);
    const id = seriesIdOf(entry);
    let series = block.series.get(id);
    if (!series) {
      const full = block.series.size >= this.limits.seriesPerNode;
      if (full || this.seriesCount >= this.limits.maxSeries) {
        this.countOverflow(block, full ? 'series_per_node' : 'max_series', entry, nowMs);
        return;
      }
      series = newSeries(attributesOf(entry), nowMs);
      block.series.set(id, series);
      this.seriesCount++;
    }
    addDuration(series, entry.durationMs, nowMs);
  }

  /** A new block for `node`, or the limit that leaves no room for one. */
  private admit(node: HistogramNode, nowMs: number): Block | OverflowReason {
    if (this.seriesCount >= this.limits.maxSeries) return 'max_series';
    const unknown = this.unknownCounts.get(node.service) ?? 0;
    if (!node.known && unknown >= this.limits.unknownNodesPerService) return 'unknown_nodes';
    const block = this.newBlock(node.service, node.attributes, nowMs);
    if (!node.known) {
      block.unknownOf = node.service;
      this.unknownCounts.set(node.service, unknown + 1);
    }
    this.blocks.set(node.nodeKey, block);
    return block;
  }

  /** The service's overflow block; the last overflow when there is no room for one. */
  private serviceOverflow(service: string, nowMs: number): Block {
    const key = serviceOverflowKey(service);
    let block = this.blocks.get(key);
    if (!block && this.seriesCount < this.limits.maxSeries) {
      block = this.newBlock(service, { 'service.name': service }, nowMs);
      this.blocks.set(key, block);
    }
    return block ?? this.lastOverflow(nowMs);
  }

  private lastOverflow(nowMs: number): Block {
    let block = this.blocks.get(LAST_OVERFLOW_KEY);
    if (!block) {
      block = this.newBlock(undefined, this.lastOverflowResource, nowMs);
      this.blocks.set(LAST_OVERFLOW_KEY, block);
    }
    return block;
  }

  /** Counts an entry in `block`'s overflow series, or the last one when no room is left. */
  private countOverflow(block: Block, reason: OverflowReason, entry: SlowEntry, nowMs: number) {
    this.overflows[reason]++;
    const last = this.blocks.get(LAST_OVERFLOW_KEY);
    const room = this.seriesCount < this.limits.maxSeries;
    const target = block.overflow || room || block === last ? block : this.lastOverflow(nowMs);
    if (!target.overflow) {
      target.overflow = newSeries(OVERFLOW_ATTRIBUTES, nowMs);
      this.seriesCount++;
    }
    target.lastRecordMs = Math.max(target.lastRecordMs, nowMs);
    addDuration(target.overflow, entry.durationMs, nowMs);
  }

  private newBlock(service: string | undefined, resource: MetricAttributes, nowMs: number): Block {
    return {
      service,
      resource,
      unknownOf: undefined,
      series: new Map(),
      overflow: undefined,
      lastRecordMs: nowMs,
    };
  }

  /** The block no longer counts against its service's unknown nodes. */
  private release(block: Block): void {
    const service = block.unknownOf;
    if (service === undefined) return;
    block.unknownOf = undefined;
    const left = (this.unknownCounts.get(service) ?? 1) - 1;
    if (left > 0) this.unknownCounts.set(service, left);
    else this.unknownCounts.delete(service);
  }

  /**
   * One resource per node and overflow; forgets those with no entry for the retention time.
   * @param owns - when given, only the resources of the services it accepts (a replica exports
   *   the services whose lease it holds); the last overflow, which has no service, always.
   */
  resources(nowMs: number, owns?: (service: string) => boolean): ResourceBlock[] {
    const out: ResourceBlock[] = [];
    for (const [key, block] of this.blocks) {
      if (nowMs - block.lastRecordMs > this.retainMs) {
        this.forget(key, block);
        continue;
      }
      const service = block.resource['service.name'];
      if (owns && typeof service === 'string' && !owns(service)) continue;
      const points = [...block.series.values()].map((s) => pointOf(s, nowMs));
      if (block.overflow) points.push(pointOf(block.overflow, nowMs));
      out.push({
        attributes: block.resource,
        scope: COLLECTOR_SCOPE,
        metrics: [{ descriptor: D.slowDuration, points }],
      });
    }
    return out;
  }

  /**
   * Drops every series of `service` (its nodes and its overflow), so that its next entry starts
   * a new cumulative series with a new start time: how a replica that stopped owning a service
   * leaves its histograms to the one replica that owns it now, and never resumes stale counts
   * if it owns it again. The last overflow (no service) is not a service's and stays.
   */
  forgetService(service: string): void {
    for (const [key, block] of this.blocks) {
      if (block.service === service) this.forget(key, block);
    }
  }

  private forget(key: string, block: Block): void {
    this.blocks.delete(key);
    this.release(block);
    this.seriesCount -= block.series.size + (block.overflow ? 1 : 0);
  }

  /** Total entries counted, all nodes and overflows. */
  get total(): number {
    let n = 0;
    for (const block of this.blocks.values()) {
      for (const s of block.series.values()) n += s.count;
      n += block.overflow?.count ?? 0;
    }
    return n;
  }

  /** Series held now, overflow series included. */
  get series(): number {
    return this.seriesCount;
  }
}
