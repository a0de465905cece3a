/**
 * Builds and writes one node's heartbeats: the body of every tick, shared by `QuasarAgent` and
 * the benchmark so that what is measured is what ships.
 */
import type { RedisClient } from '../redis/redis-client';
import { applyLegacyMetrics } from './legacy-probe';
import type { LegacyProbe } from '../options/types';
import { heartbeatTtlSeconds, serviceKeys } from '../schema';
import type {
  CheckResult,
  Heartbeat,
  JobStats,
  KeyLayout,
  QueueSnapshot,
  ServiceKeys,
} from '../schema';
import { removeHeartbeat, writeHeartbeat } from '../transport/heartbeat-store';
import type { HeartbeatKeys } from '../transport/heartbeat-store';
import { withDeadline } from '../util/deadline';
import type { NodeIdentity } from './identity';
import { buildHeartbeat } from './payload';
import type { Sampler } from './sampler';
import { ServiceAnnouncer } from './service-announcer';

export interface HeartbeaterOptions {
  identity: NodeIdentity;
  /** The layout of the keys written; `v1` when left out. */
  keyLayout?: KeyLayout;
  sampler: Sampler;
  /** Whether this node exports its own OTel metrics (the heartbeat's `otel.selfExport`). */
  selfExport: boolean;
  /** A 1.0-style custom probe whose figures replace the built-in readings. */
  probe?: LegacyProbe;
  /** Told when the custom probe fails; the beat goes out without it. */
  onProbeError?: (message: string) => void;
  /** Reads the monitored queues; never rejects (a failed queue carries its `error`). */
  readQueues?: () => Promise<QueueSnapshot[]>;
  /** The latest result of each availability check. */
  checks?: () => CheckResult[];
  /** This process's job counts per queue (`recordJob`, `instrumentBullMQWorker`). */
  jobs?: () => JobStats[];
  /** For a sidecar: the monitored application's runtime, and extra `meta` fields. */
  application?: ApplicationReport;
}

/** What a sidecar reports about the application it watches instead of itself. */
export interface ApplicationReport {
  language?: string;
  version?: string;
  meta?: () => Record<string, unknown>;
}

export class Heartbeater {
  /** The heartbeat key, in the configured layout. */
  readonly key: string;
  /** The keys this node writes, in the configured layout. */
  private readonly keys: ServiceKeys;
  private readonly own: HeartbeatKeys;
  /** Keeps the service in the service index; v2 only. */
  private readonly announcer: ServiceAnnouncer | undefined;
  private readonly ttlSeconds: number;
  /** A beat (probe or write) never takes longer than one interval. */
  private readonly deadlineMs: number;

  constructor(private readonly options: HeartbeaterOptions) {
    const { service, nodeId, intervalMs } = options.identity;
    this.keys = serviceKeys(service, options.keyLayout ?? 'v1');
    this.key = this.keys.node(nodeId);
    this.own = { key: this.key, indexKey: this.keys.nodeIndex, queuesKey: this.keys.queues };
    this.announcer = this.keys.layout === 'v2' ? new ServiceAnnouncer(service) : undefined;
    this.ttlSeconds = heartbeatTtlSeconds(intervalMs);
    this.deadlineMs = intervalMs;
  }

  /** Takes the readings and builds the heartbeat. Never rejects. */
  async build(): Promise<Heartbeat> {
    const { identity, sampler, selfExport, readQueues } = this.options;
    const queues = readQueues?.();
    let heartbeat = buildHeartbeat(identity, sampler.sample(), { selfExport });
    heartbeat = this.withApplication(heartbeat);
    // Absent means v1, so a v1 heartbeat stays byte for byte what it was.
    if (this.keys.layout === 'v2') heartbeat.keyLayout = 'v2';
    const checks = this.options.checks?.();
    if (checks && checks.length > 0) heartbeat.checks = checks;
    const jobs = this.options.jobs?.();
    if (jobs && jobs.length > 0) heartbeat.jobs = jobs;
    heartbeat = await this.withLegacyProbe(heartbeat);
    const snapshots = queues ? await queues : [];
    if (snapshots.length > 0) heartbeat.queues = snapshots;
    return heartbeat;
  }

  private withApplication(heartbeat: Heartbeat): Heartbeat {
    const app = this.options.application;
    if (!app) return heartbeat;
    if (app.language) heartbeat.language = app.language;
    if (app.version) heartbeat.version = app.version;
    if (!app.meta) return heartbeat;
    try {
      heartbeat.meta = { ...heartbeat.meta, ...app.meta() };
      return heartbeat;
    } catch {
      return degraded(heartbeat, 'reading_failed:meta');
    }
  }

  private async withLegacyProbe(heartbeat: Heartbeat): Promise<Heartbeat> {
    const probe = this.options.probe;
    if (!probe) return heartbeat;
    try {
      const metrics = await withDeadline(
        Promise.resolve(probe.getMetrics()),
        this.deadlineMs / 2,
        'probe',
      );
      return applyLegacyMetrics(heartbeat, metrics);
    } catch (error) {
      this.options.onProbeError?.(error instanceof Error ? error.message : String(error));
      return degraded(heartbeat, 'reading_failed:probe');
    }
  }

  /**
   * Writes the heartbeat, its index entry and its queue snapshots (into the service's queue
   * hash), and in v2 announces the service when due; rejects when Redis does not take them in
   * time.
   */
  write(client: RedisClient, heartbeat: Heartbeat): Promise<void> {
    const json = JSON.stringify(heartbeat);
    const beat = writeHeartbeat(client, {
      ...this.own,
      json,
      ttlSeconds: this.ttlSeconds,
      timestampMs: heartbeat.timestamp,
      queues: heartbeat.queues,
    });
    const write = this.announcer
      ? Promise.all([beat, this.announcer.announce(client, heartbeat.timestamp)]).then(() => {})
      : beat;
    return withDeadline(write, this.deadlineMs, 'heartbeat write');
  }

  /**
   * Deletes the heartbeat, its index entry and this node's queue fields (another node that
   * watches the same queue writes it back on its next beat).
   */
  remove(client: RedisClient, queues: readonly string[] = []): Promise<void> {
    const removal = removeHeartbeat(client, this.own, queues);
    return withDeadline(removal, 2000, 'heartbeat removal');
  }
}

/** The beat with one more failed reading: status `degraded`, the tag in `runtime.errors`. */
function degraded(heartbeat: Heartbeat, tag: string): Heartbeat {
  const errors = [...(heartbeat.runtime.errors ?? []), tag];
  return { ...heartbeat, runtime: { ...heartbeat.runtime, status: 'degraded', errors } };
}
