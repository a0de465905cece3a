/**
 * The short history the Pulse page draws its sparklines from: one ring per (service, queue),
 * fed with each published snapshot's queues and recording one point per resolution step.
 *
 * Memory is bounded in three ways: each ring is a fixed {@link ringBytes} allocated when its
 * queue is first seen; a queue not seen for the whole window is evicted; and no more than
 * `maxSeries` rings exist (queues past it are dropped and counted), with at most `MAX_QUEUES`
 * per service. Names come from agents, so both levels are `Map`s.
 */
import { MAX_QUEUES } from '@gravito/quasar/schema';
import type { ServiceQueues } from '../mapping/queues';
import { QueueRing, ringBytes } from './ring';
import { pointOf } from './sample';

/** How the history is kept. */
export interface QueueHistoryOptions {
  /** One point per this many ms (the default export interval). @default 10000 */
  resolutionMs: number;
  /** Points per queue: one hour at the default resolution. @default 360 */
  points: number;
  /** Rings over every service; more queues are dropped and counted. @default 4096 */
  maxSeries: number;
}

export const HISTORY_DEFAULTS: Readonly<QueueHistoryOptions> = Object.freeze({
  resolutionMs: 10_000,
  points: 360,
  maxSeries: 4096,
});

/** The history's own counters, for `/metrics`. */
export interface QueueHistoryStats {
  /** Rings held. */
  series: number;
  /** Bytes of sample storage held: `series` × the bytes of one ring. */
  bytes: number;
  /** Queue samples not recorded because `maxSeries` (or a service's `MAX_QUEUES`) was reached. */
  dropped: number;
  /** Rings removed because their queue was not seen for the whole window. */
  evicted: number;
  /** Snapshots that could not be recorded (the snapshot was published all the same). */
  failures: number;
}

export class QueueHistory {
  readonly options: Readonly<QueueHistoryOptions>;
  private readonly services = new Map<string, Map<string, QueueRing>>();
  private seriesCount = 0;
  /** The start of the last step recorded, epoch ms. */
  private lastStep = -Infinity;
  private dropped = 0;
  private evicted = 0;
  /** Snapshots that could not be recorded; counted by the caller that caught the error. */
  failures = 0;

  constructor(options: Partial<QueueHistoryOptions> = {}) {
    this.options = Object.freeze({ ...HISTORY_DEFAULTS, ...options });
    const { resolutionMs, points, maxSeries } = this.options;
    for (const [name, value] of Object.entries({ resolutionMs, points, maxSeries })) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`QueueHistory: ${name} must be a whole number of at least 1`);
      }
    }
  }

  /** The start of the last step recorded, epoch ms; `-Infinity` before the first. */
  get lastStepMs(): number {
    return this.lastStep;
  }

  /** How far back the history reaches, ms. */
  get windowMs(): number {
    return this.options.resolutionMs * this.options.points;
  }

  /** Bytes of sample storage of one queue's ring. */
  get bytesPerQueue(): number {
    return ringBytes(this.options.points);
  }

  /**
   * Records the queues read at `nowMs` (the Redis clock), once per resolution step: the first
   * snapshot of a step is its point, later ones in the same step (and any from a clock that went
   * back) are ignored. A queue whose probe failed gets no point, since its counts are zeros.
   */
  record(nowMs: number, services: readonly ServiceQueues[]): void {
    if (!Number.isFinite(nowMs)) return;
    const step = Math.floor(nowMs / this.options.resolutionMs) * this.options.resolutionMs;
    if (step <= this.lastStep) return;
    this.lastStep = step;
    this.evictBefore(step - this.windowMs);
    for (const { service, queues } of services) {
      for (const queue of queues) {
        if (queue.error !== undefined) continue;
        const ring = this.ringFor(service, queue.name);
        if (ring === undefined) {
          this.dropped++;
          continue;
        }
        const previous =
          ring.size > 0 ? { t: ring.lastTime, failed: ring.last('failed') } : undefined;
        ring.push(pointOf(step, queue, previous));
      }
    }
  }

  /** The rings of one service, by queue name; undefined when it has none. */
  service(name: string): ReadonlyMap<string, QueueRing> | undefined {
    return this.services.get(name);
  }

  stats(): QueueHistoryStats {
    return {
      series: this.seriesCount,
      bytes: this.seriesCount * this.bytesPerQueue,
      dropped: this.dropped,
      evicted: this.evicted,
      failures: this.failures,
    };
  }

  /** The queue's ring, made when there is room; undefined when there is none. */
  private ringFor(service: string, queue: string): QueueRing | undefined {
    let rings = this.services.get(service);
    const ring = rings?.get(queue);
    if (ring !== undefined) return ring;
    if (this.seriesCount >= this.options.maxSeries) return undefined;
    if (rings !== undefined && rings.size >= MAX_QUEUES) return undefined;
    if (rings === undefined) this.services.set(service, (rings = new Map<string, QueueRing>()));
    const made = new QueueRing(this.options.points);
    rings.set(queue, made);
    this.seriesCount++;
    return made;
  }

  /** Drops the rings whose newest point is older than `oldestMs`, and services left empty. */
  private evictBefore(oldestMs: number): void {
    for (const [service, rings] of this.services) {
      for (const [queue, ring] of rings) {
        if (ring.lastTime >= oldestMs) continue;
        rings.delete(queue);
        this.seriesCount--;
        this.evicted++;
      }
      if (rings.size === 0) this.services.delete(service);
    }
  }
}
