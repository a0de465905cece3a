/**
 * Queue-level job counters, added up from the periods of the queue snapshots (see
 * `queue-totals.ts`), for the services this collector exports. Many nodes probe one queue and
 * the snapshot read is whichever wrote last, but every node reports a period alike, so each is
 * added once, and a snapshot missed is caught up from the next one's older periods.
 *
 * Resets: a service's counters begin when this collector begins to export it (its first
 * cycle, or a lease taken over from another replica), and count the periods that end after
 * that. The series then restart from zero with a new start time: Prometheus' `increase()` sees
 * a counter reset, and counts on from zero, with no doubled jump for periods the previous
 * exporter had counted. A service whose lease this collector loses is dropped at once.
 *
 * Memory: at most `MAX_QUEUES` queues per service, each about 1 KB (see `docs/metrics.md`);
 * a queue missing from the snapshots for `idleMs` is dropped, and would restart from zero.
 */
import { MAX_QUEUES } from '@gravito/quasar/schema';
import type { ServiceQueues } from '../mapping/queues';
import { QueueTotals } from './queue-totals';

/** How long a queue missing from the snapshots keeps its counters: one hour. */
export const PERIOD_IDLE_MS = 3_600_000;

/** One service's counters. */
interface ServiceTotals {
  /** When this collector began to count the service, on the Redis server's clock, epoch ms. */
  readonly sinceMs: number;
  readonly queues: Map<string, QueueTotals>;
}

/** What the counters did, for `/metrics` and tests. */
export interface QueueCounterStats {
  /** Queues with counters. */
  queues: number;
  /** Periods added into the counters. */
  counted: number;
  /** Queues dropped because they were not seen for `idleMs`. */
  evicted: number;
  /** Queues left uncounted because their service already had `MAX_QUEUES`. */
  dropped: number;
}

export class QueueCounters {
  private readonly services = new Map<string, ServiceTotals>();
  private readonly totals = { counted: 0, evicted: 0, dropped: 0 };

  constructor(private readonly idleMs: number = PERIOD_IDLE_MS) {}

  /**
   * Adds the periods of one cycle's snapshot, of the services `owns` accepts, and forgets the
   * services it does not and the queues not seen for `idleMs`.
   * @param nowMs the Redis server's clock at the read
   */
  update(
    services: readonly ServiceQueues[],
    owns: (service: string) => boolean,
    nowMs: number,
  ): void {
    for (const service of this.services.keys()) {
      if (!owns(service)) this.services.delete(service);
    }
    for (const { service, queues } of services) {
      if (!owns(service)) continue;
      let state = this.services.get(service);
      if (!state) this.services.set(service, (state = { sinceMs: nowMs, queues: new Map() }));
      for (const q of queues) {
        const totals = state.queues.get(q.name);
        if (q.observedAt > 0 && totals?.readAt === q.observedAt) {
          // The snapshot these counters last took, read again: nothing new in it. (Without an
          // `observedAt`, 0, every read is walked.)
          totals.seenAtMs = nowMs;
        } else if (totals) {
          totals.readAt = q.observedAt;
          this.totals.counted += totals.add(q.periods ?? [], state.sinceMs, nowMs);
        } else if (q.periods !== undefined && q.periods.length > 0) {
          if (state.queues.size >= MAX_QUEUES) {
            this.totals.dropped++;
            continue;
          }
          const created = new QueueTotals(q.periods, state.sinceMs, nowMs);
          created.readAt = q.observedAt;
          state.queues.set(q.name, created);
          this.totals.counted += created.add(q.periods, state.sinceMs, nowMs);
        }
      }
    }
    this.evict(nowMs);
  }

  /** The counters of one queue, when it has any. */
  get(service: string, queue: string): QueueTotals | undefined {
    return this.services.get(service)?.queues.get(queue);
  }

  stats(): QueueCounterStats {
    let queues = 0;
    for (const state of this.services.values()) queues += state.queues.size;
    return { queues, ...this.totals };
  }

  private evict(nowMs: number): void {
    for (const [service, state] of this.services) {
      for (const [name, totals] of state.queues) {
        if (nowMs - totals.seenAtMs > this.idleMs) {
          state.queues.delete(name);
          this.totals.evicted++;
        }
      }
      if (state.queues.size === 0 && nowMs - state.sinceMs > this.idleMs) {
        this.services.delete(service);
      }
    }
  }
}
