/**
 * The collector: one cycle loop reads every heartbeat and queue snapshot, publishes the
 * picture for the API, and exports metrics when due; the slow-log consumer runs beside it.
 * Exports never overlap and never hold up a read, so an OTLP outage costs at most the requests
 * in flight (3 × `--max-export-bytes`).
 */
import type Redis from 'ioredis';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { CollectorConfig } from '../config/options';
import { NodeDiscovery } from '../discovery/node-discovery';
import { CheckErrorCounts } from '../mapping/check-metrics';
import { nodeResource } from '../mapping/node-resource';
import { ResourceCache } from '../mapping/resource-cache';
import { collectQueues, queueResources } from '../mapping/queues';
import { readNodeChunks } from '../nodes/read-nodes';
import { readQueueHashes } from '../redis/queue-hashes';
import { redisTimeMs } from '../redis/server-time';
import { NodeRegistry } from '../nodes/registry';
import { Rejections } from '../nodes/rejections';
import type { RejectionLogger } from '../nodes/rejections';
import type { ResourceBlock } from '../otlp/metric-batch';
import type { MetricBatchExporter } from '../otlp/metric-exporter';
import { LogRecordsExporter } from '../otlp/logs-exporter';
import type { CollectorStats } from '../self/stats';
import { DurationHistograms } from '../slowlog/duration-histograms';
import { SlowLogConsumer } from '../slowlog/consumer';
import { CycleHealth } from './cycle-health';
import type { HealthLogger, Readiness } from './cycle-health';
import { LazyBatch } from './lazy-batch';
import { NodeIdentities } from './node-identities';
import { describeError } from '../util/describe-error';
import { PulseState } from './pulse-state';
import type { PulseSnapshot } from './pulse-state';

export interface CollectorLogger extends RejectionLogger, HealthLogger {}

export interface CollectorDeps {
  /** Reads and writes (prune, XACK). */
  redis: Redis;
  /** Held by XREADGROUP BLOCK; required when logs are exported. */
  blockingRedis?: Redis;
  metricExporter?: MetricBatchExporter;
  logExporter?: LogRecordExporter;
  logger: CollectorLogger;
}

export type CollectorSettings = Pick<
  CollectorConfig,
  | 'cycleIntervalMs'
  | 'exportIntervalMs'
  | 'scanIntervalMs'
  | 'forgetAfterMs'
  | 'skipSelfExporting'
  | 'maxPayloadBytes'
  | 'consumerGroup'
  | 'consumerName'
  | 'reclaimIdleMs'
  | 'slowBatchSize'
> &
  /** The slow-duration histogram limits; each defaults to the collector's default. */
  Partial<Pick<CollectorConfig, 'slowSeriesPerNode' | 'slowUnknownNodes' | 'slowMaxSeries'>>;

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

/** What `--once` did: exit 0 only when `ok`. */
export interface OnceOutcome {
  ok: boolean;
  nodes: number;
  slowExported: number;
  /** Metrics requests sent. */
  requests: number;
  /** When not `ok`: metrics requests that failed for good, and the resources they held. */
  failedRequests?: number;
  lostResources?: number;
  error?: string;
}

export class QuasarCollector {
  readonly state = new PulseState();
  readonly discovery: NodeDiscovery;
  private readonly rejections: Rejections;
  private readonly registry: NodeRegistry;
  private readonly checkErrors = new CheckErrorCounts();
  private readonly resources = new ResourceCache();
  private readonly histograms: DurationHistograms;
  private readonly consumer: SlowLogConsumer | undefined;
  private readonly identities = new NodeIdentities(this.state);
  private timer: NodeJS.Timeout | undefined;
  private cycling: Promise<PulseSnapshot> | undefined;
  private exporting: Promise<ExportOutcome> | undefined;
  private lastExportAt = -Infinity;
  private cycleCount = 0;
  private running = false;
  private readonly health: CycleHealth;
  private readonly counters = {
    cycleFailures: 0,
    lastCycleSeconds: 0,
    exports: { metrics: 0, logs: 0 },
    exportFailures: { metrics: 0, logs: 0 },
    readFailures: 0,
    publishFailures: 0,
  };

  constructor(
    private readonly settings: CollectorSettings,
    private readonly deps: CollectorDeps,
  ) {
    this.health = new CycleHealth(deps.logger);
    this.rejections = new Rejections(deps.logger);
    this.discovery = new NodeDiscovery(
      deps.redis,
      settings.scanIntervalMs,
      undefined,
      (members) => {
        this.rejections.count('index', members.length);
        deps.logger.warn(
          { count: members.length, example: (members[0] ?? '').slice(0, 120) },
          'removed node index members that are not heartbeat keys',
        );
      },
    );
    this.histograms = new DurationHistograms(settings.forgetAfterMs, {
      seriesPerNode: settings.slowSeriesPerNode,
      unknownNodesPerService: settings.slowUnknownNodes,
      maxSeries: settings.slowMaxSeries,
    });
    this.registry = new NodeRegistry(
      this.rejections,
      settings.maxPayloadBytes,
      settings.forgetAfterMs,
    );
    if (deps.logExporter && deps.blockingRedis) {
      this.consumer = new SlowLogConsumer(deps.blockingRedis, deps.logExporter, this.histograms, {
        group: settings.consumerGroup,
        consumer: settings.consumerName,
        batchSize: settings.slowBatchSize,
        reclaimIdleMs: settings.reclaimIdleMs,
        blockMs: 1000,
        admin: deps.redis,
        resourceOf: (service, nodeId) => this.identities.identityOf(service, nodeId),
        onError: (error, what) =>
          deps.logger.error({ err: describeError(error) }, `${what} failed; retrying`),
      });
    }
  }

  /** Starts the cycle loop and the slow-log consumer. Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.consumer?.start();
    const tick = () => {
      this.cycle()
        .catch(() => undefined)
        .finally(() => {
          if (this.running) this.timer = setTimeout(tick, this.settings.cycleIntervalMs);
        });
    };
    tick();
  }

  /** Stops the loops, finishing the cycle, export and slow-log batch in flight. Idempotent. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.cycling?.catch(() => undefined);
    await this.consumer?.stop();
    await this.exporting;
    await this.discovery.idle();
  }

  /**
   * One cycle: read, publish, and export metrics when due (or when `forceExport`). With
   * `awaitExport` the promise settles after the export, for `--once`.
   */
  cycle(options: { forceExport?: boolean; awaitExport?: boolean } = {}): Promise<PulseSnapshot> {
    if (this.cycling) return this.cycling;
    this.cycling = this.runCycle(options).finally(() => {
      this.cycling = undefined;
    });
    return this.cycling;
  }

  private async runCycle(options: {
    forceExport?: boolean;
    awaitExport?: boolean;
  }): Promise<PulseSnapshot> {
    const started = performance.now();
    try {
      const snapshot = await this.read();
      this.health.succeeded();
      // Export first: nothing the API or its clients do with the snapshot can cost the export.
      const due = performance.now() - this.lastExportAt >= this.settings.exportIntervalMs;
      const exported =
        this.deps.metricExporter && (options.forceExport || due)
          ? this.exportMetrics(snapshot)
          : undefined;
      this.publish(snapshot);
      this.discovery.maybeScan()?.then(
        () => this.addSlowStreamsFromScan(),
        (error: unknown) => this.deps.logger.error({ err: describeError(error) }, 'SCAN failed'),
      );
      if (options.awaitExport) await exported;
      return snapshot;
    } catch (error) {
      this.counters.cycleFailures++;
      // Once per outage, not every cycle: Redis away for a minute is 30 failed cycles.
      this.health.failed(describeError(error));
      throw error;
    } finally {
      this.cycleCount++;
      this.counters.lastCycleSeconds = (performance.now() - started) / 1000;
    }
  }

  /**
   * Hands a snapshot to the API and the slow-log consumer. Their failure is counted and logged,
   * never thrown: the cycle's reading and export stand on their own.
   */
  private publish(snapshot: PulseSnapshot): void {
    try {
      this.state.publish(snapshot);
      this.consumer?.addServices(this.state.services());
    } catch (error) {
      this.counters.publishFailures++;
      this.deps.logger.error({ err: describeError(error) }, 'publishing the snapshot failed');
    }
  }

  /** Discovery, read, validation: the picture without exporting it. */
  async read(): Promise<PulseSnapshot> {
    const [startedAtMs, keys] = await Promise.all([
      redisTimeMs(this.deps.redis),
      this.discovery.keys(),
    ]);
    // The snapshot's time is the last chunk's read: every age is exact then.
    const { missing, readAtMs: serverTimeMs } = await this.registry.updateChunks(
      readNodeChunks(this.deps.redis, keys, this.settings.maxPayloadBytes),
      startedAtMs,
      (error) => {
        this.counters.readFailures++;
        this.deps.logger.warn(
          { err: describeError(error) },
          'reading a chunk of heartbeats failed',
        );
      },
    );
    if (missing.length > 0) await this.discovery.prune(missing);
    const nodes = this.registry.views(serverTimeMs);
    const services = new Set(nodes.map((v) => v.heartbeat.service));
    const hashes = await readQueueHashes(this.deps.redis, services);
    const queues = collectQueues(nodes, hashes, this.rejections, serverTimeMs);
    return { cycle: this.cycleCount, serverTimeMs, nodes, queues };
  }

  /** Whether the cycle loop is healthy, for `/readyz`. */
  readiness(): Readiness {
    return this.health.readiness();
  }

  /**
   * The batch of one snapshot: node resources, queue resources, slow histograms. Lazy: each
   * node's resource is built as the encoder reaches it (see `LazyBatch`).
   */
  buildBatch(snapshot: PulseSnapshot): LazyBatch {
    const options = {
      skipSelfExporting: this.settings.skipSelfExporting,
      checkErrors: this.checkErrors,
      resources: this.resources,
    };
    const build = function* (this: QuasarCollector): Iterable<ResourceBlock> {
      for (const view of snapshot.nodes) yield nodeResource(view, snapshot.serverTimeMs, options);
      this.resources.rotate();
      yield* queueResources(snapshot.queues, snapshot.serverTimeMs);
      yield* this.histograms.resources(snapshot.serverTimeMs);
    };
    return new LazyBatch(() => build.call(this));
  }

  private exportMetrics(snapshot: PulseSnapshot): Promise<ExportOutcome> {
    if (this.exporting) return this.exporting;
    const exporter = this.deps.metricExporter;
    if (!exporter) return Promise.resolve({ ok: true, points: 0, requests: 0, lostResources: 0 });
    this.lastExportAt = performance.now();
    // Requests are encoded as they are sent, each node's resource built as its request is:
    // the cycle's bytes are never held at once (see `sendRequests`).
    this.exporting = exporter
      .send(this.buildBatch(snapshot))
      .then((report): ExportOutcome => {
        const requests = Object.values(report.requests).reduce((a, b) => a + b, 0);
        if (report.ok) {
          this.counters.exports.metrics++;
          return { ok: true, points: report.items, requests, lostResources: 0 };
        }
        // Logged once per outage by the exporter; counted per request in /metrics.
        this.counters.exportFailures.metrics++;
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
        this.counters.exportFailures.metrics++;
        const message = describeError(error);
        this.deps.logger.error({ err: message }, 'metrics export failed');
        return { ok: false, points: 0, requests: 0, lostResources: 0, error: message };
      })
      .finally(() => {
        this.exporting = undefined;
      });
    return this.exporting;
  }

  /**
   * `--once`: a full SCAN, one read, the slow-log backlog, then one metrics export that includes
   * the slow durations. Resolves with whether every export succeeded.
   */
  async runOnce(): Promise<OnceOutcome> {
    await this.discovery.scan();
    this.addSlowStreamsFromScan();
    let snapshot = await this.read();
    this.publish(snapshot);
    let slowExported = 0;
    let error: string | undefined;
    if (this.consumer) {
      try {
        slowExported = await this.consumer.drain();
      } catch (e) {
        this.counters.exportFailures.logs++;
        error = describeError(e);
      }
      snapshot = await this.read();
    }
    const outcome = await this.exportMetrics(snapshot);
    return {
      ok: outcome.ok && error === undefined,
      nodes: snapshot.nodes.length,
      slowExported,
      requests: outcome.requests,
      ...(outcome.ok
        ? {}
        : { failedRequests: outcome.failedRequests, lostResources: outcome.lostResources }),
      ...((error ?? outcome.error) ? { error: error ?? outcome.error } : {}),
    };
  }

  /** Slow-log streams of services with no live node are consumed too. */
  private addSlowStreamsFromScan(): void {
    this.state.setStreamServices(this.discovery.slowLogServices);
    this.consumer?.addServices(this.discovery.slowLogServices);
  }

  /** Counters for `/metrics`. */
  async stats(): Promise<CollectorStats> {
    const nodesByStatus: Record<string, number> = { online: 0, stale: 0, offline: 0 };
    for (const view of this.state.snapshot?.nodes ?? []) {
      nodesByStatus[view.status] = (nodesByStatus[view.status] ?? 0) + 1;
    }
    let slowLag = -1;
    if (this.consumer) slowLag = await this.consumer.backlog().catch(() => -1);
    const slow = this.consumer?.counts;
    return {
      cycles: this.cycleCount,
      cycleFailures: this.counters.cycleFailures,
      lastCycleSeconds: this.counters.lastCycleSeconds,
      nodesByStatus,
      rejected: { ...this.rejections.totals },
      exports: {
        metrics: this.counters.exports.metrics,
        logs: slow?.exportedBatches ?? 0,
      },
      exportFailures: {
        metrics: this.counters.exportFailures.metrics,
        logs: this.counters.exportFailures.logs + (slow?.exportFailures ?? 0),
      },
      exportRequests: {
        ...(this.deps.metricExporter
          ? { metrics: this.deps.metricExporter.counters.snapshot() }
          : {}),
        ...(this.deps.logExporter instanceof LogRecordsExporter
          ? { logs: this.deps.logExporter.counters.snapshot() }
          : {}),
      },
      slowExported: slow?.exported ?? 0,
      slowMalformed: slow?.malformed ?? 0,
      slowReclaimed: slow?.reclaimed ?? 0,
      slowClaimedOnAcquire: slow?.claimedOnAcquire ?? 0,
      slowLag,
      slowOverflows: { ...this.histograms.overflows },
      slowSeries: this.histograms.series,
      lastScanSeconds: this.discovery.lastScanMs / 1000,
      sseClients: 0,
      sseFailures: 0,
      sseRefused: 0,
      unserialisable: 0,
      readFailures: this.counters.readFailures,
      publishFailures: this.counters.publishFailures,
    };
  }
}
