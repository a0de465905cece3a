import { HISTORY_CACHE_MAX_CHARS, HistoryReplies } from '../../src/api/history-replies';
import { QueueHistory } from '../../src/history/queue-history';
import type { QueueView, ServiceQueues } from '../../src/mapping/queues';

const STEP = 1000;

function fleet(waiting: number, queues = 1): ServiceQueues[] {
  return [
    {
      service: 'shop',
      queues: Array.from({ length: queues }, (_, i): QueueView => ({
        name: `q${i}`,
        driver: 'bullmq',
        size: { waiting, active: 0, failed: 0, delayed: 0 },
        observedAt: 0,
        source: 'hash',
      })),
    },
  ];
}

describe('HistoryReplies', () => {
  it('builds a reply once per step for every client asking the same thing', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 4 });
    const replies = new HistoryReplies(history);
    history.record(STEP, fleet(1));
    const first = replies.text({ service: 'shop' });
    history.record(STEP + 500, fleet(2)); // same step: nothing recorded
    expect(replies.text({ service: 'shop' })).toBe(first);
    expect(replies.kept.replies).toBe(1);
    history.record(2 * STEP, fleet(3));
    const second = JSON.parse(replies.text({ service: 'shop' })) as {
      queues: { q0: { waiting: number[] } };
    };
    expect(second.queues.q0.waiting).toEqual([1, 3]);
    const since = JSON.parse(replies.text({ service: 'shop', sinceMs: STEP })) as {
      queues: { q0: { t: number[] } };
    };
    expect(since.queues.q0.t).toEqual([2 * STEP]);
  });

  it('builds a reply for chosen queues on its own, and keeps no more than its bound', () => {
    const history = new QueueHistory({ resolutionMs: STEP, points: 360 });
    for (let i = 1; i <= 360; i++) history.record(i * STEP, fleet(123_456, 256));
    const replies = new HistoryReplies(history);
    const chosen = replies.text({ service: 'shop', queues: ['q1'] });
    expect(Object.keys((JSON.parse(chosen) as { queues: object }).queues)).toEqual(['q1']);
    // Each whole reply is over a MiB: the bound keeps a few, and builds the rest each time.
    const whole = replies.text({ service: 'shop' });
    expect(whole.length).toBeGreaterThan(1024 * 1024);
    const kept = Math.floor(HISTORY_CACHE_MAX_CHARS / whole.length);
    for (let i = 0; i < kept + 2; i++) replies.text({ service: 'shop', sinceMs: i });
    expect(replies.kept.replies).toBe(kept);
    expect(replies.kept.chars).toBeLessThanOrEqual(HISTORY_CACHE_MAX_CHARS);
    expect(replies.text({ service: 'shop', sinceMs: kept + 1 })).toBe(whole);
  });
});
