/**
 * The probe table: every queue system `monitorQueue()` can read, by type. Adding a system is
 * one file in `probes/` and one row here.
 */
import { bullProbe } from './probes/bull';
import { bullmqProbe } from './probes/bullmq';
import { horizonProbe } from './probes/horizon';
import { laravelProbe } from './probes/laravel';
import { redisListProbe } from './probes/redis-list';
import { sqsProbe } from './probes/sqs';
import { streamProbe } from './probes/stream';
import type { ProbeType } from './types';

/** Every probe type, keyed by its `monitorQueue()` type name. */
export const PROBE_TYPES: ReadonlyMap<string, ProbeType> = new Map(
  [redisListProbe, laravelProbe, horizonProbe, bullmqProbe, bullProbe, streamProbe, sqsProbe].map(
    (probe) => [probe.type, probe],
  ),
);

/** The type names, for error messages and docs. */
export const QUEUE_TYPES: readonly string[] = [...PROBE_TYPES.keys()];
