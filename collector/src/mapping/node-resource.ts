/**
 * One node as one OTel resource, as if it had exported itself: the SDK's metric table with
 * the heartbeat's own timestamp, plus the bridge's liveness, age, status and check metrics.
 */
import { SDK_VERSION, pointsOf, readingFailed, resourceAttributesOf } from '@gravito/quasar';
import type { NodeMetric } from '@gravito/quasar';
import type { Scope } from '../otlp/metric-batch';
import type {
  MetricAttributes,
  MetricData,
  NumberPoint,
  PackedPoints,
  ResourceBlock,
} from '../otlp/metric-batch';
import { PulseStatus } from '../nodes/node-view';
import type { NodeView } from '../nodes/node-view';
import type { CheckErrorCounts } from './check-metrics';
import type { ResourceCache } from './resource-cache';
import { checkMetrics } from './check-metrics';
import { jobMetrics } from './job-metrics';
import { BRIDGE_DESCRIPTORS as D, NODE_DESCRIPTORS, TABLE_POINTS } from './descriptors';

/** The scope the SDK reports its node metrics under; the bridge reuses it for them. */
export const NODE_SCOPE_NAME = '@gravito/quasar';
/** Status values of the Go agent's `runtime.status`, as a state set. */
const AGENT_STATUSES = ['online', 'degraded', 'error'] as const;

export interface NodeMappingOptions {
  /** Skip the SDK-table metrics of nodes that export their own OTel metrics. */
  skipSelfExporting: boolean;
  checkErrors: CheckErrorCounts;
  /** Keeps resource attributes stable across cycles; without it they are built afresh. */
  resources?: ResourceCache;
}

/** One scope object per SDK version, so the encoder's per-scope cache hits. */
const scopes = new Map<string, Scope>();
function nodeScope(version: string): Scope {
  let scope = scopes.get(version);
  if (!scope) {
    scope = Object.freeze({ name: NODE_SCOPE_NAME, version });
    if (scopes.size < 64) scopes.set(version, scope);
  }
  return scope;
}

const STATUS_ATTRIBUTES = AGENT_STATUSES.map((status) =>
  Object.freeze({ 'quasar.node.status': status }),
);

function tableMetrics(view: NodeView): MetricData[] {
  const hb = view.heartbeat;
  const timeMs = hb.timestamp;
  const startTimeMs = hb.startedAt ?? hb.timestamp - hb.runtime.uptime * 1000;
  const out: MetricData[] = [];
  for (const [metric, descriptor] of NODE_DESCRIPTORS) {
    // The table's points are handed over as they are; the times sit on the metric.
    const points = pointsOf(metric, hb) as NumberPoint[];
    if (points.length === 0) continue;
    out.push(
      descriptor.kind === 'sum'
        ? { descriptor, points, timeMs, startTimeMs }
        : { descriptor, points, timeMs },
    );
  }
  return out;
}

function livenessMetrics(view: NodeView, redisNowMs: number): MetricData[] {
  const out: MetricData[] = [
    {
      descriptor: D.nodeUp,
      points: [{ value: view.status === PulseStatus.online ? 1 : 0, timeMs: redisNowMs }],
    },
    { descriptor: D.heartbeatAge, points: [{ value: view.ageMs / 1000, timeMs: redisNowMs }] },
  ];
  if (view.status !== PulseStatus.offline) {
    const reported = view.heartbeat.runtime.status ?? 'online';
    out.push({
      descriptor: D.nodeStatus,
      points: AGENT_STATUSES.map((status, i) => ({
        value: status === reported ? 1 : 0,
        timeMs: view.heartbeat.timestamp,
        attributes: STATUS_ATTRIBUTES[i],
      })),
    });
  }
  return out;
}

/** Whether the bridge exports this node's SDK-table metrics. */
function exportsTable(view: NodeView, skipSelfExporting: boolean): boolean {
  if (view.status === PulseStatus.offline) return false;
  return !(skipSelfExporting && view.heartbeat.otel?.selfExport === true);
}

/** Whether the node's metrics include its checks' (which have no packed form). */
const hasChecks = (view: NodeView) =>
  view.status !== PulseStatus.offline &&
  view.heartbeat.checks !== undefined &&
  view.heartbeat.checks.length > 0;

/**
 * Whether the node's metrics include in-process job counts (which have no packed form: their
 * histograms are not number points). Exported with the table, and skipped with it for a node
 * that exports its own.
 */
const hasJobs = (view: NodeView, skipSelfExporting: boolean) =>
  view.heartbeat.jobs !== undefined &&
  view.heartbeat.jobs.length > 0 &&
  exportsTable(view, skipSelfExporting);

function nodeMetrics(
  view: NodeView,
  redisNowMs: number,
  options: NodeMappingOptions,
): MetricData[] {
  const metrics = livenessMetrics(view, redisNowMs);
  if (exportsTable(view, options.skipSelfExporting)) metrics.unshift(...tableMetrics(view));
  if (hasJobs(view, options.skipSelfExporting)) {
    metrics.push(...jobMetrics(view.heartbeat.jobs ?? [], view.heartbeat.timestamp));
  }
  if (hasChecks(view)) {
    metrics.push(...checkMetrics(view.key, view.heartbeat.checks ?? [], options.checkErrors));
  }
  return metrics;
}

interface PackedMetric {
  readonly metric: NodeMetric;
  readonly sum: boolean;
  readonly points: number;
}

/** The table as packing walks it. */
const PACKED_TABLE: readonly PackedMetric[] = NODE_DESCRIPTORS.map(([metric, descriptor]) => ({
  metric,
  sum: descriptor.kind === 'sum',
  points: metric.pointAttributes.length,
}));

/** Shape key bit of the status state set; the bits below it are the table's points. */
const STATUS_BIT = 2 ** TABLE_POINTS;

/**
 * A node's points as plain numbers, in the order `nodeMetrics` lists them (see `PackedPoints`):
 * the table's present points, then liveness. The shape key has one bit per table point
 * present, and one for the status state set. False for a node with checks or job counts.
 */
function packNode(
  view: NodeView,
  redisNowMs: number,
  options: NodeMappingOptions,
  into: PackedPoints,
): boolean {
  if (hasChecks(view) || hasJobs(view, options.skipSelfExporting)) return false;
  const hb = view.heartbeat;
  const online = view.status !== PulseStatus.offline;
  into.reset(0);
  let shape = 0;
  if (exportsTable(view, options.skipSelfExporting)) {
    const timeMs = hb.timestamp;
    const startTimeMs = hb.startedAt ?? hb.timestamp - hb.runtime.uptime * 1000;
    const errors = hb.runtime.errors;
    const anyFailed = errors !== undefined && errors.length > 0;
    let bit = 1;
    for (let m = 0; m < PACKED_TABLE.length; m++) {
      const { metric, sum, points } = PACKED_TABLE[m] as PackedMetric;
      if (anyFailed && readingFailed(metric, hb)) {
        bit *= 2 ** points;
        continue;
      }
      const start = sum ? startTimeMs : Number.NaN;
      for (let i = 0; i < points; i++, bit *= 2) {
        const value = metric.value(hb, i);
        if (value === undefined) continue;
        shape += bit;
        into.add(timeMs, start, value);
      }
    }
  }
  into.add(redisNowMs, Number.NaN, view.status === PulseStatus.online ? 1 : 0);
  into.add(redisNowMs, Number.NaN, view.ageMs / 1000);
  if (online) {
    shape += STATUS_BIT;
    const reported = hb.runtime.status ?? 'online';
    for (const status of AGENT_STATUSES) {
      into.add(hb.timestamp, Number.NaN, status === reported ? 1 : 0);
    }
  }
  into.shape = shape;
  return true;
}

/**
 * One node's resource. Its metrics are built only when something reads them: the protobuf
 * encoder patches a node's template from its packed points instead (see `PackedPoints`), so
 * a cycle builds no point objects for nodes whose shape it has seen.
 */
class NodeResource implements ResourceBlock {
  private built: MetricData[] | undefined;

  constructor(
    readonly attributes: MetricAttributes,
    readonly scope: Scope,
    private readonly view: NodeView,
    private readonly redisNowMs: number,
    private readonly options: NodeMappingOptions,
  ) {
    // Check metrics count errors as they are built: once per node and cycle, now.
    if (hasChecks(view)) this.built = nodeMetrics(view, redisNowMs, options);
  }

  get metrics(): readonly MetricData[] {
    return (this.built ??= nodeMetrics(this.view, this.redisNowMs, this.options));
  }

  pack(into: PackedPoints): boolean {
    return packNode(this.view, this.redisNowMs, this.options, into);
  }
}

export function nodeResource(
  view: NodeView,
  redisNowMs: number,
  options: NodeMappingOptions,
): ResourceBlock {
  const hb = view.heartbeat;
  return new NodeResource(
    options.resources
      ? options.resources.attributesOf(view.key, hb)
      : (resourceAttributesOf(hb) as MetricAttributes),
    nodeScope(hb.sdk?.version ?? SDK_VERSION),
    view,
    redisNowMs,
    options,
  );
}
