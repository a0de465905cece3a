import { JOB_DURATION_BOUNDS_MS, MAX_QUEUES, parseHeartbeat } from '../../src/schema';
import type { JobStats } from '../../src/schema';
import { beat } from '../support/minimal-heartbeat';

const histogram = () => ({
  counts: JOB_DURATION_BOUNDS_MS.map(() => 1).concat([0]),
  sum: 1234.5,
});
const stats = (queue = 'emails'): JobStats => ({
  queue,
  system: 'bullmq',
  since: 1_700_000_000_000,
  completed: 30,
  failed: 10,
  retried: 5,
  wait: histogram(),
  run: histogram(),
});

function jobsOf(jobs: unknown) {
  const parsed = parseHeartbeat(JSON.stringify({ ...beat(), jobs }));
  if (!parsed.ok) throw new Error(parsed.error);
  return { jobs: parsed.value.jobs, warnings: parsed.warnings };
}

describe('heartbeat jobs', () => {
  it('keeps valid entries as they are', () => {
    expect(jobsOf([stats('a'), stats('b')])).toEqual({
      jobs: [stats('a'), stats('b')],
      warnings: [],
    });
  });

  it.each([
    ['a histogram with one bucket too few', { run: { counts: [1], sum: 1 } }],
    [
      'a histogram with one bucket too many',
      { wait: { counts: new Array(JOB_DURATION_BOUNDS_MS.length + 2).fill(0), sum: 0 } },
    ],
    ['a negative count', { completed: -1 }],
    ['a fractional since', { since: 'yesterday' }],
    ['a since past the last epoch', { since: 1e14 }],
    ['a negative histogram sum', { run: { ...histogram(), sum: -1 } }],
    ['a non-number bucket', { run: { counts: histogram().counts.map(String), sum: 1 } }],
    ['an empty queue', { queue: '' }],
    ['a queue over 256 characters', { queue: 'q'.repeat(257) }],
    ['a long system', { system: 's'.repeat(65) }],
    ['no retried count', { retried: undefined }],
  ])('drops an entry with %s and keeps the beat and the other entries', (_, patch) => {
    const bad = { ...stats('bad'), ...patch };
    const read = jobsOf([bad, stats('good')]);
    expect(read.jobs).toEqual([stats('good')]);
    expect(read.warnings).toEqual(['jobs: 1 malformed entries ignored']);
  });

  it('drops a second entry for the same queue and system', () => {
    const read = jobsOf([
      stats('a'),
      { ...stats('a'), completed: 1 },
      { ...stats('a'), system: 'bull' },
    ]);
    expect(read.jobs?.map((j) => [j.system, j.completed])).toEqual([
      ['bullmq', 30],
      ['bull', 30],
    ]);
    expect(read.warnings).toEqual(['jobs: 1 repeated queues ignored']);
  });

  it(`reads at most MAX_QUEUES (${MAX_QUEUES}) entries`, () => {
    const list = Array.from({ length: MAX_QUEUES + 3 }, (_, i) => ({
      ...stats(`q${i}`),
      wait: undefined,
      run: undefined,
    }));
    const read = jobsOf(list);
    expect(read.jobs).toHaveLength(MAX_QUEUES);
    expect(read.warnings).toEqual([`jobs: 3 entries beyond the first ${MAX_QUEUES} ignored`]);
  });

  it('drops a jobs field that is not an array', () => {
    expect(jobsOf({ emails: stats() })).toEqual({
      jobs: undefined,
      warnings: ['jobs: expected an array, got an object, ignored'],
    });
  });
});
