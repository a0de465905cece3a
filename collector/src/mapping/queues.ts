/**
 * Queue depth is a property of the queue, not of the node: five nodes probing `emails` report
 * one queue. Snapshots come from the per-service hash (written by current agents) and from
 * heartbeats' `queues` arrays (the originals); the hash wins, else the freshest heartbeat.
 */
import { MAX_QUEUES, heartbeatTtlSeconds, parseQueueSnapshot } from '@gravito/quasar/schema';
import type { QueueSnapshot } from '@gravito/quasar/schema';
import { PulseStatus } from '../nodes/node-view';
import type { NodeView } from '../nodes/node-view';
import type { Rejections } from '../nodes/rejections';
import type { QueueHashes } from '../redis/queue-hashes';
import type { NumberPoint, ResourceBlock } from '../otlp/metric-batch';
import type { QueueCounters } from '../periods/queue-counters';
import { BRIDGE_DESCRIPTORS as D } from './descriptors';
import { QueueCounterPoints } from './queue-counter-metrics';
import { COLLECTOR_SCOPE } from './scope';

/** One queue of a service, with where its snapshot came from. */
export interface QueueView extends QueueSnapshot {
  /** When the counts were read, epoch ms. */
  observedAt: number;
  /** `hash`: the service's queue hash; `heartbeat`: a node's heartbeat. */
  source: 'hash' | 'heartbeat';
  /** The node whose heartbeat carried it, for `heartbeat` snapshots. */
  reportedBy?: string;
  /** Who paused the queue through Quasar, when it is paused and that pause was recorded. */
  pausedBy?: string;
  /** When that pause was issued, epoch ms. */
  pausedAt?: number;
}

export interface ServiceQueues {
  service: string;
  queues: QueueView[];
}

/** Default beat interval of the agents, ms, for beats that do not say theirs. */
const DEFAULT_INTERVAL_MS = 10_000;

/**
 * How old a hash field may be before it is ignored, per service: one heartbeat TTL of its
 * slowest live node. Any node still watching the queue rewrites it every interval, so an older
 * field belongs to a node that died without `stop()`, or to a queue no longer watched, while
 * siblings keep the hash itself alive.
 */
function staleAfterMs(views: readonly NodeView[]): Map<string, number> {
  const slowest = new Map<string, number>();
  for (const view of views) {
    const { service, interval } = view.heartbeat;
    const ms = typeof interval === 'number' && interval > 0 ? interval : DEFAULT_INTERVAL_MS;
    slowest.set(service, Math.max(slowest.get(service) ?? 0, ms));
  }
  return new Map([...slowest].map(([service, ms]) => [service, heartbeatTtlSeconds(ms) * 1000]));
}

/**
 * The queues of every service.
 * @param nowMs the Redis server's clock; hash fields older than the service's heartbeat TTL are
 * left out (see `staleAfterMs`).
 */
export function collectQueues(
  views: readonly NodeView[],
  hashes: QueueHashes,
  rejections: Rejections,
  nowMs: number,
): ServiceQueues[] {
  const services = new Map<string, Map<string, QueueView>>();
  const staleAfter = staleAfterMs(views.filter((v) => v.status !== PulseStatus.offline));
  const serviceOf = (name: string) => {
    let queues = services.get(name);
    if (!queues) services.set(name, (queues = new Map<string, QueueView>()));
    return queues;
  };
  /** Adds a queue unless the service already holds `MAX_QUEUES` others. */
  const put = (queues: Map<string, QueueView>, view: QueueView) => {
    if (queues.has(view.name) || queues.size < MAX_QUEUES) queues.set(view.name, view);
  };
  for (const view of views) {
    if (view.status === PulseStatus.offline) continue;
    const hb = view.heartbeat;
    for (const q of hb.queues ?? []) {
      const observedAt = q.observedAt ?? hb.timestamp;
      const queues = serviceOf(hb.service);
      const current = queues.get(q.name);
      if (current && current.observedAt >= observedAt) continue;
      put(queues, { ...q, observedAt, source: 'heartbeat', reportedBy: hb.id });
    }
  }
  for (const [service, hash] of hashes) {
    const hashKey = `queues:${service}`;
    if (hash.refused !== undefined) rejections.rejectOnce(hashKey, 'oversized', hash.refused);
    else if (hash.skipped > 0)
      rejections.rejectOnce(hashKey, 'oversized', `${hash.skipped} fields over the size limit`);
    else rejections.clear(hashKey);
    for (const [field, json] of hash.fields) {
      const key = `${hashKey}#${field}`;
      const parsed = parseQueueSnapshot(json);
      if (!parsed.ok || parsed.value.name !== field) {
        const detail = parsed.ok
          ? `holds queue ${JSON.stringify(parsed.value.name)}`
          : parsed.error;
        rejections.rejectOnce(key, parsed.ok ? 'mismatch' : 'invalid', detail);
        continue;
      }
      rejections.clear(key);
      const q = parsed.value;
      const maxAge = staleAfter.get(service) ?? heartbeatTtlSeconds(DEFAULT_INTERVAL_MS) * 1000;
      if (q.observedAt !== undefined && nowMs - q.observedAt > maxAge) continue;
      const queues = serviceOf(service);
      const current = queues.get(q.name);
      // A service migrating between key layouts has two hashes: the newer snapshot wins.
      if (current?.source === 'hash' && current.observedAt > (q.observedAt ?? 0)) continue;
      put(queues, { ...q, observedAt: q.observedAt ?? 0, source: 'hash' });
    }
  }
  return [...services]
    .map(([service, queues]) => ({
      service,
      queues: [...queues.values()].sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

/** The throughput flows a snapshot reports, each once: `in`, `out`, `failed`. */
function flows(q: QueueSnapshot): [string, number][] {
  const t = q.throughput;
  if (!t) return [];
  const out: [string, number][] = [['out', t.out]];
  if (t.in !== undefined) out.unshift(['in', t.in]);
  if (t.failed !== undefined) out.push(['failed', t.failed]);
  return out;
}

/**
 * One resource per service, with each (queue, state) once, and each (queue, flow); with
 * `counters`, the counters of each queue in the snapshot that has some (even while its probe
 * fails: they count what was reported before).
 */
export function queueResources(
  services: readonly ServiceQueues[],
  redisNowMs: number,
  counters?: QueueCounters,
): ResourceBlock[] {
  const out: ResourceBlock[] = [];
  for (const { service, queues } of services) {
    const jobs: NumberPoint[] = [];
    const oldest: NumberPoint[] = [];
    const throughput: NumberPoint[] = [];
    let counted: QueueCounterPoints | undefined;
    for (const q of queues) {
      const totals = counters?.get(service, q.name);
      if (totals) (counted ??= new QueueCounterPoints()).add(q.name, totals);
      if (q.error !== undefined) continue;
      const timeMs = q.observedAt > 0 ? q.observedAt : redisNowMs;
      for (const [state, count] of Object.entries(q.size)) {
        jobs.push({
          value: count,
          timeMs,
          attributes: {
            'quasar.queue.name': q.name,
            'quasar.queue.state': state,
            'quasar.queue.driver': q.driver,
          },
        });
      }
      if (q.oldestWaitingAgeMs !== undefined) {
        oldest.push({
          value: q.oldestWaitingAgeMs / 1000,
          timeMs,
          attributes: { 'quasar.queue.name': q.name, 'quasar.queue.driver': q.driver },
        });
      }
      for (const [flow, value] of flows(q)) {
        throughput.push({
          value,
          timeMs,
          attributes: { 'quasar.queue.name': q.name, 'quasar.queue.flow': flow },
        });
      }
    }
    const periodMetrics = counted?.metrics() ?? [];
    if (jobs.length === 0 && periodMetrics.length === 0) continue;
    out.push({
      attributes: { 'service.name': service },
      scope: COLLECTOR_SCOPE,
      metrics: [
        ...(jobs.length > 0 ? [{ descriptor: D.queueJobs, points: jobs }] : []),
        ...(oldest.length > 0 ? [{ descriptor: D.queueOldestWaitingAge, points: oldest }] : []),
        ...(throughput.length > 0 ? [{ descriptor: D.queueThroughput, points: throughput }] : []),
        ...periodMetrics,
      ],
    });
  }
  return out;
}
