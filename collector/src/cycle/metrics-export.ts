/**
 * The cycle's metrics export: when it is due and what it covers (see `export-schedule.ts`),
 * the lazy batch of a snapshot's resources, and the one export in flight. Exports never
 * overlap: a cycle that finds one running joins it, and what it would have exported waits.
 */
import { nodeResource } from '../mapping/node-resource';
import { CheckErrorCounts } from '../mapping/check-metrics';
import { ResourceCache } from '../mapping/resource-cache';
import { queueResources } from '../mapping/queues';
import type { ResourceBlock } from '../otlp/metric-batch';
import type { MetricBatchExporter } from '../otlp/metric-exporter';
import { QueueCounters } from '../periods/queue-counters';
import type { DurationHistograms } from '../slowlog/duration-histograms';
import { describeError } from '../util/describe-error';
import { ExportSchedule } from './export-schedule';
import type { ExportScope } from './export-schedule';
import { LazyBatch } from './lazy-batch';
import type { PulseSnapshot } from './pulse-state';

/** How one metrics export went. */
export interface ExportOutcome {
  /** Every resource was delivered (after halvings, if the receiver asked for smaller requests). */
  ok: boolean;
  /** Data points in the export. */
  points: number;
  /** HTTP requests sent. */
  requests: number;
  /** Resources (nodes, queue services, slow-duration series' owners) in failed requests. */
  lostResources: number;
  /** Requests that failed for good, when some did. */
  failedRequests?: number;
  error?: string;
}

/** Whether this collector exports a service now. */
export type Owns = (service: string) => boolean;

export interface MetricsExportOptions {
  readonly exportIntervalMs: number;
  readonly skipSelfExporting: boolean;
  readonly histograms: DurationHistograms;
  readonly logger: { error(fields: Record<string, unknown>, message: string): void };
}

export class MetricsExport {
  private readonly checkErrors = new CheckErrorCounts();
  private readonly resources = new ResourceCache();
  /** The queues' job counters, added up from their periods cycle by cycle. */
  readonly queueCounters = new QueueCounters();
  private readonly schedule: ExportSchedule;
  private exporting: Promise<ExportOutcome> | undefined;
  /** Exports whose every request succeeded, and those with one that failed for good. */
  readonly counts = { exported: 0, failed: 0 };

  constructor(
    private readonly exporter: MetricBatchExporter | undefined,
    private readonly options: MetricsExportOptions,
  ) {
    this.schedule = new ExportSchedule(options.exportIntervalMs);
  }

  /** Services whose lease was just acquired: exported by the next cycle, not an interval later. */
  acquired(services: Iterable<string>): void {
    this.schedule.acquired(services);
  }

  /**
   * Adds the periods of one cycle's queue snapshots into the counters of the services `owns`
   * accepts (every cycle, not only those that export, so fewer snapshots are missed). Nothing
   * is counted without an exporter.
   */
  count(snapshot: PulseSnapshot, owns: Owns): void {
    if (this.exporter) this.queueCounters.update(snapshot.queues, owns, snapshot.serverTimeMs);
  }

  /**
   * Starts this cycle's export when one is due (every owned service once per interval, or
   * `force`), or one of the services acquired since; undefined when nothing is due.
   */
  maybeExport(
    snapshot: PulseSnapshot,
    owns: Owns,
    force = false,
  ): Promise<ExportOutcome> | undefined {
    const scope = this.exporter ? this.schedule.due(force) : undefined;
    return scope ? this.export(snapshot, owns, scope) : undefined;
  }

  /**
   * The batch of one snapshot: node resources, queue resources, slow histograms, of the
   * services `owns` accepts (all by default). Lazy: each node's resource is built as the
   * encoder reaches it (see `LazyBatch`), and `owns` is asked then, so a lease that lapses
   * during a long export stops the rest of its service at once.
   * @param complete - the batch holds every owned node: nodes it leaves out are forgotten by
   *   the resource cache. False for an export of just-acquired services.
   */
  buildBatch(snapshot: PulseSnapshot, owns?: Owns, complete = true): LazyBatch {
    const options = {
      skipSelfExporting: this.options.skipSelfExporting,
      checkErrors: this.checkErrors,
      resources: this.resources,
    };
    const { resources, options: settings, queueCounters } = this;
    function* build(): Iterable<ResourceBlock> {
      for (const view of snapshot.nodes) {
        if (owns && !owns(view.heartbeat.service)) continue;
        yield nodeResource(view, snapshot.serverTimeMs, options);
      }
      if (complete) resources.rotate();
      const queues = owns ? snapshot.queues.filter((q) => owns(q.service)) : snapshot.queues;
      yield* queueResources(queues, snapshot.serverTimeMs, queueCounters);
      yield* settings.histograms.resources(snapshot.serverTimeMs, owns);
    }
    return new LazyBatch(build);
  }

  /** Exports `scope` of the snapshot, or joins the export in flight (the scope then waits). */
  export(
    snapshot: PulseSnapshot,
    owns: Owns,
    scope: ExportScope = { all: true },
  ): Promise<ExportOutcome> {
    if (this.exporting) return this.exporting;
    const exporter = this.exporter;
    if (!exporter) return Promise.resolve({ ok: true, points: 0, requests: 0, lostResources: 0 });
    this.schedule.started(scope);
    const inScope = scope.all
      ? owns
      : (service: string) => scope.services.has(service) && owns(service);
    // Requests are encoded as they are sent, each node's resource built as its request is:
    // the cycle's bytes are never held at once (see `sendRequests`).
    this.exporting = exporter
      .send(this.buildBatch(snapshot, inScope, scope.all))
      .then((report): ExportOutcome => {
        const requests = Object.values(report.requests).reduce((a, b) => a + b, 0);
        if (report.ok) {
          this.counts.exported++;
          return { ok: true, points: report.items, requests, lostResources: 0 };
        }
        // Logged once per outage by the exporter; counted per request in /metrics.
        this.counts.failed++;
        return {
          ok: false,
          points: report.items,
          requests,
          lostResources: report.lostResources,
          failedRequests: report.failed,
          error: report.firstFailure?.error ?? 'export failed',
        };
      })
      .catch((error: unknown): ExportOutcome => {
        this.counts.failed++;
        const message = describeError(error);
        this.options.logger.error({ err: message }, 'metrics export failed');
        return { ok: false, points: 0, requests: 0, lostResources: 0, error: message };
      })
      .finally(() => {
        this.exporting = undefined;
      });
    return this.exporting;
  }

  /** Waits for the export in flight, if any. */
  async idle(): Promise<void> {
    await this.exporting;
  }
}
