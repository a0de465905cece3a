/**
 * `QuasarAgent`: a drop-in replacement for `@gravito/quasar` 1.0. Each beat writes the node's
 * heartbeat to Redis and is observed by OpenTelemetry; slow requests and jobs go to the slow
 * log. Nothing here throws into, or blocks, the host application once the options are valid.
 */
import { metrics } from '@opentelemetry/api';
import type { Meter } from '@opentelemetry/api';
import type { MeterProvider as SdkMeterProvider } from '@opentelemetry/sdk-metrics';
import { Heartbeater } from '../heartbeat/heartbeater';
import { identityOf } from '../heartbeat/identity';
import type { NodeIdentity } from '../heartbeat/identity';
import { Sampler } from '../heartbeat/sampler';
import { CheckRunner } from '../checks/check-runner';
import type { CheckOptions } from '../checks/types';
import { QuasarNotImplementedError } from '../options/errors';
import { createProbe, QueueMonitor } from '../queues/queue-monitor';
import type { QueueSnapshot } from '../schema';
import { resolveOptions } from '../options/resolve';
import type { ResolvedOptions } from '../options/resolve';
import type { QuasarLogger, QuasarOptions } from '../options/types';
import { createOtlpMeterProvider, otlpEndpointConfigured } from '../otel/otlp-provider';
import { registerNodeInstruments } from '../otel/instruments';
import type { Unregister } from '../otel/instruments';
import { EventLoopMonitor } from '../readings/event-loop';
import { readHostFacts } from '../readings/host';
import type { HostFacts } from '../readings/host';
import type { Heartbeat } from '../schema';
import { closeConnection, openConnection } from '../transport/connection';
import type { Connection } from '../transport/connection';
import { checkHttpTimingArgs, timeHttpServer } from '../slowlog/http-timing';
import type { TimedServer } from '../slowlog/http-timing';
import { SlowLog } from '../slowlog/slow-log';
import type { HttpTimingOptions, SlowLogStats, SlowRecordInput } from '../slowlog/types';
import { SDK_NAME, SDK_VERSION } from '../version';
import { defaultLogger, OutageLog } from './logger';
import { Ticker } from './ticker';

/** What `start()` reports. It never rejects: a Redis outage is a state, not a crash. */
export interface StartResult {
  nodeId: string;
  /** True when the first heartbeat reached Redis. */
  connected: boolean;
  /** Why the first heartbeat did not reach Redis; beats keep retrying in the background. */
  error?: string;
}

export class QuasarAgent {
  private readonly config: ResolvedOptions;
  private readonly logger: QuasarLogger;
  private readonly host: HostFacts;
  private readonly identity: NodeIdentity;
  private readonly eventLoop = new EventLoopMonitor();
  private readonly ticker: Ticker;
  private readonly writeLog: OutageLog;
  private readonly slowLog: SlowLog;
  /** Detachers of the servers `instrumentHttpServer()` times, so `stop()` can detach them. */
  private readonly timedServers = new Map<TimedServer, () => void>();
  private readonly queues = new QueueMonitor();
  private readonly checks: CheckRunner;
  private transport: Connection | undefined;
  /** The application's Redis, opened at start when a registered queue lives in Redis. */
  private monitor: Connection | undefined;
  private heartbeater: Heartbeater | undefined;
  private ownProvider: SdkMeterProvider | undefined;
  private unregisterInstruments: Unregister | undefined;
  private latest: Heartbeat | undefined;
  private lastWriteError: string | undefined;
  private lastConnectionError: string | undefined;
  private starting: Promise<StartResult> | undefined;
  private stopping: Promise<void> | undefined;

  private readonly onConnectionError = (error: Error) => (this.lastConnectionError = error.message);
  private readonly onMonitorError = (error: Error) => {
    this.monitorLog.failed(error);
  };
  private readonly onMonitorReady = () => this.monitorLog.succeeded();
  private readonly monitorLog: OutageLog;
  private readonly onConnectionReady = () => {
    this.lastConnectionError = undefined;
    this.slowLog.writer.wake();
  };

  /** @throws QuasarConfigError when an option (or its environment variable) is invalid. */
  constructor(options?: QuasarOptions) {
    this.config = resolveOptions(options, process.env);
    this.logger = this.config.logger ?? defaultLogger();
    this.host = readHostFacts();
    this.identity = identityOf(this.host, this.config);
    this.ticker = new Ticker(this.config.intervalMs, () => this.beat());
    this.writeLog = new OutageLog(this.logger, `heartbeat of ${this.identity.nodeId}`);
    this.slowLog = new SlowLog(this.config.slowLog, this.identity, this.logger);
    this.monitorLog = new OutageLog(this.logger, 'monitor Redis (queue probes)');
    this.checks = new CheckRunner(this.logger);
  }

  /** The node id, `{name or hostname}-{pid}`; known from construction on. */
  getNodeId(): string {
    return this.identity.nodeId;
  }

  /** The last heartbeat built (written or not), for diagnostics. */
  getLastHeartbeat(): Heartbeat | undefined {
    return this.latest;
  }

  /**
   * Connects, sends the first beat, and keeps beating every interval. Idempotent. Never
   * rejects: when Redis is unreachable the result says why and beats resume on reconnect.
   */
  start(): Promise<StartResult> {
    // A stopped agent stays stopped: starting it again would open a connection and a ticker
    // that the (memoized) stop() could never release.
    if (this.stopping && !this.starting) {
      return Promise.resolve({
        nodeId: this.identity.nodeId,
        connected: false,
        error: 'agent stopped',
      });
    }
    this.starting ??= this.doStart();
    return this.starting;
  }

  private async doStart(): Promise<StartResult> {
    this.transport = openConnection(this.config.transport, 'transport');
    // ioredis emits 'error' on every failed reconnect; an unhandled 'error' would crash the host.
    this.transport.client.on('error', this.onConnectionError);
    this.transport.client.on('ready', this.onConnectionReady);
    // Entries recorded before start() go out first; until 'ready' they simply wait.
    this.slowLog.writer.start(this.transport.client);
    this.eventLoop.start();
    this.openMonitorIfNeeded();
    this.heartbeater = new Heartbeater({
      identity: this.identity,
      sampler: new Sampler(this.config.hostRoot, this.host, this.eventLoop),
      selfExport: this.setUpOtel(),
      probe: this.config.probe,
      onProbeError: (message) => this.logger.warn(`custom probe failed: ${message}`),
      readQueues: () => this.readQueues(),
      checks: () => this.checks.results(),
      application: this.config.application,
    });
    this.checks.start();
    if (this.transport.owned && this.transport.client.status === 'wait') {
      // A failed connect is reported by the first beat, with the connection error as the reason.
      await this.transport.client.connect().catch(() => undefined);
    }
    await this.ticker.start();
    // The outage was logged once, by writeLog, when the first beat failed.
    const error = this.lastWriteError;
    return {
      nodeId: this.identity.nodeId,
      connected: error === undefined,
      ...(error ? { error } : {}),
    };
  }

  /**
   * Opens the monitor connection once a Redis-backed queue is registered. Without a `monitor`
   * option the queues are read through the transport connection: one Redis for both.
   */
  private openMonitorIfNeeded(): void {
    if (this.monitor || !this.transport || !this.queues.usesRedis) return;
    if (!this.config.monitor) {
      this.monitor = { client: this.transport.client, owned: false };
      return;
    }
    const monitor = openConnection(this.config.monitor, 'monitor');
    monitor.client.on('error', this.onMonitorError);
    monitor.client.on('ready', this.onMonitorReady);
    if (monitor.owned && monitor.client.status === 'wait') {
      monitor.client.connect().catch(() => undefined);
    }
    this.monitor = monitor;
  }

  /** A probe may take half an interval, at most 5 s: the beat still goes out on time. */
  private readQueues(): Promise<QueueSnapshot[]> {
    if (this.queues.size === 0) return Promise.resolve([]);
    const deadlineMs = Math.min(5000, this.config.intervalMs / 2);
    return this.queues.snapshot(this.monitor?.client, deadlineMs);
  }

  /** Registers the instruments; returns whether this node exports its own OTel metrics. */
  private setUpOtel(): boolean {
    const otel = this.config.otel;
    if (!otel.enabled) return otel.selfExport ?? false;
    let provider = otel.meterProvider;
    if (!provider && otel.exportOtlp) {
      if (otlpEndpointConfigured(process.env)) {
        this.ownProvider = createOtlpMeterProvider(this.describeNode(), this.config.intervalMs);
        provider = this.ownProvider;
      } else {
        this.logger.info(
          'otel.exportOtlp is on but OTEL_EXPORTER_OTLP_ENDPOINT is not set; not exporting',
        );
      }
    }
    const meter: Meter = (provider ?? metrics.getMeterProvider()).getMeter(SDK_NAME, SDK_VERSION);
    this.unregisterInstruments = registerNodeInstruments(meter, () => this.latest);
    return otel.selfExport ?? provider !== undefined;
  }

  private describeNode() {
    const { service, nodeId, hostname, pid, runtime, platform } = this.identity;
    return {
      service,
      id: nodeId,
      hostname,
      pid,
      language: runtime.language,
      version: runtime.version,
      platform,
    };
  }

  /** One beat: read, build, write. Errors are contained here, so the host never sees them. */
  private async beat(): Promise<void> {
    const heartbeater = this.heartbeater;
    const transport = this.transport;
    if (!heartbeater || !transport) return;
    try {
      this.latest = await heartbeater.build();
      await heartbeater.write(transport.client, this.latest);
      this.lastWriteError = undefined;
      this.writeLog.succeeded();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const status = transport.client.status;
      this.lastWriteError =
        status === 'ready'
          ? message
          : `transport Redis is ${status}${this.lastConnectionError ? ` (${this.lastConnectionError})` : ''}`;
      this.writeLog.failed(new Error(this.lastWriteError));
    }
  }

  /**
   * Records a slow request or job when `durationMs` is at or above its kind's threshold
   * (`slowLog.requestThresholdMs` / `slowLog.jobThresholdMs`), with the node, the time and the
   * active OTel span. Synchronous and cheap: the entry is written to Redis in the background,
   * and kept in memory (up to `slowLog.bufferSize`) while Redis is away. Calls before `start()`
   * are kept until it connects.
   *
   * Never throws: invalid input is counted in `getSlowLogStats().invalid` and reported once
   * through the logger.
   * @returns true when the entry was recorded; false when it was below its threshold, invalid,
   * the slow log is disabled, or `stop()` was called.
   */
  recordSlow(input: SlowRecordInput): boolean {
    if (this.stopping) return false;
    return this.slowLog.record(input);
  }

  /** The slow log's counters since this agent was created. */
  getSlowLogStats(): SlowLogStats {
    return this.slowLog.stats();
  }

  /**
   * Times every request of a `node:http` or `node:https` server and records the slow ones
   * (`kind: 'request'`, named `{method} {route}`, with `method`, `route` when `routeOf` gives
   * one, and `status`; 499 when the client closed the connection before the response finished).
   * Without `routeOf`, the name uses the path without its query string, with numeric, UUID and
   * long hex segments collapsed to `:id`; other per-record segments (user names, slugs) are
   * kept, so pass `routeOf` when paths carry them. Instrumenting the same server twice returns
   * the first detacher; `stop()` detaches every server.
   * @returns a function that stops timing this server.
   * @throws QuasarConfigError when `server` is not an event emitter or `routeOf` not a function.
   */
  instrumentHttpServer(server: TimedServer, options: HttpTimingOptions = {}): () => void {
    checkHttpTimingArgs(server, options);
    const existing = this.timedServers.get(server);
    if (existing) return existing;
    if (this.stopping || !this.config.slowLog.enabled) return () => undefined;
    const stopTiming = timeHttpServer(server, options, {
      thresholdMs: this.slowLog.thresholdOf('request'),
      record: (input, spanContext) => !this.stopping && this.slowLog.record(input, spanContext),
      logger: this.logger,
    });
    const detach = () => {
      // A stale detacher must not unregister a later instrumentation of the same server.
      if (this.timedServers.get(server) === detach) this.timedServers.delete(server);
      stopTiming();
    };
    this.timedServers.set(server, detach);
    return detach;
  }

  /**
   * Stops beating, writes the pending slow entries (within 2 s), deletes the heartbeat and its
   * index entry, flushes the agent's own OTel provider, and closes the connections it opened.
   * Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    for (const detach of [...this.timedServers.values()]) detach();
    await this.starting?.catch(() => undefined);
    await this.ticker.stop();
    await this.checks.stop();
    const ownQueues = this.latest?.queues?.map((q) => q.name) ?? [];
    this.queues.close();
    await this.slowLog.writer.stop();
    // Export the last beat before the instruments go away.
    await this.ownProvider
      ?.forceFlush()
      .catch((error: unknown) => this.logger.warn(`OTel flush: ${String(error)}`));
    this.unregisterInstruments?.();
    this.eventLoop.stop();
    const transport = this.transport;
    const heartbeater = this.heartbeater;
    if (transport && heartbeater && transport.client.status === 'ready') {
      await heartbeater
        .remove(transport.client, ownQueues)
        .catch((error: unknown) =>
          this.logger.warn(`could not remove ${heartbeater.key}: ${String(error)}`),
        );
    }
    if (this.monitor?.owned) {
      this.monitor.client.off('error', this.onMonitorError);
      this.monitor.client.off('ready', this.onMonitorReady);
      await closeConnection(this.monitor);
    }
    if (this.ownProvider) {
      await this.ownProvider
        .shutdown()
        .catch((error: unknown) => this.logger.warn(`OTel shutdown: ${String(error)}`));
    }
    if (transport) {
      // The application's own client stays open, without our listeners.
      transport.client.off('error', this.onConnectionError);
      transport.client.off('ready', this.onConnectionReady);
      await closeConnection(transport);
    }
  }

  /**
   * Reports a queue's depth in every heartbeat and in the service's queue hash
   * (`gravito:quasar:queues:{service}`). Types: `redis` (a plain list; the default, as in 1.0),
   * `laravel`, `horizon`, `bullmq`, `bull`, `stream` and `sqs`; `options` holds what the type
   * needs (`prefix`, `redisPrefix`, `queueUrl`, …; see docs/queues.md). Redis-backed queues are
   * read through the `monitor` connection, or the transport one when no monitor is configured.
   * Registering the same name again replaces it. May be called before or after `start()`.
   * @throws QuasarConfigError naming the unknown type, or the missing or invalid option.
   */
  monitorQueue(name: string, type: string = 'redis', options?: Record<string, unknown>): void {
    const { probe, usesRedis } = createProbe(name, type, options);
    if (this.stopping) {
      probe.close?.();
      return;
    }
    this.queues.add(name, probe, usesRedis);
    this.openMonitorIfNeeded();
  }

  /**
   * Runs an availability check off the heartbeat path, on its own interval and deadline; each
   * heartbeat carries its latest result in `checks`. Registering the same name again replaces it.
   * @throws QuasarConfigError naming the invalid option.
   */
  monitorCheck(name: string, options: CheckOptions): void {
    if (this.stopping) return;
    this.checks.add(name, options);
  }

  /** Signed remote control arrives with the remote-control release. */
  async enableRemoteControl(_options?: Record<string, unknown>): Promise<never> {
    throw new QuasarNotImplementedError('enableRemoteControl()');
  }
}
