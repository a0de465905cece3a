/** The slow-log consumer's options, counters and internal shapes. */
import type Redis from 'ioredis';
import type { SlowEntry } from '@gravito/quasar/schema';
import type { Resource } from '@opentelemetry/resources';
import type { MetricAttributes } from '../otlp/metric-batch';

/** The resource an entry's node is reported under, and a stable key for it. */
export interface NodeIdentity {
  nodeKey: string;
  attributes: MetricAttributes;
  resource: Resource;
}

export interface SlowLogConsumerOptions {
  group: string;
  consumer: string;
  batchSize: number;
  reclaimIdleMs: number;
  /** How long one XREADGROUP waits for new entries, ms. */
  blockMs: number;
  /** A connection that never blocks, for `backlog()` (defaults to the reading one). */
  admin?: Redis;
  resourceOf(service: string, nodeId: string): NodeIdentity;
  onError(error: unknown, what: string): void;
}

export interface SlowLogCounts {
  exported: number;
  /** Successful log exports (each carries up to one read batch). */
  exportedBatches: number;
  malformed: number;
  /** Entries trimmed by MAXLEN while still pending: acknowledged, nothing left to export. */
  trimmed: number;
  exportFailures: number;
  reclaimed: number;
}

export type StreamReply = Array<[string, Array<[string, string[] | null]>]> | null;

export interface Prepared {
  handled: number;
  ackNow: Map<string, string[]>;
  decoded: Decoded[];
}

export interface Decoded {
  stream: string;
  id: string;
  service: string;
  entry: SlowEntry;
}
