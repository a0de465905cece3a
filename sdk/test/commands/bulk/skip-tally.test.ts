import { MAX_SKIPPED_REASONS } from '../../../src/schema/command-result';
import { OTHER_REASONS, SkipTally } from '../../../src/commands/bulk/skip-tally';

describe('SkipTally', () => {
  it('counts jobs per reason, in first-seen order, and keeps no empty reason', () => {
    const tally = new SkipTally();
    tally.add('no longer failed');
    tally.add('over maxJobsPerCommand', 3);
    tally.add('no longer failed');
    tally.add('error changed', 0);
    expect(tally.list()).toEqual([
      { reason: 'no longer failed', count: 2 },
      { reason: 'over maxJobsPerCommand', count: 3 },
    ]);
  });

  it('bounds the reasons: past the last one kept, jobs count under other reasons', () => {
    const tally = new SkipTally();
    for (let n = 0; n < 50; n++) tally.add(`could not retry: job ${n} is locked`);
    tally.add('x'.repeat(10_000));
    const list = tally.list();
    expect(list).toHaveLength(MAX_SKIPPED_REASONS);
    expect(list[MAX_SKIPPED_REASONS - 1]).toEqual({
      reason: OTHER_REASONS,
      count: 51 - (MAX_SKIPPED_REASONS - 1),
    });
    expect(list.reduce((sum, s) => sum + s.count, 0)).toBe(51);
  });

  it('cuts a long reason', () => {
    const tally = new SkipTally();
    tally.add(`could not delete: ${'y'.repeat(5_000)}`);
    expect(tally.list()[0]?.reason.length).toBeLessThanOrEqual(200);
  });
});
