import { MAX_HISTORY_POINTS } from '../api/limits';
import { mergeHistory, readServiceHistory, type ServiceHistory } from './queueHistory';

const reply = (queues: Record<string, unknown>) => ({
  service: 'shop',
  resolutionMs: 10_000,
  windowMs: 40_000,
  queues,
});

function read(queues: Record<string, unknown>): ServiceHistory {
  const history = readServiceHistory(reply(queues));
  if (history === null) {
    throw new Error('not a history');
  }
  return history;
}

describe('readServiceHistory', () => {
  it('reads each queue as columns over its times, a missing column as gaps', () => {
    const history = read({
      emails: { t: [10_000, 20_000], waiting: [3, 4], failureRate: [null, 1.5], failureRateFrom: 'failed-count' },
    });
    expect(history.resolutionMs).toBe(10_000);
    expect(history.queues.get('emails')).toEqual({
      t: [10_000, 20_000],
      waiting: [3, 4],
      in: [null, null],
      out: [null, null],
      failureRate: [null, 1.5],
      failureRateFrom: 'failed-count',
    });
  });

  it('refuses what is not a reply', () => {
    for (const value of [
      null,
      'x',
      [],
      { queues: {} },
      { ...reply({}), resolutionMs: 0 },
      { ...reply({}), queues: [] },
    ]) {
      expect(readServiceHistory(value)).toBeNull();
    }
  });

  it('leaves out queues whose times are not increasing epoch ms, and reads bad values as gaps', () => {
    const history = read({
      back: { t: [2, 1], waiting: [1, 1] },
      text: { t: ['1'], waiting: [1] },
      none: { t: [] },
      odd: { t: [1, 2, 3], waiting: ['7', -1, Infinity], failureRateFrom: 'toString' },
    });
    expect([...history.queues.keys()]).toEqual(['odd']);
    expect(history.queues.get('odd')?.waiting).toEqual([null, null, null]);
    expect(history.queues.get('odd')?.failureRateFrom).toBeNull();
  });

  it('keeps names such as __proto__ as data, and cuts long histories to the newest points', () => {
    const long = Array.from({ length: MAX_HISTORY_POINTS + 5 }, (_, i) => i + 1);
    const history = read(
      JSON.parse(
        `{"__proto__":{"t":[1],"waiting":[2]},"constructor":{"t":${JSON.stringify(long)},"waiting":${JSON.stringify(long)}}}`
      )
    );
    expect(history.queues.get('__proto__')?.waiting).toEqual([2]);
    expect(history.queues.get('constructor')?.t).toHaveLength(MAX_HISTORY_POINTS);
    expect(history.queues.get('constructor')?.waiting[0]).toBe(6);
  });
});

describe('mergeHistory', () => {
  it('appends only the newer points and drops those older than the window before the newest', () => {
    const held = read({ q: { t: [10_000, 20_000, 30_000], waiting: [1, 2, 3] } });
    const merged = mergeHistory(held, read({ q: { t: [30_000, 40_000, 50_000], waiting: [9, 4, 5] } }));
    expect(merged.queues.get('q')?.t).toEqual([20_000, 30_000, 40_000, 50_000]);
    expect(merged.queues.get('q')?.waiting).toEqual([2, 3, 4, 5]);
  });

  it('keeps a queue object that gained nothing, and adds queues first seen', () => {
    const held = read({ a: { t: [10_000], waiting: [1] } });
    const merged = mergeHistory(held, read({ b: { t: [10_000], waiting: [7] } }));
    expect(merged.queues.get('a')).toBe(held.queues.get('a'));
    expect(merged.queues.get('b')?.waiting).toEqual([7]);
  });

  it('reads a basis that changed as mixed', () => {
    const held = read({ q: { t: [10_000], waiting: [1], failureRateFrom: 'throughput' } });
    const merged = mergeHistory(held, read({ q: { t: [20_000], waiting: [1], failureRateFrom: 'failed-count' } }));
    expect(merged.queues.get('q')?.failureRateFrom).toBe('mixed');
  });
});
