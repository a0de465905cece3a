import { queuesReply } from '../testing/collectorReplies';
import { MAX_FAILED_JOBS } from '../api/limits';
import { readFailedJob, readQueue, readQueues } from './queue';

describe('readQueue', () => {
  it('orders the primary states first and keeps the others', () => {
    const view = readQueue({ name: 'q', size: { completed: 9, failed: 1, waiting: 2, paused: 3 } });
    expect(view?.counts).toEqual([
      { state: 'waiting', count: 2 },
      { state: 'failed', count: 1 },
      { state: 'completed', count: 9 },
      { state: 'paused', count: 3 },
    ]);
    expect(view?.failed).toBe(1);
  });

  it('reads mistyped fields as empty and keeps only known actions', () => {
    const view = readQueue({
      name: 'q',
      driver: 7,
      size: 'x',
      failedSample: [{ id: 42, reason: 5 }, { name: 'no id' }, 'junk'],
      actions: ['retry', 'drain', 'pause', 'retry', 7, 'delete'],
      paused: 'yes',
      error: '',
    });
    expect(view).toEqual({
      name: 'q',
      driver: null,
      counts: [],
      failed: null,
      failedSample: [{ id: '42', name: null, failedAt: null, reason: null }],
      failureGroups: null,
      oldestWaitingAgeMs: null,
      paused: false,
      pausedBy: null,
      pausedAt: null,
      throughput: null,
      actions: ['retry', 'pause', 'delete'],
      error: null,
    });
  });

  it('reads who paused a paused queue, and never for a running one', () => {
    const paused = { name: 'q', paused: true, pausedBy: 'ada', pausedAt: 1_700_000_000_000 };
    expect(readQueue(paused)).toMatchObject({ pausedBy: 'ada', pausedAt: 1_700_000_000_000 });
    expect(readQueue({ ...paused, paused: false })).toMatchObject({ pausedBy: null, pausedAt: null });
    expect(readQueue({ ...paused, pausedBy: ['ada'], pausedAt: Infinity })).toMatchObject({
      pausedBy: null,
      pausedAt: null,
    });
  });

  it('reads the collector fixture and skips entries without a name', () => {
    const views = readQueues([...queuesReply.queues['worker-orders'], { size: {} }, null]);
    expect(views.map((v) => v.name)).toEqual(['emails', 'reports']);
    expect(views[1].error).toContain('NOPERM');
    expect(readQueues(undefined)).toEqual([]);
  });
});

describe('readFailedJob', () => {
  it('reads no time for a job that failed at an instant Date cannot hold', () => {
    expect(readFailedJob({ id: '981', failedAt: 1e16 })).toEqual({
      id: '981',
      name: null,
      failedAt: null,
      reason: null,
    });
  });

  it('reads at most MAX_FAILED_JOBS jobs of a sample', () => {
    const failedSample = Array.from({ length: 500 }, (_, i) => ({ id: String(i) }));
    expect(readQueue({ name: 'q', size: {}, failedSample })?.failedSample).toHaveLength(MAX_FAILED_JOBS);
  });
});
