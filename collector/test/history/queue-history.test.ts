import { MAX_QUEUES } from '@gravito/quasar/schema';
import type { QueueThroughput } from '@gravito/quasar/schema';
import { QueueHistory } from '../../src/history/queue-history';
import { FailureBasis } from '../../src/history/ring';
import type { HistoryField, QueueRing } from '../../src/history/ring';
import type { QueueView, ServiceQueues } from '../../src/mapping/queues';

const STEP = 1000;

function queue(
  name: string,
  size: { waiting?: number; failed?: number } = {},
  throughput?: QueueThroughput,
): QueueView {
  return {
    name,
    driver: 'bullmq',
    size: { waiting: size.waiting ?? 0, active: 1, failed: size.failed ?? 0, delayed: 2 },
    ...(throughput ? { throughput } : {}),
    observedAt: 0,
    source: 'hash',
  };
}

function fleet(service: string, ...queues: QueueView[]): ServiceQueues[] {
  return [{ service, queues }];
}

function column(ring: QueueRing | undefined, field: HistoryField): number[] {
  return ring?.valuesFrom(0, field) ?? [];
}

function times(ring: QueueRing | undefined): number[] {
  return ring?.timesFrom(0) ?? [];
}

describe('QueueHistory', () => {
  it('records one point per resolution step, the first snapshot of the step, in order', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 10 });
    history.record(10_100, fleet('shop', queue('emails', { waiting: 1 })));
    history.record(10_900, fleet('shop', queue('emails', { waiting: 2 })));
    history.record(11_000, fleet('shop', queue('emails', { waiting: 3 })));
    history.record(13_500, fleet('shop', queue('emails', { waiting: 4 })));
    const ring = history.service('shop')?.get('emails');
    expect(times(ring)).toEqual([10_000, 11_000, 13_000]);
    expect(column(ring, 'waiting')).toEqual([1, 3, 4]);
    expect(column(ring, 'active')).toEqual([1, 1, 1]);
    expect(column(ring, 'delayed')).toEqual([2, 2, 2]);
  });

  it('ignores a clock that went back', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 10 });
    history.record(5_000, fleet('shop', queue('emails', { waiting: 1 })));
    history.record(3_000, fleet('shop', queue('emails', { waiting: 2 })));
    expect(column(history.service('shop')?.get('emails'), 'waiting')).toEqual([1]);
  });

  it('keeps the newest `points` points, overwriting the oldest', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 4 });
    for (let i = 1; i <= 7; i++)
      history.record(i * STEP, fleet('shop', queue('q', { waiting: i })));
    const ring = history.service('shop')?.get('q');
    expect(ring?.size).toBe(4);
    expect(column(ring, 'waiting')).toEqual([4, 5, 6, 7]);
    expect(times(ring)).toEqual([4000, 5000, 6000, 7000]);
  });

  it("takes the failure rate from the probe's throughput.failed when it sent one", () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 4 });
    const rates = { in: 12, out: 10, failed: 1.5, source: 'events' };
    history.record(STEP, fleet('shop', queue('q', { failed: 0 }, rates)));
    const ring = history.service('shop')?.get('q');
    expect(column(ring, 'in')).toEqual([12]);
    expect(column(ring, 'out')).toEqual([10]);
    expect(column(ring, 'failureRate')).toEqual([1.5]);
    expect(ring?.basisAt(0)).toBe(FailureBasis.throughput);
  });

  it('else derives it from increases of the failed count, a drop reading as none', () => {
    const history = new QueueHistory({ resolutionMs: 30_000, points: 8 });
    for (const [i, failed] of [4, 7, 7, 2, 5].entries()) {
      history.record((i + 1) * 30_000, fleet('shop', queue('q', { failed })));
    }
    const ring = history.service('shop')?.get('q');
    // Per minute over 30 s steps: +3 → 6/min, 0, a drop (jobs removed) → 0, +3 → 6/min.
    expect(column(ring, 'failureRate')).toEqual([NaN, 6, 0, 0, 6]);
    expect([0, 1, 4].map((i) => ring?.basisAt(i))).toEqual([
      FailureBasis.none,
      FailureBasis.failedCount,
      FailureBasis.failedCount,
    ]);
    expect(column(ring, 'in')).toEqual([NaN, NaN, NaN, NaN, NaN]);
  });

  it('records no point for a queue whose probe failed', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 4 });
    history.record(STEP, fleet('shop', { ...queue('q', { waiting: 5 }), error: 'NOPERM' }));
    expect(history.service('shop')).toBeUndefined();
  });

  it('evicts a queue not seen for the whole window, and its service when it was the last', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 3 });
    history.record(STEP, [
      { service: 'old', queues: [queue('gone')] },
      { service: 'shop', queues: [queue('stays'), queue('gone')] },
    ]);
    for (let i = 2; i <= 4; i++) history.record(i * STEP, fleet('shop', queue('stays')));
    expect(history.service('shop')?.has('gone')).toBe(true);
    history.record(5 * STEP, fleet('shop', queue('stays')));
    expect(history.service('shop')?.has('gone')).toBe(false);
    expect(history.service('old')).toBeUndefined();
    expect(history.stats()).toMatchObject({ series: 1, evicted: 2 });
  });

  it('holds at most maxSeries rings, counting the samples it drops, and frees room on eviction', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 2, maxSeries: 3 });
    const five = Array.from({ length: 5 }, (_, i) => queue(`q${i}`));
    history.record(STEP, fleet('shop', ...five));
    history.record(2 * STEP, fleet('shop', ...five));
    expect(history.stats()).toMatchObject({ series: 3, dropped: 4 });
    expect([...(history.service('shop')?.keys() ?? [])]).toEqual(['q0', 'q1', 'q2']);
    history.record(5 * STEP, fleet('shop', queue('q4')));
    expect([...(history.service('shop')?.keys() ?? [])]).toEqual(['q4']);
  });

  it('holds at most MAX_QUEUES rings per service, whatever it is fed', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 1 });
    const many = Array.from({ length: MAX_QUEUES + 10 }, (_, i) => queue(`q${i}`));
    history.record(STEP, fleet('shop', ...many));
    expect(history.service('shop')?.size).toBe(MAX_QUEUES);
    expect(history.stats().dropped).toBe(10);
  });

  it('costs exactly bytesPerQueue per ring: 13,320 bytes at the defaults', () => {
    const history = new QueueHistory();
    expect(history.bytesPerQueue).toBe(360 * (8 + 7 * 4 + 1));
    expect(history.bytesPerQueue).toBe(13_320);
    history.record(10_000, fleet('shop', queue('a'), queue('b')));
    const held = [...(history.service('shop')?.values() ?? [])].reduce(
      (sum, r) => sum + r.bytes,
      0,
    );
    expect(history.stats().bytes).toBe(held);
    expect(held).toBe(2 * 13_320);
  });

  it('keeps names agents chose, __proto__ included, apart from any prototype', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 2 });
    history.record(
      STEP,
      fleet('__proto__', queue('constructor', { waiting: 3 }), queue('__proto__')),
    );
    expect(column(history.service('__proto__')?.get('constructor'), 'waiting')).toEqual([3]);
    expect(history.service('__proto__')?.size).toBe(2);
    expect(history.service('toString')).toBeUndefined();
  });

  it('keeps counts exact up to 2^24 jobs', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 2 });
    history.record(STEP, fleet('shop', queue('q', { waiting: 2 ** 24 - 1 })));
    expect(column(history.service('shop')?.get('q'), 'waiting')).toEqual([16_777_215]);
  });

  it('refuses options that are not whole numbers of at least one', () => {
    expect(() => new QueueHistory({ points: 0 })).toThrow(/points/);
    expect(() => new QueueHistory({ resolutionMs: 1.5 })).toThrow(/resolutionMs/);
  });
});
