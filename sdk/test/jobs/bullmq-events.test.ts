/**
 * How an instrumented worker's events become attempts, from the job fields BullMQ sets (the
 * real Worker is exercised in bullmq-worker.test.ts); here the clock and the fields are chosen.
 */
import { EventEmitter } from 'node:events';
import { MAX_REMEMBERED_RETRIES, instrumentWorker } from '../../src/jobs/bullmq-worker';
import type { JobOutcome } from '../../src/schema';

function setup() {
  let now = 10_000;
  const worker = Object.assign(new EventEmitter(), { name: 'emails' });
  const seen: Array<{ outcome: JobOutcome; waitMs?: number; runMs?: number }> = [];
  const detach = instrumentWorker(
    worker,
    (outcome, waitMs, runMs) => seen.push({ outcome, waitMs, runMs }),
    () => now,
  );
  return { worker, seen, detach, setNow: (ms: number) => (now = ms) };
}

describe('instrumentWorker', () => {
  it('reads run and wait from the fields, a retry ending at the event, a skewed wait as 0', () => {
    const { worker, seen, setNow } = setup();
    worker.emit('completed', {
      id: '1',
      timestamp: 1_000,
      processedOn: 1_200,
      finishedOn: 1_500,
      opts: {},
    });
    worker.emit('completed', {
      id: '2',
      timestamp: 1_000,
      processedOn: 1_600,
      finishedOn: 1_700,
      opts: { delay: 500 },
    });
    worker.emit('failed', {
      id: '3',
      timestamp: 2_000,
      processedOn: 1_900,
      finishedOn: 2_100,
      opts: {},
    });
    setNow(5_000);
    worker.emit('failed', { id: '4', timestamp: 4_000, processedOn: 4_500, opts: { attempts: 3 } });
    expect(seen).toEqual([
      { outcome: 'completed', waitMs: 200, runMs: 300 },
      { outcome: 'completed', waitMs: 100, runMs: 100 },
      { outcome: 'failed', waitMs: 0, runMs: 200 },
      { outcome: 'retried', waitMs: 500, runMs: 500 },
    ]);
  });

  it(`remembers at most ${MAX_REMEMBERED_RETRIES} retries, forgetting the oldest`, () => {
    const { worker, seen, setNow } = setup();
    const retry = (id: string) =>
      worker.emit('failed', {
        id,
        timestamp: 0,
        processedOn: 100,
        opts: { backoff: 1 },
        delay: 1_000,
      });
    setNow(200);
    for (let i = 0; i <= MAX_REMEMBERED_RETRIES; i++) retry(String(i));
    // Ready at 200 + 1,000: the retry of a remembered job waited 100 ms, of a forgotten one
    // (the oldest) since enqueue.
    const next = (id: string) =>
      worker.emit('completed', {
        id,
        timestamp: 0,
        processedOn: 1_300,
        finishedOn: 1_400,
        opts: {},
      });
    next('1');
    next('0');
    expect(seen.slice(-2).map((s) => s.waitMs)).toEqual([100, 1_300]);
  });

  it('stops listening once detached', () => {
    const { worker, seen, detach } = setup();
    detach();
    detach();
    worker.emit('completed', { id: '1', processedOn: 1, finishedOn: 2 });
    expect(seen).toEqual([]);
    expect(worker.listenerCount('completed') + worker.listenerCount('failed')).toBe(0);
  });
});
