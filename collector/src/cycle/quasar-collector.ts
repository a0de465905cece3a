/**
 * The collector: one cycle loop reads every heartbeat and queue snapshot, publishes the
 * picture for the API, and exports metrics when due; the slow-log consumer runs beside it.
 * Exports never overlap and never hold up a read, so an OTLP outage costs at most the requests
 * in flight (3 × `--max-export-bytes`).
 *
 * Replicas on one Redis share the exports: every replica reads (and serves) the whole fleet,
 * but exports only the services whose lease it holds (see `fleet-share.ts`).
 */
import type { RedisClient } from '@gravito/quasar';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { CollectorConfig } from '../config/options';
import { defaultLeaseTtlMs } from '../config/lease-ttl';
import { NodeDiscovery } from '../discovery/node-discovery';
import { collectQueues } from '../mapping/queues';
import { pausedQueues, withPausedBy } from '../mapping/paused-by';
import { readPauseRecords } from '../redis/pause-records';
import { readNodeChunks } from '../nodes/read-nodes';
import { readQueueHashes } from '../redis/queue-hashes';
import { redisTimeMs } from '../redis/server-time';
import { NodeRegistry } from '../nodes/registry';
import { layoutsByService } from '../nodes/node-layouts';
import { Rejections } from '../nodes/rejections';
import type { RejectionLogger } from '../nodes/rejections';
import type { MetricBatchExporter } from '../otlp/metric-exporter';
import type { ReplicaStep } from '../replicas/replica-coordinator';
import { LogRecordsExporter } from '../otlp/logs-exporter';
import type { CollectorStats } from '../self/stats';
import { DurationHistograms } from '../slowlog/duration-histograms';
import { SlowLogConsumer } from '../slowlog/consumer';
import { SlowGroups } from '../slowlog/groups/slow-groups';
import type { SlowGroupLimits } from '../slowlog/groups/slow-groups';
import { CycleHealth } from './cycle-health';
import type { HealthLogger, Readiness } from './cycle-health';
import { FleetShare } from './fleet-share';
import type { LazyBatch } from './lazy-batch';
import { MetricsExport } from './metrics-export';
import { NodeIdentities } from './node-identities';
import { describeError } from '../util/describe-error';
import { QueueHistory } from '../history/queue-history';
import type { QueueHistoryOptions } from '../history/queue-history';
import { PulseState } from './pulse-state';
import type { PulseSnapshot } from './pulse-state';

export type { ExportOutcome } from './metrics-export';

/** The service the last slow-duration overflow series is reported under: the collector's. */
export const LAST_OVERFLOW_SERVICE = 'quasar-collector';

export interface CollectorLogger extends RejectionLogger, HealthLogger {}

export interface CollectorDeps {
  /** Reads and writes (prune, XACK). */
  redis: RedisClient;
  /** Held by XREADGROUP BLOCK; required when logs are exported. */
  blockingRedis?: RedisClient;
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
  /**
   * The slow-duration histogram limits, each defaulting to the collector's default; the lease
   * TTL, defaulting to 3 × `cycleIntervalMs`.
   */
  Partial<
    Pick<CollectorConfig, 'slowSeriesPerNode' | 'slowUnknownNodes' | 'slowMaxSeries' | 'leaseTtlMs'>
  > & {
    /** How the queues' short history is kept. @default `HISTORY_DEFAULTS` */
    history?: Partial<QueueHistoryOptions>;
    /** The bounds of the slow-log groups. @default DEFAULT_GROUP_LIMITS */
    slowGroupLimits?: Partial<SlowGroupLimits>;
  };

/** What `--once` did: exit 0 only when `ok`. */
export interface OnceOutcome {
  ok: boolean;
  nodes: number;
  slowExported: number;
  /** Metrics requests sent. */
  requests: number;
  /** Services left out: another replica holds their lease (and exports them). */
  skippedServices: number;
  /** When not `ok`: metrics requests that failed for good, and the resources they held. */
  failedRequests?: number;
  lostResources?: number;
  error?: string;
}

export class QuasarCollector {
  readonly state: PulseState;
  readonly discovery: NodeDiscovery;
  private readonly rejections: Rejections;
  private readonly registry: NodeRegistry;
  private readonly histograms: DurationHistograms;
  private readonly consumer: SlowLogConsumer | undefined;
  /**
   * The slow log grouped by name, of the services this replica owns; undefined when the
   * slow-log consumer does not run (logs are not exported).
   */
  readonly slowGroups: SlowGroups | undefined;
  private readonly identities: NodeIdentities;
  private readonly fleet: FleetShare;
  private readonly metrics: MetricsExport;
  private readonly leaseTtlMs: number;
  private timer: NodeJS.Timeout | undefined;
  private cycling: Promise<PulseSnapshot> | undefined;
  private cycleCount = 0;
  private running = false;
  private readonly health: CycleHealth;
  private readonly counters = {
    cycleFailures: 0,
    lastCycleSeconds: 0,
    logExportFailures: 0,
    readFailures: 0,
    publishFailures: 0,
  };

  constructor(
    private readonly settings: CollectorSettings,
    private readonly deps: CollectorDeps,
  ) {
    this.state = new PulseState(new QueueHistory(settings.history));
    this.identities = new NodeIdentities(this.state);
    this.health = new CycleHealth(deps.logger);
    this.rejections = new Rejections(deps.logger);
    this.leaseTtlMs = settings.leaseTtlMs ?? defaultLeaseTtlMs(settings.cycleIntervalMs);
    this.fleet = new FleetShare(deps.redis, deps.metricExporter !== undefined, {
      replicaId: settings.consumerName,
      leaseTtlMs: this.leaseTtlMs,
      logger: deps.logger,
    });
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
      this.fleet.holdsChores,
      (service, error) => {
        this.counters.readFailures++;
        deps.logger.warn(
          { index: service, err: describeError(error) },
          'reading a node index failed; its last keys are read',
        );
      },
    );
    this.histograms = new DurationHistograms(
      settings.forgetAfterMs,
      {
        seriesPerNode: settings.slowSeriesPerNode,
        unknownNodesPerService: settings.slowUnknownNodes,
        maxSeries: settings.slowMaxSeries,
      },
      // Every replica counts its own entries there: one writer per series.
      Object.freeze({
        'service.name': LAST_OVERFLOW_SERVICE,
        'service.instance.id': settings.consumerName,
      }),
    );
    this.metrics = new MetricsExport(deps.metricExporter, {
      exportIntervalMs: settings.exportIntervalMs,
      skipSelfExporting: settings.skipSelfExporting,
      histograms: this.histograms,
      logger: deps.logger,
    });
    this.registry = new NodeRegistry(
      this.rejections,
      settings.maxPayloadBytes,
      settings.forgetAfterMs,
    );
    if (deps.logExporter && deps.blockingRedis) {
      this.slowGroups = new SlowGroups(settings.slowGroupLimits);
      this.consumer = new SlowLogConsumer(deps.blockingRedis, deps.logExporter, this.histograms, {
        group: settings.consumerGroup,
        consumer: settings.consumerName,
        batchSize: settings.slowBatchSize,
        reclaimIdleMs: settings.reclaimIdleMs,
        blockMs: 1000,
        admin: deps.redis,
        resourceOf: (service, nodeId) => this.identities.identityOf(service, nodeId),
        groups: this.slowGroups,
        onError: (error, what) =>
          deps.logger.error({ err: describeError(error) }, `${what} failed; retrying`),
      });
    }
  }

  /**
   * Starts the cycle loop and the slow-log consumer, and joins the replicas: the first cycle
   * runs once this replica has announced itself and read who else is live. Idempotent.
   */
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
    void this.fleet.start().then(() => {
      if (this.running) tick();
    });
  }

  /**
   * Stops the loops, finishing the cycle, export and slow-log batch in flight, then leaves the
   * replicas and releases its leases, so the others take its services over at once. Idempotent.
   */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.cycling?.catch(() => undefined);
    await this.consumer?.stop();
    await this.metrics.idle();
    await this.discovery.idle();
    await this.fleet.stop();
  }

  /**
   * One cycle: read, the lease step, export metrics when due (or when `forceExport`), publish,
   * then the index chores. With `awaitExport` the promise settles after the export, its leases
   * renewed meanwhile.
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
      const { snapshot, missing } = await this.readFleet();
      this.health.succeeded();
      const leases = await this.stepLeases(snapshot);
      this.countQueues(snapshot);
      // Export first: nothing the API or its clients do with the snapshot can cost the export.
      const exported = this.metrics.maybeExport(snapshot, this.fleet.owns, options.forceExport);
      this.publish(snapshot);
      this.handOver(leases);
      await this.discovery.tidy(missing);
      this.discovery.maybeScan()?.then(
        () => this.addSlowStreamsFromScan(),
        (error: unknown) => this.deps.logger.error({ err: describeError(error) }, 'SCAN failed'),
      );
      if (options.awaitExport && exported) await this.fleet.holding(exported);
      return snapshot;
    } catch (error) {
      this.counters.cycleFailures++;
      // Once per outage, not every cycle: RedisClient away for a minute is 30 failed cycles.
      this.health.failed(describeError(error));
      throw error;
    } finally {
      this.cycleCount++;
      this.counters.lastCycleSeconds = (performance.now() - started) / 1000;
    }
  }

  /**
   * Hands a snapshot to the API. Its failure is counted and logged, never thrown: the cycle's
   * reading and export stand on their own.
   */
  private publish(snapshot: PulseSnapshot): void {
    try {
      this.state.publish(snapshot);
    } catch (error) {
      this.counters.publishFailures++;
      this.deps.logger.error({ err: describeError(error) }, 'publishing the snapshot failed');
    }
  }

  /**
   * The lease step; services acquired or regained in it are exported at once, not an interval
   * later.
   */
  private async stepLeases(snapshot: PulseSnapshot): Promise<ReplicaStep> {
    const leases = await this.fleet.step(snapshot, this.discovery.slowLogServices);
    this.metrics.acquired([...leases.acquired, ...leases.regained]);
    return leases;
  }

  /**
   * Adds the snapshot's queue periods into the counters of the services this replica owns. Its
   * failure is counted and logged, never thrown: the export goes on with the counters it has.
   */
  private countQueues(snapshot: PulseSnapshot): void {
    try {
      this.metrics.count(snapshot, this.fleet.owns);
    } catch (error) {
      this.counters.publishFailures++;
      this.deps.logger.error({ err: describeError(error) }, 'counting queue periods failed');
    }
  }

  /** Tells the slow-log consumer which services are this replica's now. */
  private handOver(leases: ReplicaStep): void {
    try {
      this.consumer?.setOwnedServices(leases.owned, leases.acquired, this.leaseTtlMs);
    } catch (error) {
      this.counters.publishFailures++;
      this.deps.logger.error({ err: describeError(error) }, 'handing services over failed');
    }
  }

  /** Discovery, read, validation and the index chores: the picture without exporting it. */
  async read(): Promise<PulseSnapshot> {
    const { snapshot, missing } = await this.readFleet();
    await this.discovery.tidy(missing);
    return snapshot;
  }

  /** The picture, and the keys that were gone: the chores wait for the lease step. */
  private async readFleet(): Promise<{ snapshot: PulseSnapshot; missing: readonly string[] }> {
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
    const nodes = this.registry.views(serverTimeMs);
    const hashes = await readQueueHashes(this.deps.redis, layoutsByService(nodes));
    const collected = collectQueues(nodes, hashes, this.rejections, serverTimeMs);
    const pauses = await readPauseRecords(this.deps.redis, pausedQueues(collected), (error) => {
      this.counters.readFailures++;
      this.deps.logger.warn({ err: describeError(error) }, 'reading pause records failed');
    });
    const queues = withPausedBy(collected, pauses);
    return { snapshot: { cycle: this.cycleCount, serverTimeMs, nodes, queues }, missing };
  }

  /** Whether the cycle loop is healthy, for `/readyz`. */
  readiness(): Readiness {
    return this.health.readiness();
  }

  /** The batch of one snapshot, of the services `owns` accepts (all by default). */
  buildBatch(snapshot: PulseSnapshot, owns?: (service: string) => boolean): LazyBatch {
    return this.metrics.buildBatch(snapshot, owns);
  }

  /**
   * `--once`: a full SCAN, one read, the slow-log backlog, then one metrics export that includes
   * the slow durations. Resolves with whether every export succeeded. It never joins the
   * replicas: it takes the leases nobody holds (the scan lease included, for the chores), exports
   * those services, and releases the leases before it resolves.
   */
  async runOnce(): Promise<OnceOutcome> {
    try {
      return await this.once();
    } finally {
      await this.fleet.release();
    }
  }

  private async once(): Promise<OnceOutcome> {
    // The scan lease first: only its holder shares what the SCAN finds and prunes the index.
    await this.fleet.step(undefined, new Set());
    await this.discovery.scan();
    this.addSlowStreamsFromScan();
    let snapshot = await this.read();
    this.publish(snapshot);
    let leases = await this.stepLeases(snapshot);
    this.handOver(leases);
    let slowExported = 0;
    let error: string | undefined;
    if (this.consumer) {
      try {
        slowExported = await this.consumer.drain();
      } catch (e) {
        this.counters.logExportFailures++;
        error = describeError(e);
      }
      snapshot = await this.read();
      // Renews what the drain may have outlasted, and takes what was freed meanwhile.
      leases = await this.stepLeases(snapshot);
    }
    // Services whose lease could not be taken are left out: a failure, not another's share.
    if (leases.error !== undefined) error ??= `leases: ${describeError(leases.error)}`;
    const outcome = await this.fleet.holding(this.metrics.export(snapshot, this.fleet.owns));
    const services = new Set(snapshot.nodes.map((v) => v.heartbeat.service));
    for (const q of snapshot.queues) services.add(q.service);
    return {
      ok: outcome.ok && error === undefined,
      nodes: snapshot.nodes.length,
      slowExported,
      requests: outcome.requests,
      skippedServices: [...services].filter((s) => !leases.owned.has(s)).length,
      ...(outcome.ok
        ? {}
        : { failedRequests: outcome.failedRequests, lostResources: outcome.lostResources }),
      ...((error ?? outcome.error) ? { error: error ?? outcome.error } : {}),
    };
  }

  /**
   * Slow-log streams of services with no live node are served by the API, and consumed by the
   * replica that owns their service (from the next lease step on).
   */
  private addSlowStreamsFromScan(): void {
    this.state.setStreamServices(this.discovery.slowLogServices);
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
        metrics: this.metrics.counts.exported,
        logs: slow?.exportedBatches ?? 0,
      },
      exportFailures: {
        metrics: this.metrics.counts.failed,
        logs: this.counters.logExportFailures + (slow?.exportFailures ?? 0),
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
      slowGroups: this.slowGroups?.size ?? 0,
      slowGroupEvictions: {
        ...(this.slowGroups?.evictions ?? { max_groups: 0, groups_per_service: 0 }),
      },
      lastScanSeconds: this.discovery.lastScanMs / 1000,
      sseClients: 0,
      sseFailures: 0,
      sseRefused: 0,
      unserialisable: 0,
      readFailures: this.counters.readFailures,
      publishFailures: this.counters.publishFailures,
      replicas: this.fleet.stats(),
      history: this.state.history.stats(),
      queueCounters: this.metrics.queueCounters.stats(),
    };
  }
}
