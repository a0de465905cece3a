/**
 * Builds and writes one node's heartbeats: the body of every tick, shared by `QuasarAgent` and
 * the benchmark so that what is measured is what ships.
 */
import type { Redis } from 'ioredis';
import { applyLegacyMetrics } from './legacy-probe';
import type { LegacyProbe } from '../options/types';
import { heartbeatTtlSeconds, QuasarKeys } from '../schema';
import type { Heartbeat } from '../schema';
import { removeHeartbeat, writeHeartbeat } from '../transport/heartbeat-store';
import { withDeadline } from '../util/deadline';
import type { NodeIdentity } from './identity';
import { buildHeartbeat } from './payload';
import type { Sampler } from './sampler';

export interface HeartbeaterOptions {
  identity: NodeIdentity;
  sampler: Sampler;
  /** Whether this node exports its own OTel metrics (the heartbeat's `otel.selfExport`). */
  selfExport: boolean;
  /** A 1.0-style custom probe whose figures replace the built-in readings. */
  probe?: LegacyProbe;
  /** Told when the custom probe fails; the beat goes out without it. */
  onProbeError?: (message: string) => void;
}

export class Heartbeater {
  /** `gravito:quasar:node:{service}:{nodeId}`. */
  readonly key: string;
  private readonly ttlSeconds: number;
  /** A beat (probe or write) never takes longer than one interval. */
  private readonly deadlineMs: number;

  constructor(private readonly options: HeartbeaterOptions) {
    const { service, nodeId, intervalMs } = options.identity;
    this.key = QuasarKeys.node(service, nodeId);
    this.ttlSeconds = heartbeatTtlSeconds(intervalMs);
    this.deadlineMs = intervalMs;
  }

  /** Takes the readings and builds the heartbeat. Never rejects. */
  async build(): Promise<Heartbeat> {
    const { identity, sampler, selfExport, probe } = this.options;
    const heartbeat = buildHeartbeat(identity, sampler.sample(), { selfExport });
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
      const errors = [...(heartbeat.runtime.errors ?? []), 'reading_failed:probe'];
      return { ...heartbeat, runtime: { ...heartbeat.runtime, status: 'degraded', errors } };
    }
  }

  /** Writes the heartbeat and its index entry; rejects when Redis does not take it in time. */
  write(client: Redis, heartbeat: Heartbeat): Promise<void> {
    const json = JSON.stringify(heartbeat);
    const write = writeHeartbeat(client, this.key, json, this.ttlSeconds, heartbeat.timestamp);
    return withDeadline(write, this.deadlineMs, 'heartbeat write');
  }

  /** Deletes the heartbeat and its index entry. */
  remove(client: Redis): Promise<void> {
    return withDeadline(removeHeartbeat(client, this.key), 2000, 'heartbeat removal');
  }
}
