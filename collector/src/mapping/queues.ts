/**
 * Queue depth is a property of the queue, not of the node: five nodes probing `emails` report
 * one queue. Snapshots come from the per-service hash (written by current agents) and from
 * heartbeats' `queues` arrays (the originals); the hash wins, else the freshest heartbeat.
 */
import { parseQueueSnapshot } from '@gravito/quasar/schema';
import type { QueueSnapshot } from '@gravito/quasar/schema';
import { PulseStatus } from '../nodes/node-view';
import type { NodeView } from '../nodes/node-view';
import type { Rejections } from '../nodes/rejections';
import type { NumberPoint, ResourceBlock } from '../otlp/metric-batch';
import { BRIDGE_DESCRIPTORS as D } from './descriptors';
import { COLLECTOR_SCOPE } from './scope';

/** One queue of a service, with where its snapshot came from. */
export interface QueueView extends QueueSnapshot {
  /** When the counts were read, epoch ms. */
  observedAt: number;
  /** `hash`: the service's queue hash; `heartbeat`: a node's heartbeat. */
  source: 'hash' | 'heartbeat';
  /** The node whose heartbeat carried it, for `heartbeat` snapshots. */
  reportedBy?: string;
}

export interface ServiceQueues {
  service: string;
  queues: QueueView[];
}

/** `HGETALL gravito:quasar:queues:{service}` replies, by service. */
export type QueueHashes = ReadonlyMap<string, Readonly<Record<string, string>>>;

export function collectQueues(
  views: readonly NodeView[],
  hashes: QueueHashes,
  rejections: Rejections,
): ServiceQueues[] {
  const services = new Map<string, Map<string, QueueView>>();
  const serviceOf = (name: string) => {
    let queues = services.get(name);
    if (!queues) services.set(name, (queues = new Map()));
    return queues;
  };
  for (const view of views) {
    if (view.status === PulseStatus.offline) continue;
    const hb = view.heartbeat;
    for (const q of hb.queues ?? []) {
      const observedAt = q.observedAt ?? hb.timestamp;
      const queues = serviceOf(hb.service);
      const current = queues.get(q.name);
      if (current && current.observedAt >= observedAt) continue;
      queues.set(q.name, { ...q, observedAt, source: 'heartbeat', reportedBy: hb.id });
    }
  }
  for (const [service, fields] of hashes) {
    for (const [field, json] of Object.entries(fields)) {
      const key = `queues:${service}#${field}`;
      const parsed = parseQueueSnapshot(json);
      if (!parsed.ok) {
        rejections.reject(key, 'invalid', parsed.error);
        continue;
      }
      rejections.clear(key);
      const q = parsed.value;
      serviceOf(service).set(q.name, { ...q, observedAt: q.observedAt ?? 0, source: 'hash' });
    }
  }
  return [...services]
    .map(([service, queues]) => ({
      service,
      queues: [...queues.values()].sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

/** One resource per service, with each (queue, state) once. */
export function queueResources(
  services: readonly ServiceQueues[],
  redisNowMs: number,
): ResourceBlock[] {
  const out: ResourceBlock[] = [];
  for (const { service, queues } of services) {
    const jobs: NumberPoint[] = [];
    const oldest: NumberPoint[] = [];
    for (const q of queues) {
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
    }
    if (jobs.length === 0) continue;
    out.push({
      attributes: { 'service.name': service },
      scope: COLLECTOR_SCOPE,
      metrics: [
        { descriptor: D.queueJobs, points: jobs },
        ...(oldest.length > 0 ? [{ descriptor: D.queueOldestWaitingAge, points: oldest }] : []),
      ],
    });
  }
  return out;
}
