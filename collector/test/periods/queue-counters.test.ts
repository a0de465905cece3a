import { JOB_DURATION_BOUNDS_MS, MAX_QUEUES, parseQueueSnapshot } from '@gravito/quasar/schema';
import type { QueuePeriod } from '@gravito/quasar/schema';
import type { ServiceQueues } from '../../src/mapping/queues';
import { QueueCounters } from '../../src/periods/queue-counters';
import { MAX_PERIOD_AHEAD_MS, MAX_PERIOD_SOURCES } from '../../src/periods/queue-totals';

const T0 = 1_765_000_000_000;
const MIN = 60_000;
const BUCKETS = JOB_DURATION_BOUNDS_MS.length + 1;
const all = () => true;

/** `n` jobs in bucket `bucket`, each of `ms`. */
const durations = (n: number, bucket: number, ms: number, sampled?: boolean) => {
  const counts = new Array<number>(BUCKETS).fill(0);
  counts[bucket] = n;
  return { count: n, sum: n * ms, counts, ...(sampled === undefined ? {} : { sampled }) };
};

/** Minute `i` of the events source: i + 1 in, i completed, 1 failed, its jobs waited 200 ms. */
const minute = (i: number, extra: Partial<QueuePeriod> = {}): QueuePeriod => ({
  startMs: T0 + i * MIN,
  endMs: T0 + (i + 1) * MIN,
  in: i + 1,
  completed: i,
  failed: 1,
  wait: durations(i + 1, 5, 200),
  source: 'events',
  ...extra,
});
const minutes = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, k) => minute(from + k));
/** What minutes `from`..`to` add up to. */
const sums = (from: number, to: number) => {
  const list = minutes(from, to);
  const total = (f: (p: QueuePeriod) => number) => list.reduce((n, p) => n + f(p), 0);
  return {
    added: total((p) => p.in ?? 0),
    completed: total((p) => p.completed ?? 0),
    failed: total((p) => p.failed ?? 0),
  };
};

/** Each snapshot a write of its own, as an agent's beat is: its own `observedAt`. */
let writes = 0;
const snapshot = (periods: QueuePeriod[], name = 'emails', service = 'mailer'): ServiceQueues[] => [
  {
    service,
    queues: [
      {
        name,
        driver: 'bullmq',
        size: { waiting: 0, active: 0, failed: 0, delayed: 0 },
        periods,
        observedAt: T0 + ++writes,
        source: 'hash',
      },
    ],
  },
];

const countsOf = (counters: QueueCounters, name = 'emails', service = 'mailer') => {
  const q = counters.get(service, name);
  return q && { added: q.added, completed: q.completed, failed: q.failed };
};

describe('QueueCounters', () => {
  it('counts each period once when two nodes write overlapping period lists in turn', () => {
    const counters = new QueueCounters();
    const writes = [minutes(0, 4), minutes(1, 5), minutes(3, 7), minutes(2, 6), minutes(4, 8)];
    for (const [i, periods] of writes.entries()) {
      counters.update(snapshot(periods), all, T0 + i * 2 * MIN);
    }
    expect(countsOf(counters)).toEqual(sums(0, 8));
    const q = counters.get('mailer', 'emails')!;
    expect(q.startMs).toBe(T0);
    expect(q.timeMs).toBe(T0 + 9 * MIN);
    expect(q.durationsOf('wait', false)?.count).toBe(sums(0, 8).added);
    expect(counters.stats()).toMatchObject({ queues: 1, counted: 9 });
  });

  it("catches up a missed snapshot from the next one's older periods", () => {
    const counters = new QueueCounters();
    counters.update(snapshot(minutes(0, 2)), all, T0);
    // Minutes 3 to 5 were written by snapshots this collector never read.
    counters.update(snapshot(minutes(2, 6)), all, T0 + 7 * MIN);
    expect(countsOf(counters)).toEqual(sums(0, 6));
  });

  it('ignores a repeated snapshot, older periods, and periods overlapping those counted', () => {
    const counters = new QueueCounters();
    counters.update(snapshot(minutes(0, 3)), all, T0);
    counters.update(snapshot(minutes(0, 3)), all, T0 + 1);
    counters.update(snapshot(minutes(0, 1)), all, T0 + 2);
    const overlapping = minute(3, { startMs: T0 + 3.5 * MIN, endMs: T0 + 4.5 * MIN, in: 1000 });
    const early = minute(4, { startMs: T0 + 2 * MIN, in: 1000 });
    counters.update(snapshot([overlapping, early]), all, T0 + 3);
    expect(countsOf(counters)).toEqual(sums(0, 3));
  });

  it('counts a minute that arrives after a later one: a node that had not read it wrote first', () => {
    const counters = new QueueCounters();
    counters.update(snapshot(minutes(0, 1)), all, T0);
    // A node that started during minute 2 reports only minute 3; another then reports 2 and 3.
    counters.update(snapshot([minute(3)]), all, T0 + 4 * MIN);
    counters.update(snapshot(minutes(1, 3)), all, T0 + 4 * MIN + 1);
    expect(countsOf(counters)).toEqual(sums(0, 3));
    expect(counters.get('mailer', 'emails')!.timeMs).toBe(T0 + 4 * MIN);
  });

  it('refuses a period older than the counted spans it remembers, once it has forgotten some', () => {
    const counters = new QueueCounters();
    counters.update(snapshot([]), all, T0);
    for (let i = 0; i < 20; i++)
      counters.update(snapshot([minute(2 * i)]), all, T0 + (2 * i + 1) * MIN);
    const before = countsOf(counters);
    // Minute 1 lies before the oldest remembered span: it may have been counted, so it is not.
    counters.update(snapshot([minute(1)]), all, T0 + 41 * MIN);
    expect(countsOf(counters)).toEqual(before);
    // Minute 39 lies among the remembered spans and was never counted.
    counters.update(snapshot([minute(39)]), all, T0 + 41 * MIN);
    expect(countsOf(counters)!.added).toBe(before!.added + 40);
  });

  it('walks a snapshot read again in a later cycle only once, and every read without observedAt', () => {
    const counters = new QueueCounters();
    const read = (periods: QueuePeriod[], observedAt: number) => {
      const [service] = snapshot(periods);
      return [{ ...service!, queues: service!.queues.map((q) => ({ ...q, observedAt })) }];
    };
    counters.update(read(minutes(0, 1), T0), all, T0);
    counters.update(read(minutes(0, 2), T0), all, T0 + 1);
    // The same observedAt: the snapshot already added, its periods are not looked at.
    expect(countsOf(counters)).toEqual(sums(0, 1));
    counters.update(read(minutes(0, 2), T0 + 1), all, T0 + 2);
    expect(countsOf(counters)).toEqual(sums(0, 2));
    counters.update(read(minutes(1, 3), 0), all, T0 + 3);
    counters.update(read(minutes(2, 4), 0), all, T0 + 4);
    expect(countsOf(counters)).toEqual(sums(0, 4));
  });

  it('skips a period that ends too far past the Redis clock to be closed', () => {
    const counters = new QueueCounters();
    const future = minute(1, { endMs: T0 + 2 * MIN + MAX_PERIOD_AHEAD_MS + 1, in: 1000 });
    counters.update(snapshot([]), all, T0);
    counters.update(snapshot([minute(0), future]), all, T0 + MIN);
    counters.update(snapshot(minutes(0, 2)), all, T0 + 3 * MIN);
    expect(countsOf(counters)).toEqual(sums(0, 2));
    expect(counters.get('mailer', 'emails')!.timeMs).toBe(T0 + 3 * MIN);
  });

  it('counts each source apart, and a period of one source never hides another', () => {
    const counters = new QueueCounters();
    const sample = (i: number) =>
      minute(i, {
        source: 'sample',
        in: undefined,
        completed: undefined,
        failed: undefined,
        wait: undefined,
        run: durations(2, 7, 900, true),
      });
    counters.update(snapshot([minute(0), sample(0), minute(1), sample(1)]), all, T0);
    counters.update(snapshot([minute(1), sample(1), sample(2)]), all, T0 + 1);
    expect(countsOf(counters)).toEqual(sums(0, 1));
    const q = counters.get('mailer', 'emails')!;
    expect(q.durationsOf('run', true)).toMatchObject({ count: 6, sum: 6 * 900 });
    expect([...q.durationsOf('run', true)!.buckets!]).toEqual(durations(6, 7, 0).counts);
    expect(q.durationsOf('run', false)).toBeUndefined();
    expect(q.durationsOf('wait', false)?.count).toBe(1 + 2);
  });

  it('keeps only count and sum of a histogram once a period comes without buckets', () => {
    const counters = new QueueCounters();
    counters.update(snapshot(minutes(0, 1)), all, T0);
    expect(counters.get('mailer', 'emails')!.durationsOf('wait', false)?.buckets).toBeDefined();
    counters.update(snapshot([minute(2, { wait: { count: 4, sum: 100 } }), minute(3)]), all, T0);
    const wait = counters.get('mailer', 'emails')!.durationsOf('wait', false)!;
    expect(wait.buckets).toBeUndefined();
    expect(wait.count).toBe(1 + 2 + 4 + 4);
    expect(wait.sum).toBe((1 + 2 + 4) * 200 + 100);
  });

  it('leaves periods that ended before it began counting to whoever counted them before', () => {
    const counters = new QueueCounters();
    // A restart: minutes 0 to 2 ended before this collector's first read.
    counters.update(snapshot(minutes(0, 2)), all, T0 + 3 * MIN + 500);
    const q = counters.get('mailer', 'emails')!;
    expect(countsOf(counters)).toEqual({ added: 0, completed: 0, failed: 0 });
    expect([q.startMs, q.timeMs]).toEqual([T0 + 3 * MIN, T0 + 3 * MIN]);
    counters.update(snapshot(minutes(1, 4)), all, T0 + 5 * MIN);
    expect(countsOf(counters)).toEqual(sums(3, 4));
    expect([q.startMs, q.timeMs]).toEqual([T0 + 3 * MIN, T0 + 5 * MIN]);
  });

  it('counts all the periods of a queue that appears after it began counting', () => {
    const counters = new QueueCounters();
    counters.update(snapshot([], 'other'), all, T0);
    counters.update(snapshot(minutes(0, 2)), all, T0 + 3 * MIN);
    expect(countsOf(counters)).toEqual(sums(0, 2));
  });

  it('forgets a service it no longer owns, and counts it afresh from a later lease', () => {
    const counters = new QueueCounters();
    counters.update(snapshot(minutes(0, 2)), all, T0);
    counters.update(snapshot(minutes(1, 3)), () => false, T0 + 4 * MIN);
    expect(counters.get('mailer', 'emails')).toBeUndefined();
    counters.update(snapshot(minutes(2, 5)), all, T0 + 6 * MIN + 1);
    expect(countsOf(counters)).toEqual({ added: 0, completed: 0, failed: 0 });
    counters.update(snapshot(minutes(4, 6)), all, T0 + 7 * MIN);
    expect(countsOf(counters)).toEqual(sums(6, 6));
    expect(counters.get('mailer', 'emails')!.startMs).toBe(T0 + 6 * MIN);
  });

  it('drops a queue not seen for the idle time, and keeps one that is', () => {
    const counters = new QueueCounters(10 * MIN);
    counters.update(snapshot(minutes(0, 1), 'a'), all, T0);
    counters.update(snapshot(minutes(0, 1), 'b'), all, T0);
    for (let t = 1; t <= 10; t++) counters.update(snapshot([], 'b'), all, T0 + t * MIN);
    expect(counters.get('mailer', 'a')).toBeDefined();
    counters.update(snapshot([], 'b'), all, T0 + 10 * MIN + 1);
    expect(counters.get('mailer', 'a')).toBeUndefined();
    expect(counters.get('mailer', 'b')).toBeDefined();
    expect(counters.stats()).toMatchObject({ queues: 1, evicted: 1 });
  });

  it(`counts at most MAX_QUEUES (${MAX_QUEUES}) queues per service`, () => {
    const counters = new QueueCounters();
    const queues = Array.from({ length: MAX_QUEUES + 5 }, (_, i) => ({
      ...snapshot(minutes(0, 0), `q${i}`)[0]!.queues[0]!,
    }));
    counters.update([{ service: 'mailer', queues }], all, T0);
    expect(counters.stats()).toMatchObject({ queues: MAX_QUEUES, dropped: 5 });
    expect(counters.get('mailer', `q${MAX_QUEUES}`)).toBeUndefined();
  });

  it(`counts at most ${MAX_PERIOD_SOURCES} sources per queue`, () => {
    const counters = new QueueCounters();
    const periods = Array.from({ length: MAX_PERIOD_SOURCES + 3 }, (_, i) =>
      minute(0, { source: `s${i}`, in: 1, completed: 0, failed: 0, wait: undefined }),
    );
    counters.update(snapshot(periods), all, T0);
    expect(countsOf(counters)?.added).toBe(MAX_PERIOD_SOURCES);
  });

  it('keeps services and queues named like prototype members apart', () => {
    const counters = new QueueCounters();
    for (const [service, name] of [
      ['__proto__', 'constructor'],
      ['constructor', '__proto__'],
      ['toString', 'hasOwnProperty'],
    ] as const) {
      counters.update(snapshot(minutes(0, 1), name, service), all, T0);
    }
    expect(countsOf(counters, 'constructor', '__proto__')).toEqual(sums(0, 1));
    expect(countsOf(counters, '__proto__', 'constructor')).toEqual(sums(0, 1));
    expect(countsOf(counters, 'hasOwnProperty', 'toString')).toEqual(sums(0, 1));
    expect(counters.get('mailer', 'toString')).toBeUndefined();
    expect(({} as Record<string, unknown>).added).toBeUndefined();
  });

  it('counts only the valid periods of a hostile snapshot, as the schema reads it', () => {
    const hostile = [
      { ...minute(0), in: -5 },
      { ...minute(1), startMs: 'soon' },
      { ...minute(2), wait: { count: 1e300, sum: 1 } },
      { ...minute(3), source: '__proto__' },
      minute(4),
      minute(5),
    ];
    const parsed = parseQueueSnapshot(
      JSON.stringify({ name: 'emails', size: {}, periods: hostile }),
    );
    if (!parsed.ok) throw new Error(parsed.error);
    const counters = new QueueCounters();
    counters.update(snapshot([]), all, T0);
    counters.update(snapshot(parsed.value.periods!), all, T0 + 6 * MIN);
    expect(countsOf(counters)).toEqual({
      added: sums(4, 5).added,
      completed: sums(4, 5).completed,
      failed: 2,
    });
  });
});
