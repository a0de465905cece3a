import { runPaced } from '../../../src/commands/bulk/paced-run';

describe('runPaced', () => {
  it('runs consecutive batches with the pause between two of them, never after the last', async () => {
    const starts: Array<{ batch: number[]; at: number }> = [];
    const begin = performance.now();
    // Set once the event loop moves on after a batch: a pause after the last batch, however
    // short, would let it fire before the run resolves; no pause resolves the run first.
    let movedOn = false;
    await runPaced([1, 2, 3, 4, 5], { jobsPerBatch: 2, batchPauseMs: 60 }, (batch) => {
      starts.push({ batch: [...batch], at: performance.now() - begin });
      movedOn = false;
      setImmediate(() => (movedOn = true));
      return Promise.resolve();
    });
    expect(starts.map((s) => s.batch)).toEqual([[1, 2], [3, 4], [5]]);
    // Timers fire no earlier than asked (a millisecond of rounding aside).
    expect(starts[1]!.at - starts[0]!.at).toBeGreaterThanOrEqual(59);
    expect(starts[2]!.at - starts[1]!.at).toBeGreaterThanOrEqual(59);
    expect(movedOn).toBe(false);
  });

  it('treats a batch size below one as one, and stops at the first failed batch', async () => {
    const seen: number[][] = [];
    await expect(
      runPaced([1, 2, 3], { jobsPerBatch: 0, batchPauseMs: 0 }, (batch) => {
        seen.push([...batch]);
        return batch[0] === 2 ? Promise.reject(new Error('redis down')) : Promise.resolve();
      }),
    ).rejects.toThrow('redis down');
    expect(seen).toEqual([[1], [2]]);
  });
});
