/** The slow-log consumer's options, counters and internal shapes. */
import type { RedisClient } from '@gravito/quasar';
import type { SlowEntry } from '@gravito/quasar/schema';
import type { Resource } from '@opentelemetry/resources';
import type { MetricAttributes } from '../otlp/metric-batch';
import type { SlowGroups } from './groups/slow-groups';

/** The resource an entry's node is reported under, and a stable key for it. */
export interface NodeIdentity {
  nodeKey: string;
  attributes: MetricAttributes;
  resource: Resource;
  /**
   * Whether the collector holds a heartbeat of this node (online, stale, or offline and not yet
   * forgotten). Node ids without one are limited per service in the duration histograms.
   */
  known: boolean;
}

export interface SlowLogConsumerOptions {
  group: string;
  consumer: string;
  batchSize: number;
  reclaimIdleMs: number;
  /** How long one XREADGROUP waits for new entries, ms. */
  blockMs: number;
  /**
   * On a Redis Cluster, where reads cannot block: the longest wait between two reads of new
   * entries after empty ones, ms (the wait doubles from 25 ms up to this, and never exceeds
   * `blockMs`). Unused on a single Redis.
   * @default 500
   */
  clusterPollMs?: number;
  /** A connection that never blocks, for `backlog()` (defaults to the reading one). */
  admin?: RedisClient;
  /**
   * How long `stop()` waits for the batch in flight and the one read ahead to be exported and
   * acknowledged, ms; what is still pending then is handed back for another replica.
   * @default 10000
   */
  stopTimeoutMs?: number;
  /**
   * Consumers of the group with no pending entry and no read for this long are deleted (every
   * restart adds a consumer named `{hostname}-{pid}`), ms. Checked every half of it.
   * @default 3600000
   */
  consumerExpiryMs?: number;
  resourceOf: (service: string, nodeId: string) => NodeIdentity;
  /**
   * The slow log grouped by name, fed with the entries exported of the services this consumer
   * owns (as the histograms are); a service given up is forgotten there too.
   */
  groups?: SlowGroups;
  onError: (error: unknown, what: string) => void;
}

export interface SlowLogCounts {
  exported: number;
  /** Successful log exports (each carries up to one read batch). */
  exportedBatches: number;
  malformed: number;
  /** Entries trimmed by MAXLEN while still pending: acknowledged, nothing left to export. */
  trimmed: number;
  exportFailures: number;
  /** Entries claimed from a dead replica after `reclaimIdleMs`, by the periodic pass. */
  reclaimed: number;
  /**
   * Entries claimed when a service was acquired (`setOwnedServices`): what its previous owner
   * left pending for the acquisition's `claimIdleMs`.
   */
  claimedOnAcquire: number;
  /** Entries still pending at `stop()`, handed back for another replica to claim at once. */
  handedBack: number;
  /** Other consumers deleted from the group: idle past `consumerExpiryMs`, nothing pending. */
  deletedConsumers: number;
  /** Reads, claims or acks one stream refused (deleted, or not a stream): set aside, retried. */
  streamErrors: number;
}

/** Counts at start: all zero. */
export function emptyCounts(): SlowLogCounts {
  return {
    exported: 0,
    exportedBatches: 0,
    malformed: 0,
    trimmed: 0,
    exportFailures: 0,
    reclaimed: 0,
    claimedOnAcquire: 0,
    handedBack: 0,
    deletedConsumers: 0,
    streamErrors: 0,
  };
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
