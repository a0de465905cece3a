/**
 * `QuasarAgent`: a drop-in replacement for `@gravito/quasar` 1.0. Each beat writes the node's
 * heartbeat to Redis and is observed by OpenTelemetry; slow requests and jobs go to the slow
 * log. Nothing here throws into, or blocks, the host application once the options are valid.
 */
import { Heartbeater } from '../heartbeat/heartbeater';
import { identityOf } from '../heartbeat/identity';
import type { NodeIdentity } from '../heartbeat/identity';
import { Sampler } from '../heartbeat/sampler';
import { CheckRunner } from '../checks/check-runner';
import type { CheckOptions } from '../checks/types';
import { resolveRemoteControl } from '../commands/listener/remote-control-options';
import type { RemoteControlOptions } from '../commands/listener/remote-control-options';
import { createProbe, QueueMonitor } from '../queues/queue-monitor';
import type { QueueSnapshot } from '../schema';
import { resolveOptions } from '../options/resolve';
import type { ResolvedOptions } from '../options/resolve';
import type { QuasarLogger, QuasarOptions } from '../options/types';
import { EventLoopMonitor } from '../readings/event-loop';
import { readHostFacts } from '../readings/host';
import type { HostFacts } from '../readings/host';
import type { Heartbeat } from '../schema';
import { closeConnection, openConnection } from '../transport/connection';
import type { Connection } from '../transport/connection';
import { checkHttpTimingArgs } from '../slowlog/http-timing';
import type { TimedServer } from '../slowlog/http-timing';
import { SlowLog } from '../slowlog/slow-log';
import { TimedServers } from '../slowlog/timed-servers';
import type { HttpTimingOptions, SlowLogStats, SlowRecordInput } from '../slowlog/types';
import type { BullMQWorkerLike } from '../jobs/bullmq-worker';
import { JobRecorder } from '../jobs/job-recorder';
import type { JobRecordInput, JobRecordStats } from '../jobs/types';
import { defaultLogger, OutageLog } from './logger';
import { MonitorConnection } from './monitor-connection';
import { setUpOtel } from './otel-setup';
import type { OtelSetup } from './otel-setup';
import { RemoteControl } from './remote-control';
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
  /** The servers `instrumentHttpServer()` times, so `stop()` can detach them. */
  private readonly timedServers = new TimedServers();
  /** `recordJob()`'s counts and the workers `instrumentBullMQWorker()` counts. */
  private readonly jobs: JobRecorder;
  private readonly queues = new QueueMonitor();
  private readonly checks: CheckRunner;
  private transport: Connection | undefined;
  /** The application's Redis, opened at start when a registered queue lives in Redis. */
  private readonly monitor: MonitorConnection;
  private readonly remoteControl: RemoteControl;
  private heartbeater: Heartbeater | undefined;
  private otel: OtelSetup | undefined;
  private latest: Heartbeat | undefined;
  private lastWriteError: string | undefined;
  private lastConnectionError: string | undefined;
  private starting: Promise<StartResult> | undefined;
  private stopping: Promise<void> | undefined;

  private readonly onConnectionError = (error: Error) => (this.lastConnectionError = error.message);
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
    this.slowLog = new SlowLog(
      this.config.slowLog,
      { ...this.identity, keyLayout: this.config.keyLayout },
      this.logger,
    );
    this.monitor = new MonitorConnection(this.config.monitor, this.logger);
    this.remoteControl = new RemoteControl({
      service: this.identity.service,
      nodeId: this.identity.nodeId,
      logger: this.logger,
      monitor: () => this.monitor.client,
      registration: (queue) => this.queues.registration(queue),
    });
    this.checks = new CheckRunner(this.logger);
    this.jobs = new JobRecorder(this.logger);
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
    const monitorOpened = this.openMonitorIfNeeded();
    this.heartbeater = new Heartbeater({
      identity: this.identity,
      keyLayout: this.config.keyLayout,
      sampler: new Sampler(this.config.hostRoot, this.host, this.eventLoop),
      selfExport: this.otelSelfExport(),
      probe: this.config.probe,
      onProbeError: (message) => this.logger.warn(`custom probe failed: ${message}`),
      readQueues: () => this.readQueues(),
      checks: () => this.checks.results(),
      jobs: () => this.jobs.snapshot(),
      application: this.config.application,
    });
    this.checks.start();
    if (this.transport.owned && this.transport.client.status === 'wait') {
      // A failed connect is reported by the first beat, with the connection error as the reason.
      await this.transport.client.connect().catch(() => undefined);
    }
    // The first beat carries queue counts, so it waits for the monitor's first attempt too.
    await monitorOpened;
    await Promise.all([this.ticker.start(), this.remoteControl.listen(this.transport.client)]);
    // The outage was logged once, by writeLog, when the first beat failed.
    const error = this.lastWriteError;
    return {
      nodeId: this.identity.nodeId,
      connected: error === undefined,
      ...(error ? { error } : {}),
    };
  }

  /** Opens the monitor connection once a Redis-backed queue is registered and Redis is open. */
  private openMonitorIfNeeded(): Promise<void> {
    if (!this.transport || !this.queues.usesRedis) return Promise.resolve();
    return this.monitor.open(this.transport.client);
  }

  /** A probe may take half an interval, at most 5 s: the beat still goes out on time. */
  private async readQueues(): Promise<QueueSnapshot[]> {
    if (this.queues.size === 0) return [];
    const deadlineMs = Math.min(5000, this.config.intervalMs / 2);
    const snapshots = await this.queues.snapshot(this.monitor.client, deadlineMs, (message) =>
      this.logger.warn(`queue probe: ${message}`),
    );
    for (const snapshot of snapshots) {
      const actions = this.remoteControl.verbsFor(snapshot.name);
      if (actions.length > 0) snapshot.actions = actions;
    }
    return snapshots;
  }

  /** Registers the instruments; returns whether this node exports its own OTel metrics. */
  private otelSelfExport(): boolean {
    this.otel = setUpOtel(this.config, this.identity, this.logger, () => this.latest, this.jobs);
    return this.otel.selfExport;
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
   * Counts one finished job attempt of any worker: per queue, the attempts by outcome
   * (`completed`, `failed`, `retried`) and histograms of `waitMs` and `runMs` over
   * `JOB_DURATION_BOUNDS_MS`, cumulative since the agent first counted the queue. Every
   * heartbeat carries them in `jobs`, and they are exported as `quasar.queue.jobs.processed`,
   * `messaging.process.duration` and `quasar.queue.job.wait.duration` (docs/metrics.md).
   * Synchronous and cheap; works before `start()`. At most `MAX_QUEUES` (256) queues are
   * tracked: attempts of further queues are counted in `getJobRecordStats().droppedQueues`.
   *
   * Never throws: invalid input (a non-finite or negative duration, an empty queue name, an
   * unknown outcome) is counted in `getJobRecordStats().invalid` and reported once.
   * @returns true when the attempt was counted.
   */
  recordJob(input: JobRecordInput): boolean {
    if (this.stopping) return false;
    return this.jobs.record(input);
  }

  /**
   * Counts every attempt a BullMQ `Worker` finishes, from its `completed` and `failed` events,
   * as `recordJob()` with `system: 'bullmq'` (see docs/queues.md for how wait and run times are
   * read from the job). Works before or after `start()`; instrumenting the same worker twice
   * returns the first detacher; `stop()` detaches every worker. The listeners never throw
   * into the worker.
   * @returns a function that stops counting this worker.
   * @throws QuasarConfigError when `worker` is not a BullMQ Worker (no `on`/`off`, no name).
   */
  instrumentBullMQWorker(worker: BullMQWorkerLike): () => void {
    return this.jobs.instrument(worker);
  }

  /** The counters of `recordJob()` and instrumented workers since this agent was created. */
  getJobRecordStats(): JobRecordStats {
    return this.jobs.stats();
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
    return this.timedServers.add(server, options, {
      thresholdMs: this.slowLog.thresholdOf('request'),
      record: (input, spanContext) => !this.stopping && this.slowLog.record(input, spanContext),
      logger: this.logger,
    });
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
    this.timedServers.detachAll();
    this.jobs.stop();
    await this.starting?.catch(() => undefined);
    // The command running now finishes before the connections it uses close.
    await this.remoteControl.stop();
    await this.ticker.stop();
    await this.checks.stop();
    const ownQueues = this.latest?.queues?.map((q) => q.name) ?? [];
    this.queues.close();
    await this.slowLog.writer.stop();
    // Export the last beat before the instruments go away.
    const ownProvider = this.otel?.ownProvider;
    await ownProvider
      ?.forceFlush()
      .catch((error: unknown) => this.logger.warn(`OTel flush: ${String(error)}`));
    this.otel?.unregister?.();
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
    await this.monitor.close();
    if (ownProvider) {
      await ownProvider
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
    this.queues.add(name, probe, usesRedis, { type, options: options ?? {} });
    void this.openMonitorIfNeeded();
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

  /**
   * Turns remote control on: this node then executes signed `RETRY_JOB` and `DELETE_JOB`
   * commands for exactly the queues and verbs in `options.queues` (each queue must also be
   * registered with `monitorQueue()`), and leaves a result for every command it receives; see
   * docs/protocol.md. Off until called; calling it again replaces the options.
   *
   * Resolves once the node listens (after a few seconds at most when Redis is unreachable; it
   * then subscribes on reconnect), or at once before `start()`, which then subscribes.
   * @throws QuasarConfigError (as a rejection) naming the invalid option.
   */
  async enableRemoteControl(options: RemoteControlOptions): Promise<void> {
    const config = resolveRemoteControl(options, process.env);
    if (this.stopping) return;
    this.remoteControl.configure(config);
    if (this.transport) await this.remoteControl.listen(this.transport.client);
  }
}
