import {
  JOB_DURATION_BOUNDS_MS,
  MAX_COUNT,
  MAX_QUEUE_PERIODS,
  parseQueueSnapshot,
} from '../../src/schema';
import type { QueuePeriod } from '../../src/schema';
import { readPeriods } from '../../src/schema/validate-periods';

const BUCKETS = JOB_DURATION_BOUNDS_MS.length + 1;
const T0 = 1_765_000_000_000;

/** Two jobs in the (100, 250] ms bucket. */
const durations = () => {
  const counts = new Array<number>(BUCKETS).fill(0);
  counts[5] = 2;
  return { count: 2, sum: 400, counts };
};

const period = (i: number, extra: Record<string, unknown> = {}): QueuePeriod => ({
  startMs: T0 + i * 60_000,
  endMs: T0 + (i + 1) * 60_000,
  in: 3,
  completed: 2,
  failed: 1,
  wait: durations(),
  run: { ...durations(), sampled: true },
  source: 'events',
  ...extra,
});

function periodsOf(periods: unknown) {
  const parsed = parseQueueSnapshot(
    JSON.stringify({ name: 'emails', driver: 'bullmq', size: { waiting: 0 }, periods }),
  );
  if (!parsed.ok) throw new Error(parsed.error);
  return { periods: parsed.value.periods, warnings: parsed.warnings };
}

describe('queue snapshot periods', () => {
  it('keeps valid periods as they are, oldest first', () => {
    const list = [period(0), period(1), { startMs: T0, endMs: T0 + 1, source: 'horizon' }];
    expect(periodsOf(list)).toEqual({ periods: list, warnings: [] });
  });

  it('keeps durations without buckets, as a source that keeps only a mean sends them', () => {
    const list = [period(0, { wait: { count: 4, sum: 1000 }, run: undefined })];
    expect(periodsOf(list).periods?.[0]?.wait).toEqual({ count: 4, sum: 1000 });
  });

  it.each([
    ['an end before its start', { endMs: T0 - 1 }],
    ['an empty span', { endMs: T0 }],
    ['a start before 1970', { startMs: -1 }],
    ['an end beyond year 2286', { endMs: 1e14 }],
    ['a time as a string', { startMs: String(T0) }],
    ['a negative count', { completed: -1 }],
    ['a fractional count', { in: 1.5 }],
    ['a count beyond MAX_COUNT', { failed: MAX_COUNT * 2 }],
    ['a count as a string', { in: '3' }],
    ['a missing source', { source: undefined }],
    ['a source that is not a name', { source: '__proto__' }],
    ['a long source', { source: 'a'.repeat(65) }],
    ['a source that is a number', { source: 7 }],
    ['buckets one too few', { wait: { count: 0, sum: 0, counts: [0] } }],
    ['buckets that do not add up to count', { wait: { ...durations(), count: 3 } }],
    [
      'a negative bucket',
      { run: { count: 0, sum: 0, counts: [-1, 1, ...Array(BUCKETS - 2).fill(0)] } },
    ],
    ['a negative sum', { run: { count: 0, sum: -1 } }],
    ['sampled as a string', { run: { count: 0, sum: 0, sampled: 'yes' } }],
    ['durations as an array', { wait: [1, 2] }],
  ])('drops a period with %s, with a warning, and keeps the others', (_what, extra) => {
    const { periods, warnings } = periodsOf([period(0), period(1, extra)]);
    expect(periods).toEqual([period(0)]);
    expect(warnings).toEqual(['periods: 1 malformed periods ignored']);
  });

  it('rebuilds a period from its known fields only, without prototype keys', () => {
    const json =
      '{"name":"q","size":{},"periods":[{"__proto__":{"polluted":1},"constructor":{"x":1},' +
      `"startMs":${T0},"endMs":${T0 + 60_000},"completed":4,"source":"events","extra":"x",` +
      '"wait":{"count":0,"sum":0,"__proto__":{"counts":[1]}}}]}';
    const parsed = parseQueueSnapshot(json);
    if (!parsed.ok) throw new Error(parsed.error);
    const [kept] = parsed.value.periods ?? [];
    expect(kept).toEqual({
      startMs: T0,
      endMs: T0 + 60_000,
      completed: 4,
      source: 'events',
      wait: { count: 0, sum: 0 },
    });
    expect(Object.keys(kept!)).toEqual(['startMs', 'endMs', 'source', 'completed', 'wait']);
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the newest MAX_QUEUE_PERIODS of a longer list', () => {
    const list = Array.from({ length: MAX_QUEUE_PERIODS + 3 }, (_, i) => period(i));
    const { periods, warnings } = periodsOf(list);
    expect(periods).toEqual(list.slice(3));
    expect(warnings).toEqual([`periods: 3 periods before the last ${MAX_QUEUE_PERIODS} ignored`]);
  });

  it('reads only the newest MAX_QUEUE_PERIODS of a huge list, however long', () => {
    const huge = new Array<unknown>(1_000_000).fill('x');
    huge.push(period(0));
    const warnings: string[] = [];
    expect(readPeriods(huge, warnings)).toEqual([period(0)]);
    expect(warnings).toEqual([
      `periods: ${MAX_QUEUE_PERIODS - 1} malformed periods ignored`,
      `periods: ${1_000_001 - MAX_QUEUE_PERIODS} periods before the last ${MAX_QUEUE_PERIODS} ignored`,
    ]);
  });

  it('refuses a snapshot whose periods exceed the snapshot bounds', () => {
    const parsed = parseQueueSnapshot(
      JSON.stringify({ name: 'q', size: {}, periods: new Array(5_000).fill(period(0)) }),
    );
    expect(parsed.ok).toBe(false);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('drops a period whose count or sum is %s', (_what, bad) => {
    const warnings: string[] = [];
    const list = [period(0, { in: bad }), period(1, { wait: { count: 0, sum: bad } }), period(2)];
    expect(readPeriods(list, warnings)).toEqual([period(2)]);
    expect(warnings).toEqual(['periods: 2 malformed periods ignored']);
  });

  it.each([
    ['an object', { a: 1 }],
    ['a string', 'periods'],
    ['null', null],
  ])('drops periods that are %s, with a warning', (_what, value) => {
    const { periods, warnings } = periodsOf(value);
    expect(periods).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^periods: expected an array/);
  });
});
