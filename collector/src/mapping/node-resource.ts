/**
 * One node as one OTel resource, as if it had exported itself: the SDK's metric table with
 * the heartbeat's own timestamp, plus the bridge's liveness, age, status and check metrics.
 */
import { SDK_VERSION, pointsOf, resourceAttributesOf } from '@gravito/quasar';
import type { Scope } from '../otlp/metric-batch';
import type {
  MetricAttributes,
  MetricData,
  NumberPoint,
  ResourceBlock,
} from '../otlp/metric-batch';
import { PulseStatus } from '../nodes/node-view';
import type { NodeView } from '../nodes/node-view';
import type { CheckErrorCounts } from './check-metrics';
import type { ResourceCache } from './resource-cache';
import { checkMetrics } from './check-metrics';
import { BRIDGE_DESCRIPTORS as D, NODE_DESCRIPTORS } from './descriptors';

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

export function nodeResource(
  view: NodeView,
  redisNowMs: number,
  options: NodeMappingOptions,
): ResourceBlock {
  const hb = view.heartbeat;
  const metrics = livenessMetrics(view, redisNowMs);
  if (exportsTable(view, options.skipSelfExporting)) metrics.unshift(...tableMetrics(view));
  if (view.status !== PulseStatus.offline && hb.checks && hb.checks.length > 0) {
    metrics.push(...checkMetrics(view.key, hb.checks, options.checkErrors));
  }
  return {
    attributes: options.resources
      ? options.resources.attributesOf(view.key, hb)
      : (resourceAttributesOf(hb) as MetricAttributes),
    scope: nodeScope(hb.sdk?.version ?? SDK_VERSION),
    metrics,
  };
}
