/** The collector's own counters, as `/metrics` exposes them. */
import type { QueueHistoryStats } from '../history/queue-history';
import type { QueueCounterStats } from '../periods/queue-counters';
import type { ExportRequestStats } from '../otlp/export-counters';
import type { Family, Sample } from './prometheus-text';

export interface CollectorStats {
  cycles: number;
  cycleFailures: number;
  lastCycleSeconds: number;
  nodesByStatus: Readonly<Record<string, number>>;
  rejected: Readonly<Record<string, number>>;
  exports: Readonly<Record<'metrics' | 'logs', number>>;
  exportFailures: Readonly<Record<'metrics' | 'logs', number>>;
  /** Request counters of each signal's exporter, when it is on. */
  exportRequests: Readonly<Partial<Record<'metrics' | 'logs', ExportRequestStats>>>;
  slowExported: number;
  slowMalformed: number;
  slowReclaimed: number;
  /** Slow-log entries claimed from a service's previous owner when this replica acquired it. */
  slowClaimedOnAcquire: number;
  /**
   * Entries not yet exported (pending + undelivered), over the streams this replica reads (all,
   * unless services are shared out between replicas); -1 when unknown.
   */
  slowLag: number;
  /** Slow-log entries counted in an overflow series, by the limit that was reached. */
  slowOverflows: Readonly<Record<string, number>>;
  /** `quasar.slow.duration` series held, overflow series included. */
  slowSeries: number;
  /** Slow-log groups held for `/api/pulse/slow/groups`. */
  slowGroups: number;
  /** Slow-log groups evicted (the least recently seen), by the bound that was reached. */
  slowGroupEvictions: Readonly<Record<string, number>>;
  lastScanSeconds: number;
  sseClients: number;
  /** SSE broadcasts that failed (the cycle behind them went on). */
  sseFailures: number;
  /** Streams refused because the collector served as many (or as many filters) as it allows. */
  sseRefused: number;
  /** Nodes or services left out of API replies because they could not be serialised. */
  unserialisable: number;
  /** Chunks of heartbeat keys whose read failed (those nodes kept their last state). */
  readFailures: number;
  /** Snapshots whose publication to the API failed (the cycle and its export went on). */
  publishFailures: number;
  /** This replica among those sharing the fleet. */
  replicas: ReplicaStats;
  /** The queues' short history (rings, bytes, drops, evictions). */
  history: QueueHistoryStats;
  /** The queue counters added up from the snapshots' periods. */
  queueCounters: QueueCounterStats;
}

/** The replica's share of the fleet and its lease changes. */
export interface ReplicaStats {
  /** Live replicas as this one last read them, itself included. */
  live: number;
  /** Leases held now, the scan lease included. */
  leasesHeld: number;
  /** Services whose lease this replica holds: the services it exports. */
  servicesOwned: number;
  /** Leases acquired, lost (taken over or expired) and released, since start. */
  changes: Readonly<Record<'acquired' | 'lost' | 'released', number>>;
  /** Lease renewals that returned 0 or failed. */
  renewalFailures: number;
}

const counter = (name: string, help: string, samples: Family['samples']): Family => ({
  name,
  help,
  type: 'counter',
  samples,
});
const gauge = (name: string, help: string, samples: Family['samples']): Family => ({
  name,
  help,
  type: 'gauge',
  samples,
});
const bySignal = (values: Readonly<Record<string, number>>) =>
  Object.entries(values).map(([signal, value]) => ({ labels: { signal }, value }));

/** Samples of one number per signal whose exporter is on. */
function perSignal(
  stats: CollectorStats,
  value: (requests: ExportRequestStats) => number,
): Sample[] {
  return Object.entries(stats.exportRequests).map(([signal, requests]) => ({
    labels: { signal },
    value: value(requests),
  }));
}

/** The request families: outcomes, the size histogram, and what failed requests lost. */
function requestFamilies(stats: CollectorStats): Family[] {
  const outcomes: Sample[] = [];
  const sizes: Sample[] = [];
  for (const [signal, requests] of Object.entries(stats.exportRequests)) {
    for (const [outcome, value] of Object.entries(requests.requests)) {
      outcomes.push({ labels: { signal, outcome }, value });
    }
    const { bounds, cumulative, sum, count } = requests.requestBytes;
    bounds.forEach((le, i) => {
      sizes.push({
        suffix: '_bucket',
        labels: { signal, le: String(le) },
        value: cumulative[i] ?? 0,
      });
    });
    sizes.push({ suffix: '_bucket', labels: { signal, le: '+Inf' }, value: count });
    sizes.push({ suffix: '_sum', labels: { signal }, value: sum });
    sizes.push({ suffix: '_count', labels: { signal }, value: count });
  }
  return [
    counter(
      'quasar_collector_export_requests_total',
      'OTLP requests by outcome once retries ended: success, rejected (an HTTP error not retried), failed (network, timeout, retries exhausted), too_large (413, or 400 saying so).',
      outcomes,
    ),
    {
      name: 'quasar_collector_export_request_bytes',
      help: 'Size of OTLP request bodies, uncompressed.',
      type: 'histogram',
      samples: sizes,
    },
    counter(
      'quasar_collector_export_lost_resources_total',
      'Resources (nodes, services) in requests that failed for good.',
      perSignal(stats, (r) => r.lostResources),
    ),
    counter(
      'quasar_collector_export_lost_items_total',
      'Data points (metrics) or log records in requests that failed for good.',
      perSignal(stats, (r) => r.lostItems),
    ),
    counter(
      'quasar_collector_export_oversized_total',
      'Resources larger than --max-export-bytes on their own, each sent in a request alone.',
      perSignal(stats, (r) => r.oversized),
    ),
    counter(
      'quasar_collector_export_halvings_total',
      'Times a too-large answer halved the request size for the rest of an export.',
      perSignal(stats, (r) => r.halvings),
    ),
  ];
}

/** The replica families: its share of the fleet and the handovers. */
function replicaFamilies(replicas: ReplicaStats): Family[] {
  return [
    gauge(
      'quasar_collector_live_replicas',
      'Live collector replicas sharing the fleet, this one included.',
      [{ value: replicas.live }],
    ),
    gauge(
      'quasar_collector_leases_held',
      'Leases this replica holds: its services and the scan lease.',
      [{ value: replicas.leasesHeld }],
    ),
    gauge(
      'quasar_collector_services_owned',
      'Services whose metrics this replica exports (it holds their lease).',
      [{ value: replicas.servicesOwned }],
    ),
    counter(
      'quasar_collector_lease_changes_total',
      'Leases acquired, lost (taken over or expired before renewal) and released, by change.',
      Object.entries(replicas.changes).map(([change, value]) => ({ labels: { change }, value })),
    ),
    counter(
      'quasar_collector_lease_renewal_failures_total',
      'Lease renewals that found the lease gone or failed; the service stops being exported at once.',
      [{ value: replicas.renewalFailures }],
    ),
  ];
}

export function statsFamilies(stats: CollectorStats): Family[] {
  return [
    counter('quasar_collector_cycles_total', 'Discovery and read cycles run.', [
      { value: stats.cycles },
    ]),
    counter('quasar_collector_cycle_failures_total', 'Cycles that failed (Redis unreachable).', [
      { value: stats.cycleFailures },
    ]),
    gauge('quasar_collector_cycle_duration_seconds', 'Duration of the last cycle.', [
      { value: stats.lastCycleSeconds },
    ]),
    gauge(
      'quasar_collector_nodes',
      'Nodes the collector knows, by status.',
      Object.entries(stats.nodesByStatus).map(([status, value]) => ({ labels: { status }, value })),
    ),
    counter(
      'quasar_collector_payloads_rejected_total',
      'Heartbeats and queue snapshots skipped as malformed or oversized.',
      Object.entries(stats.rejected).map(([reason, value]) => ({ labels: { reason }, value })),
    ),
    counter(
      'quasar_collector_exports_total',
      'OTLP exports (a metrics cycle, a slow-log batch) whose every request succeeded.',
      bySignal(stats.exports),
    ),
    counter(
      'quasar_collector_export_failures_total',
      'OTLP exports with at least one request that failed for good (see quasar_collector_export_requests_total).',
      bySignal(stats.exportFailures),
    ),
    ...requestFamilies(stats),
    counter(
      'quasar_collector_slowlog_exported_total',
      'Slow-log entries exported as log records.',
      [{ value: stats.slowExported }],
    ),
    counter('quasar_collector_slowlog_malformed_total', 'Slow-log entries skipped as malformed.', [
      { value: stats.slowMalformed },
    ]),
    counter(
      'quasar_collector_slowlog_reclaimed_total',
      'Slow-log entries claimed from a consumer that stopped.',
      [{ value: stats.slowReclaimed }],
    ),
    counter(
      'quasar_collector_slowlog_claimed_on_acquire_total',
      "Slow-log entries claimed from a service's previous owner when this replica acquired it.",
      [{ value: stats.slowClaimedOnAcquire }],
    ),
    gauge(
      'quasar_collector_slowlog_lag_entries',
      'Slow-log entries not yet exported (pending plus undelivered), over the streams this replica reads.',
      [{ value: stats.slowLag }],
    ),
    counter(
      'quasar_collector_slowlog_overflow_total',
      'Slow-log entries counted in an overflow series (otel.metric.overflow), by the limit reached.',
      Object.entries(stats.slowOverflows).map(([limit, value]) => ({ labels: { limit }, value })),
    ),
    gauge(
      'quasar_collector_slowlog_series',
      'quasar.slow.duration series held for export, overflow series included.',
      [{ value: stats.slowSeries }],
    ),
    gauge(
      'quasar_collector_slowlog_groups',
      'Slow-log groups (service, kind, name) held for /api/pulse/slow/groups.',
      [{ value: stats.slowGroups }],
    ),
    counter(
      'quasar_collector_slowlog_group_evictions_total',
      'Slow-log groups evicted, the least recently seen first, by the bound reached: max_groups or groups_per_service.',
      Object.entries(stats.slowGroupEvictions).map(([limit, value]) => ({
        labels: { limit },
        value,
      })),
    ),
    gauge('quasar_collector_scan_duration_seconds', 'Duration of the last keyspace SCAN.', [
      { value: stats.lastScanSeconds },
    ]),
    gauge('quasar_collector_sse_clients', 'Connected /api/pulse/stream clients.', [
      { value: stats.sseClients },
    ]),
    counter(
      'quasar_collector_sse_refused_total',
      'New /api/pulse/stream clients refused (503) at the bound on streams or distinct filters.',
      [{ value: stats.sseRefused }],
    ),
    ...replicaFamilies(stats.replicas),
    gauge(
      'quasar_collector_history_series',
      'Queue history rings held (one per service and queue).',
      [{ value: stats.history.series }],
    ),
    gauge(
      'quasar_collector_history_bytes',
      'Bytes of sample storage the queue history holds: rings times the bytes of one ring.',
      [{ value: stats.history.bytes }],
    ),
    counter(
      'quasar_collector_history_dropped_total',
      'Queue samples not recorded in the history because its bound on rings was reached.',
      [{ value: stats.history.dropped }],
    ),
    counter(
      'quasar_collector_history_evicted_total',
      'Queue history rings removed because their queue was not seen for the whole window.',
      [{ value: stats.history.evicted }],
    ),
    gauge(
      'quasar_collector_queue_counters',
      'Queues whose job counters (added up from their periods) this replica holds.',
      [{ value: stats.queueCounters.queues }],
    ),
    counter(
      'quasar_collector_queue_periods_counted_total',
      'Queue periods added into the queue counters, each once per queue and source.',
      [{ value: stats.queueCounters.counted }],
    ),
    counter(
      'quasar_collector_queue_counters_evicted_total',
      'Queue counters dropped because their queue was not in the snapshots for an hour.',
      [{ value: stats.queueCounters.evicted }],
    ),
    counter(
      'quasar_collector_queue_counters_dropped_total',
      'Queues left without counters because their service already had the most queues.',
      [{ value: stats.queueCounters.dropped }],
    ),
    counter(
      'quasar_collector_isolated_failures_total',
      'Failures contained to one part, by part: the rest of the cycle, reply or broadcast went on.',
      [
        { labels: { part: 'sse_broadcast' }, value: stats.sseFailures },
        { labels: { part: 'reply_serialisation' }, value: stats.unserialisable },
        { labels: { part: 'node_read' }, value: stats.readFailures },
        { labels: { part: 'publish' }, value: stats.publishFailures },
        { labels: { part: 'history' }, value: stats.history.failures },
      ],
    ),
  ];
}
