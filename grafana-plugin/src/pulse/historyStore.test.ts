import { QueueHistoryStore, type HistoryFetch } from './historyStore';

const page = (t: number[], waiting: number[]) => ({
  resolutionMs: 10_000,
  windowMs: 3_600_000,
  queues: { emails: { t, waiting } },
});

describe('QueueHistoryStore', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reads a service whole once, then only newer points once per step while shown', async () => {
    const calls: Array<[string, number | undefined]> = [];
    const replies = [page([10_000, 20_000], [1, 2]), page([30_000], [3]), page([40_000], [4])];
    const fetch: HistoryFetch = async (service, since) => {
      calls.push([service, since]);
      return replies.shift();
    };
    const store = new QueueHistoryStore({ fetch });
    const listener = jest.fn();
    const stop = store.subscribe('shop', listener);
    await jest.advanceTimersByTimeAsync(0);
    expect(store.get('shop')?.queues.get('emails')?.waiting).toEqual([1, 2]);
    await jest.advanceTimersByTimeAsync(10_000);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual([
      ['shop', undefined],
      ['shop', 20_000],
      ['shop', 30_000],
    ]);
    expect(store.get('shop')?.queues.get('emails')?.waiting).toEqual([1, 2, 3, 4]);
    expect(listener).toHaveBeenCalledTimes(3);
    stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(3);
  });

  it('tries again later after a failed read, and serves no more services than it may hold', async () => {
    let fail = true;
    const fetch = jest.fn(async () => {
      if (fail) {
        throw new Error('502');
      }
      return page([10_000], [1]);
    });
    const store = new QueueHistoryStore({ fetch, retryMs: 5000, maxServices: 1 });
    store.subscribe('shop', () => undefined);
    await jest.advanceTimersByTimeAsync(0);
    expect(store.get('shop')).toBeUndefined();
    fail = false;
    await jest.advanceTimersByTimeAsync(5000);
    expect(store.get('shop')?.queues.get('emails')?.waiting).toEqual([1]);
    store.subscribe('billing', () => undefined);
    await jest.advanceTimersByTimeAsync(0);
    expect(store.get('billing')).toBeUndefined();
    store.close();
  });
});
