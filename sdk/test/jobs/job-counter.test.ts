import { JobCounter } from '../../src/jobs/job-counter';
import { bucketOf } from '../../src/jobs/duration-histogram';
import { JOB_DURATION_BOUNDS_MS, MAX_QUEUES, parseHeartbeat } from '../../src/schema';
import { beat } from '../support/minimal-heartbeat';

const warnings: string[] = [];
const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => void warnings.push(m),
  error: () => undefined,
};

describe('JobCounter', () => {
  beforeEach(() => (warnings.length = 0));

  it('counts attempts per queue by outcome, cumulative since the queue was first counted', () => {
    let now = 1_700_000_000_000;
    const counter = new JobCounter(logger, () => now);
    for (let i = 0; i < 3; i++) counter.record({ queue: 'emails', outcome: 'completed', runMs: 7 });
    now += 5000;
    counter.record({ queue: 'emails', outcome: 'failed', runMs: 20 });
    counter.record({ queue: 'emails', outcome: 'retried', runMs: 3 });
    counter.record({ queue: 'emails', system: 'bullmq', outcome: 'completed' });
    const [custom, bullmq] = counter.snapshot();
    expect(custom).toMatchObject({
      queue: 'emails',
      system: 'custom',
      since: 1_700_000_000_000,
      completed: 3,
      failed: 1,
      retried: 1,
    });
    expect(bullmq).toMatchObject({
      queue: 'emails',
      system: 'bullmq',
      since: 1_700_000_005_000,
      completed: 1,
      failed: 0,
      retried: 0,
    });
    expect(counter.stats()).toEqual({ recorded: 6, invalid: 0, droppedQueues: 0, queues: 2 });
  });

  it('fills the histogram bucket whose upper bound is the first at or above the duration', () => {
    const counter = new JobCounter(logger);
    for (const ms of [0, 5, 5.01, 200, 3_600_000, 3_600_001]) {
      counter.record({ queue: 'q', outcome: 'completed', runMs: ms, waitMs: 1 });
    }
    const run = counter.snapshot()[0]?.run;
    const expected = new Array<number>(JOB_DURATION_BOUNDS_MS.length + 1).fill(0);
    expected[0] = 2; // 0 and 5: bucket (…, 5]
    expected[1] = 1; // 5.01: (5, 10]
    expected[5] = 1; // 200: (100, 250]
    expected[15] = 1; // one hour: the last bound
    expected[16] = 1; // above it
    expect(run?.counts).toEqual(expected);
    expect(run?.sum).toBeCloseTo(7_200_211.01, 5);
    expect(counter.snapshot()[0]?.wait?.counts[0]).toBe(6);
    expect(bucketOf(10)).toBe(1);
  });

  it('carries an empty histogram until a duration was given for it', () => {
    const counter = new JobCounter(logger);
    counter.record({ queue: 'q', outcome: 'completed', runMs: 12 });
    expect(counter.snapshot()[0]?.wait).toEqual({
      counts: new Array(JOB_DURATION_BOUNDS_MS.length + 1).fill(0),
      sum: 0,
    });
    expect(counter.snapshot()[0]?.run?.counts.reduce((a, b) => a + b)).toBe(1);
  });

  it('hands out copies: a snapshot does not change with later attempts', () => {
    const counter = new JobCounter(logger);
    counter.record({ queue: 'q', outcome: 'completed', runMs: 12 });
    const first = counter.snapshot();
    counter.record({ queue: 'q', outcome: 'completed', runMs: 12 });
    expect(first[0]?.completed).toBe(1);
    expect(first[0]?.run?.counts[2]).toBe(1);
  });

  it.each([
    ['a negative run time', { queue: 'q', outcome: 'completed', runMs: -1 }],
    ['an infinite wait', { queue: 'q', outcome: 'completed', waitMs: Infinity }],
    ['NaN', { queue: 'q', outcome: 'completed', runMs: NaN }],
    ['a string duration', { queue: 'q', outcome: 'completed', runMs: '5' }],
    ['an empty queue', { queue: '', outcome: 'completed' }],
    ['a queue over 256 characters', { queue: 'q'.repeat(257), outcome: 'completed' }],
    ['a queue with a newline', { queue: 'a\nb', outcome: 'completed' }],
    ['an unknown outcome', { queue: 'q', outcome: 'done' }],
    ['a system over 64 characters', { queue: 'q', outcome: 'failed', system: 's'.repeat(65) }],
    ['no object', 42],
  ])('rejects and counts %s, without throwing', (_, input) => {
    const counter = new JobCounter(logger);
    expect(counter.record(input)).toBe(false);
    expect(counter.stats()).toMatchObject({ recorded: 0, invalid: 1, queues: 0 });
    expect(counter.snapshot()).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('counts an input whose getter throws as invalid', () => {
    const counter = new JobCounter(logger);
    const hostile = {
      queue: 'q',
      get outcome(): string {
        throw new Error('boom');
      },
    };
    expect(counter.record(hostile)).toBe(false);
    expect(counter.stats().invalid).toBe(1);
  });

  it(`tracks at most MAX_QUEUES (${MAX_QUEUES}) queues, counting the attempts of the rest`, () => {
    const counter = new JobCounter(logger);
    for (let i = 0; i < MAX_QUEUES + 10; i++) {
      counter.record({ queue: `q${i}`, outcome: 'completed', runMs: 1 });
    }
    expect(counter.record({ queue: 'q0', outcome: 'completed' })).toBe(true);
    expect(counter.stats()).toEqual({
      recorded: MAX_QUEUES + 1,
      invalid: 0,
      droppedQueues: 10,
      queues: MAX_QUEUES,
    });
    expect(warnings).toHaveLength(1);
  });

  it('writes entries the heartbeat validation keeps as they are', () => {
    const counter = new JobCounter(logger);
    counter.record({ queue: 'q', outcome: 'completed', runMs: 12, waitMs: 40 });
    counter.record({ queue: 'r', system: 'bull', outcome: 'retried' });
    const jobs = counter.snapshot();
    const parsed = parseHeartbeat({ ...beat(), jobs });
    expect(parsed.ok && parsed.value.jobs).toEqual(jobs);
    expect(parsed.ok && parsed.warnings).toEqual([]);
  });

  it('registers a queue at zero before its first attempt, within the bound', () => {
    let now = 1_000;
    const counter = new JobCounter(logger, () => now, 1);
    expect(counter.register('q', 'bullmq')).toMatchObject({ queue: 'q', completed: 0 });
    now = 2_000;
    counter.record({ queue: 'q', system: 'bullmq', outcome: 'failed' });
    expect(counter.snapshot()[0]).toMatchObject({ since: 1_000, completed: 0, failed: 1 });
    expect(counter.register('', 'bullmq')).toBeUndefined();
    expect(counter.register('other', 'bullmq')).toBeUndefined();
    expect(counter.stats()).toMatchObject({ queues: 1, droppedQueues: 1, recorded: 1 });
  });

  it('counts an attempt of a registered queue through its handle, refusing bad durations', () => {
    const counter = new JobCounter(logger);
    const counts = counter.register('q', 'bullmq')!;
    expect(counter.add(counts, 'completed', 3, 40)).toBe(true);
    expect(counter.add(counts, 'completed', -1, 40)).toBe(false);
    expect(counter.add(counts, 'done', 1, 1)).toBe(false);
    expect(counter.snapshot()[0]).toMatchObject({ completed: 1 });
    expect(counter.stats()).toMatchObject({ recorded: 1, invalid: 2 });
  });

  it('keeps counting when its listener throws', () => {
    const counter = new JobCounter(logger);
    counter.listen(() => {
      throw new Error('listener');
    });
    expect(counter.record({ queue: 'q', outcome: 'completed' })).toBe(true);
    expect(counter.snapshot()[0]?.completed).toBe(1);
  });
});
