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
 *
 * The same script keeps `runtime`, the running mean of those jobs' run times in ms (from the
 * worker's reservation of the job to its deletion, to 0.01 ms): it becomes `meanRunMs`.
 */
import type { QueueThroughput } from '../../../schema';
import { perMinute } from '../../rate';
import { readHorizonMetrics } from './snapshots';

const MINUTE_MS = 60_000;
/** A count Horizon writes as a decimal integer. */
const COUNT = /^\d{1,15}$/;

/**
 * The throughput of one queue from Horizon's replies: `throughput` and `runtime` of
 * `queue:{name}` (null when no job was processed since the snapshot) and `last_snapshot_at`;
 * undefined without a snapshot, or when the fields are not as Horizon writes them.
 * @param nowMs the agent's clock (Horizon's is the PHP host's: they are assumed to agree).
 */
export function horizonThroughput(
  processed: unknown,
  runtime: unknown,
  lastSnapshotAt: unknown,
  nowMs: number,
): QueueThroughput | undefined {
  if (typeof lastSnapshotAt !== 'string' || !COUNT.test(lastSnapshotAt)) return undefined;
  const measured = readHorizonMetrics(processed, runtime);
  if (measured === undefined) return undefined;
  const since = Number(lastSnapshotAt);
  const windowMs = Math.max(nowMs - since * 1000, MINUTE_MS);
  const throughput: QueueThroughput = {
    out: perMinute(measured.throughput, windowMs),
    source: 'horizon',
    windowMs,
  };
  if (measured.throughput > 0) throughput.meanRunMs = measured.runtime;
  return throughput;
}
