import { selectFailed } from '../../../src/commands/bulk/failed-selection';
import type { FailedSet } from '../../../src/commands/bulk/failed-selection';
import { fingerprintError } from '../../../src/queues/failures/fingerprint';
import type { Failure } from '../../../src/queues/failures/groups';

/** A failed set in memory, newest first; `gone` ids read as removed since they were listed. */
class MemoryFailedSet implements FailedSet {
  calls = 0;
  constructor(
    private readonly jobs: Failure[],
    private readonly gone = new Set<string>(),
  ) {}
  size() {
    this.calls++;
    return Promise.resolve(this.jobs.length);
  }
  ids(start: number, count: number) {
    this.calls++;
    return Promise.resolve(this.jobs.slice(start, start + count).map((j) => j.id));
  }
  failures(ids: readonly string[]) {
    this.calls++;
    return Promise.resolve(
      ids.map((id) => (this.gone.has(id) ? undefined : this.jobs.find((j) => j.id === id))),
    );
  }
}

const job = (n: number, reason: string): Failure => ({
  id: String(n),
  name: 'n',
  failedAt: n,
  reason,
});
const KEY = fingerprintError('Card <n> declined').key;
/** 1,200 jobs, every third a declined card. */
const JOBS = Array.from({ length: 1200 }, (_, n) =>
  job(n, n % 3 === 0 ? `Card ${n} declined` : `Timeout after ${n} ms`),
);

describe('selectFailed', () => {
  it('counts a group exactly over the whole set, in pages, keeping the newest maxJobs', async () => {
    const set = new MemoryFailedSet(JOBS);
    const selection = await selectFailed(
      set,
      { fingerprint: KEY, maxJobs: 100, maxScan: 10_000 },
      undefined,
    );
    expect(selection.preview).toMatchObject({ matched: 400, scanned: 1200, complete: true });
    expect(selection.ids).toHaveLength(100);
    expect(selection.ids[0]).toBe('0');
    expect(selection.overCap).toBe(300);
    expect(selection.preview.sample.map((s) => s.id)).toEqual([
      '0',
      '3',
      '6',
      '9',
      '12',
      '15',
      '18',
      '21',
      '24',
      '27',
    ]);
    // One ZCARD, then three pages of 500 ids and their failures.
    expect(set.calls).toBe(1 + 3 * 2);
  });

  it('never reads past maxScan, and says the preview is not complete', async () => {
    const set = new MemoryFailedSet(JOBS);
    const selection = await selectFailed(
      set,
      { fingerprint: KEY, maxJobs: 1000, maxScan: 30 },
      undefined,
    );
    expect(selection.preview).toMatchObject({ matched: 10, scanned: 30, complete: false });
  });

  it('leaves out jobs removed since they were listed', async () => {
    const set = new MemoryFailedSet(JOBS.slice(0, 9), new Set(['0', '3']));
    const selection = await selectFailed(
      set,
      { fingerprint: KEY, maxJobs: 10, maxScan: 100 },
      undefined,
    );
    expect(selection).toMatchObject({
      ids: ['6'],
      preview: { matched: 1, scanned: 7, complete: true },
    });
  });

  it('without a fingerprint, counts the whole set and takes the newest maxJobs', async () => {
    const set = new MemoryFailedSet(JOBS);
    const selection = await selectFailed(set, { maxJobs: 700, maxScan: 10 }, undefined);
    expect(selection.preview).toMatchObject({ matched: 1200, scanned: 1200, complete: true });
    expect(selection.preview.sample).toHaveLength(10);
    expect(selection.ids).toHaveLength(700);
    expect(selection.overCap).toBe(500);
  });
});
