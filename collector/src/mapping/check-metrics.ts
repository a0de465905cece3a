/**
 * Availability checks (`heartbeat.checks`) as the OTel Collector's `httpcheck` and `tcpcheck`
 * receivers name them, so existing dashboards and alerts for those receivers work unchanged.
 */
import type { CheckResult } from '@gravito/quasar/schema';
import type { MetricData, NumberPoint } from '../otlp/metric-batch';
import { BRIDGE_DESCRIPTORS as D } from './descriptors';

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/**
 * `httpcheck.error` / `tcpcheck.error` are cumulative counts, but a heartbeat carries only
 * the latest result; each distinct failed run (by `checkedAt`) is counted once here.
 */
export class CheckErrorCounts {
  private readonly lastRun = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();

  observe(nodeKey: string, check: CheckResult): void {
    const run = `${nodeKey}\u0000${check.name}`;
    if (this.lastRun.get(run) === check.checkedAt) return;
    this.lastRun.set(run, check.checkedAt);
    if (check.error === undefined) return;
    const id = `${run}\u0000${check.error}`;
    if (!this.startedAt.has(id)) this.startedAt.set(id, check.checkedAt);
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  /** Error counts of one node's check, by message. */
  of(
    nodeKey: string,
    check: CheckResult,
  ): Array<{ message: string; count: number; since: number }> {
    const prefix = `${nodeKey}\u0000${check.name}\u0000`;
    const out = [];
    for (const [id, count] of this.counts) {
      if (id.startsWith(prefix)) {
        out.push({ message: id.slice(prefix.length), count, since: this.startedAt.get(id) ?? 0 });
      }
    }
    return out;
  }

  /** Drops the state of a forgotten node. */
  forget(nodeKey: string): void {
    const prefix = `${nodeKey}\u0000`;
    for (const map of [this.lastRun, this.counts, this.startedAt]) {
      for (const id of map.keys()) if (id.startsWith(prefix)) map.delete(id);
    }
  }
}

function httpMetrics(check: CheckResult, errors: ReturnType<CheckErrorCounts['of']>): MetricData[] {
  const url = check.target;
  const timeMs = check.checkedAt;
  const out: MetricData[] = [];
  if (check.status !== undefined) {
    const actual = `${Math.floor(check.status / 100)}xx`;
    out.push({
      descriptor: D.httpStatus,
      points: STATUS_CLASSES.map((statusClass) => ({
        // As the httpcheck receiver: the class of the status received, whether or not the
        // check counted it as up, so alerts on `5xx == 1` fire.
        value: statusClass === actual ? 1 : 0,
        timeMs,
        attributes: {
          'http.url': url,
          'http.status_code': check.status as number,
          'http.method': check.method ?? 'GET',
          'http.status_class': statusClass,
          'quasar.check.name': check.name,
        },
      })),
    });
  }
  out.push({
    descriptor: D.httpDuration,
    points: [
      {
        value: Math.round(check.latencyMs),
        timeMs,
        attributes: { 'http.url': url, 'quasar.check.name': check.name },
      },
    ],
  });
  if (check.certDaysLeft !== undefined) {
    out.push({
      descriptor: D.httpCertRemaining,
      points: [
        {
          value: Math.round(check.certDaysLeft * 86_400),
          timeMs,
          attributes: { 'http.url': url, 'quasar.check.name': check.name },
        },
      ],
    });
  }
  if (errors.length > 0) {
    out.push({
      descriptor: D.httpError,
      points: errors.map((e) => ({
        value: e.count,
        timeMs,
        startTimeMs: e.since,
        attributes: {
          'http.url': url,
          'error.message': e.message,
          'quasar.check.name': check.name,
        },
      })),
    });
  }
  return out;
}

function tcpMetrics(check: CheckResult, errors: ReturnType<CheckErrorCounts['of']>): MetricData[] {
  const attributes = { 'tcpcheck.endpoint': check.target, 'quasar.check.name': check.name };
  const timeMs = check.checkedAt;
  const out: MetricData[] = [
    { descriptor: D.tcpStatus, points: [{ value: check.up ? 1 : 0, timeMs, attributes }] },
    {
      descriptor: D.tcpDuration,
      points: [{ value: Math.round(check.latencyMs), timeMs, attributes }],
    },
  ];
  if (errors.length > 0) {
    const points: NumberPoint[] = errors.map((e) => ({
      value: e.count,
      timeMs,
      startTimeMs: e.since,
      attributes: { ...attributes, 'error.message': e.message },
    }));
    out.push({ descriptor: D.tcpError, points });
  }
  return out;
}

/** The check metrics of one node. */
export function checkMetrics(
  nodeKey: string,
  checks: readonly CheckResult[],
  errors: CheckErrorCounts,
): MetricData[] {
  // One Metric per name: several checks on a node share each descriptor.
  const merged = new Map<MetricData['descriptor'], NumberPoint[]>();
  for (const check of checks) {
    errors.observe(nodeKey, check);
    const counts = errors.of(nodeKey, check);
    for (const metric of check.type === 'http'
      ? httpMetrics(check, counts)
      : tcpMetrics(check, counts)) {
      const points = merged.get(metric.descriptor) ?? [];
      points.push(...(metric.points as NumberPoint[]));
      merged.set(metric.descriptor, points);
    }
  }
  return [...merged].map(([descriptor, points]) => ({ descriptor, points }) as MetricData);
}
