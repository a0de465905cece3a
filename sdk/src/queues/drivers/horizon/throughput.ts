/**
 * Jobs per minute of one Horizon queue, as Horizon itself computes its "jobs per minute":
 * `MetricsRepository::jobsProcessedPerMinute()` divides the `throughput` counter of
 * `queue:{name}` by the minutes since `last_snapshot_at`, at least one. Horizon increments that
 * counter when a job is processed and deleted without failing (`UpdateJobMetrics` on
 * `JobDeleted`), and its scheduled `horizon:snapshot` moves it into `snapshot:queue:{name}`
 * and starts it again; so the window is the time since the last snapshot.
 *
 * So this is `out` of jobs that succeeded: Horizon counts no failures and no pushes per queue,
 * so `failed` and `in` are left out. Before Horizon took any snapshot, it would write
 * `last_snapshot_at` on the next read of its own; the probe writes nothing, and reports nothing.
 */
import type { QueueThroughput } from '../../../schema';
import { perMinute } from '../../rate';

const MINUTE_MS = 60_000;
/** A count Horizon writes as a decimal integer. */
const COUNT = /^\d{1,15}$/;

/**
 * The throughput of one queue from Horizon's replies: `throughput` of `queue:{name}` (null when
 * no job was processed since the snapshot) and `last_snapshot_at`; undefined without a snapshot.
 * @param nowMs the agent's clock (Horizon's is the PHP host's: they are assumed to agree).
 */
export function horizonThroughput(
  processed: unknown,
  lastSnapshotAt: unknown,
  nowMs: number,
): QueueThroughput | undefined {
  if (typeof lastSnapshotAt !== 'string' || !COUNT.test(lastSnapshotAt)) return undefined;
  if (processed !== null && (typeof processed !== 'string' || !COUNT.test(processed))) {
    return undefined;
  }
  const sinceMs = nowMs - Number(lastSnapshotAt) * 1000;
  const windowMs = Math.max(sinceMs, MINUTE_MS);
  return {
    out: perMinute(processed === null ? 0 : Number(processed), windowMs),
    source: 'horizon',
    windowMs,
  };
}
