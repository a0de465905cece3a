/**
 * The keys Horizon writes under its own prefix, which replaces the connection's: app-wide
 * indexes of job ids and one hash per job. This is the only module that concatenates them; the
 * queue's own keys are Laravel's (`../laravel/keys.ts`).
 */
import { optionError, stringOption } from '../../probe-options';
import type { ProbeOptions } from '../../types';
import { hashTagged } from '../laravel/keys';

/** Horizon's prefix for an app named `Laravel`: `Str::slug(APP_NAME, '_').'_horizon:'`. */
export const DEFAULT_HORIZON_PREFIX = 'laravel_horizon:';

/** Horizon's app-wide job indexes: zsets of job ids scored by minus the time, newest first. */
export type HorizonIndex = 'failed_jobs' | 'completed_jobs' | 'recent_jobs' | 'pending_jobs';

/** The keys Horizon writes under its prefix. */
export interface HorizonKeys {
  /** One of the app-wide job indexes. */
  index(name: HorizonIndex): string;
  /** The hash of one job (`name`, `queue`, `status`, `exception`, `failed_at`, …). */
  job(id: string): string;
  /**
   * `queue:{name}`: the metrics of one queue since Horizon's last snapshot, fields `throughput`
   * (jobs processed) and `runtime` (their mean run time, ms); deleted by each snapshot.
   */
  queueMetrics(queue: string): string;
  /**
   * `snapshot:queue:{name}`: the queue's metrics as each `horizon:snapshot` moved them out of
   * `queue:{name}`, a zset of JSON members scored by the snapshot's unix seconds.
   */
  queueSnapshots(queue: string): string;
  /** `last_snapshot_at`: when Horizon last took its metrics snapshot, unix seconds. */
  readonly lastSnapshotAt: string;
}

/** Horizon's keys under `horizonPrefix`, which recent Horizon 5 releases hash-tag on a Cluster. */
export function horizonKeys(horizonPrefix: string, hashTags: boolean): HorizonKeys {
  const prefix = hashTagged(horizonPrefix, hashTags);
  return {
    index: (name) => prefix + name,
    job: (id) => prefix + id,
    queueMetrics: (queue) => `${prefix}queue:${queue}`,
    queueSnapshots: (queue) => `${prefix}snapshot:queue:${queue}`,
    lastSnapshotAt: `${prefix}last_snapshot_at`,
  };
}

/**
 * Reads `horizonPrefix`: a non-empty string, `laravel_horizon:` by default.
 * @throws QuasarConfigError naming `horizonPrefix`.
 */
export function horizonPrefixOption(queue: string, type: string, options: ProbeOptions): string {
  const prefix = stringOption(queue, type, options, 'horizonPrefix', DEFAULT_HORIZON_PREFIX);
  if (prefix === '') throw optionError(queue, type, 'horizonPrefix', 'a non-empty string');
  return prefix;
}
